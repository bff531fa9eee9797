from django.urls import path

from newsdesk.articles import views

app_name = "articles"
urlpatterns = [
    path("", views.latest, name="latest"),
    path("popular/", views.popular, name="popular"),
    path("recommended/", views.recommended, name="recommended"),
    path("articles/<int:pk>/", views.detail, name="detail"),
    path("a/<int:pk>", views.short, name="short"),
    path("outlets/<str:domain>/", views.outlet, name="outlet"),
    path("outlets/by-id/<int:pk>/", views.outlet_by_id, name="outlet_by_id"),
]
