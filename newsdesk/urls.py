from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "newsdesk 編集室"
admin.site.index_title = "編集"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("newsdesk.search.urls")),  # before api/: its catch-all would take api/search
    path("api/", include("newsdesk.comments.api_urls")),
    path("", include("newsdesk.articles.urls")),
    path("", include("newsdesk.comments.urls")),
    path("", include("newsdesk.entities.urls")),
    path("", include("newsdesk.stories.urls")),
    path("", include("newsdesk.tags.urls")),
    path("", include("newsdesk.feeds.urls")),
]
