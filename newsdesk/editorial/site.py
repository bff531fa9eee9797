"""The editors' admin site: Django's, plus the ingest page, the review queue on its index and a
login that answers a busy password gate (newsdesk/editorial/login.py).

``NewsdeskAdminConfig`` replaces "django.contrib.admin" in INSTALLED_APPS, so ``admin.site`` (and
every ``@admin.register``) is a ``NewsdeskAdminSite``. Nothing here imports a model at load time:
this module is imported while the app registry is being filled.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.urls.resolvers import URLPattern, URLResolver


class NewsdeskAdminConfig(AdminConfig):
    default_site = "newsdesk.editorial.site.NewsdeskAdminSite"


class NewsdeskAdminSite(admin.AdminSite):
    site_header = site_title = "newsdesk 編集室"
    index_title = "編集"
    index_template = "editorial/admin_index.html"

    def get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = [
            path("ingest/", self.admin_view(self.ingest_view), name="ingest"),
            path("ingest/<int:batch_id>/", self.admin_view(self.ingest_batch_view), name="ingest_batch"),
            path(
                "ingest/<int:batch_id>/status/",
                self.admin_view(self.ingest_status_view),
                name="ingest_batch_status",
            ),
        ]
        return urls + super().get_urls()

    # Imported when called: the views read models, which are not loaded when this module is.
    def ingest_view(self, request: HttpRequest) -> HttpResponse:
        from newsdesk.editorial import ingest_views

        return ingest_views.ingest(self, request)

    def ingest_batch_view(self, request: HttpRequest, batch_id: int) -> HttpResponse:
        from newsdesk.editorial import ingest_views

        return ingest_views.batch(self, request, batch_id)

    def ingest_status_view(self, request: HttpRequest, batch_id: int) -> HttpResponse:
        from newsdesk.editorial import ingest_views

        return ingest_views.batch_status(self, request, batch_id)

    def login(self, request, extra_context=None):
        # LoginBusy comes out of authenticate() (GatedModelBackend): answer it here, where the
        # editor sees the admin's own page rather than a server error.
        from newsdesk.editorial.login import LoginBusy, busy_response

        try:
            return super().login(request, extra_context)
        except LoginBusy:
            return busy_response(request)

    def index(self, request, extra_context=None):
        context = {
            "ingest_url": reverse("admin:ingest", current_app=self.name)
            if request.user.has_perm("articles.add_article")
            else "",
            "article_counts": self._article_counts(request),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def _article_counts(self, request: HttpRequest) -> list[dict]:
        """Articles per status, each with its filtered changelist; empty without the permission."""
        from newsdesk.articles.models import Article

        if not (
            request.user.has_perm("articles.view_article") or request.user.has_perm("articles.change_article")
        ):
            return []
        counts = dict(Article.objects.values_list("status").annotate(n=Count("pk")).order_by())
        changelist = reverse("admin:articles_article_changelist", current_app=self.name)
        return [
            {
                "status": status,
                "label": status.label,
                "count": counts.get(status.value, 0),
                "url": f"{changelist}?status__exact={status.value}",
            }
            for status in Article.Status
        ]
