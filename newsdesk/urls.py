from django.contrib import admin
from django.urls import include, path

from newsdesk.site.urls import search_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    *search_patterns,  # before api/: the comment API's catch-all would take api/search
    path("api/", include("newsdesk.comments.api_urls")),
    path("", include("newsdesk.site.urls")),
]
