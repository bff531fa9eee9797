from django.urls import path

from newsdesk.tags import views

app_name = "tags"
urlpatterns = [
    path("tags/", views.index, name="index"),
    path("tags/<slug:slug>/", views.detail, name="detail"),
]
