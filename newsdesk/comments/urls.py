from django.urls import path

from newsdesk.comments import views

app_name = "comments"
urlpatterns = [
    path("articles/<int:pk>/comments", views.post, name="post"),
]
