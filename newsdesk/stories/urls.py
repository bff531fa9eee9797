from django.urls import path

from newsdesk.stories import views

app_name = "stories"
urlpatterns = [
    path("stories/", views.story_list, name="list"),
    path("stories/<int:pk>/", views.detail, name="detail"),
]
