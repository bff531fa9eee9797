from django.urls import path

from newsdesk.entities import views

app_name = "entities"
urlpatterns = [
    path("entities/<str:key>/", views.detail, name="detail"),
]
