from django.contrib import admin
from django.urls import include, path

from newsdesk.site.urls import search_patterns

admin.site.site_header = admin.site.site_title = "newsdesk 編集室"
admin.site.index_title = "編集"

urlpatterns = [
    path("admin/", admin.site.urls),
    *search_patterns,  # before api/: the comment API's catch-all would take api/search
    path("api/", include("newsdesk.comments.api_urls")),
    path("", include("newsdesk.site.urls")),
]
