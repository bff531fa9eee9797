from django.urls import path

from newsdesk.comments import views
from newsdesk.comments.feeds import ArticleCommentsFeed

app_name = "comments"
urlpatterns = [
    path("articles/<int:pk>/comments", views.post, name="post"),
    path("articles/<int:pk>/comments/<int:number>/reactions", views.reaction, name="react"),
    path("articles/<int:pk>/comments/<int:number>/report", views.report_comment, name="report"),
    path("articles/<int:pk>/comments.atom", ArticleCommentsFeed(), name="feed"),
]
