"""/api/: the JSON comment API. Anything else under /api/ answers a JSON 404, not an HTML page."""

from django.urls import path, re_path

from newsdesk.comments import api

app_name = "comments_api"
urlpatterns = [
    path("openapi.json", api.openapi, name="openapi"),
    path("articles/<int:article_id>/comments", api.comments, name="comments"),
    path("articles/<int:article_id>/comments/<int:number>", api.comment, name="comment"),
    path("articles/<int:article_id>/comments/<int:number>/reactions", api.reactions, name="reactions"),
    path("articles/<int:article_id>/comments/<int:number>/report", api.report, name="report"),
    # [\s\S], not ".": a path may hold an encoded newline (%0a), and it too gets JSON.
    re_path(r"^(?P<rest>[\s\S]*)$", api.not_found, name="not-found"),
]
