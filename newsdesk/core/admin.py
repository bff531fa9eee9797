"""Admin pieces shared by every app's ModelAdmins: read-only rows and public-page columns."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html


class NoAddOrChangeMixin:
    """For a ModelAdmin or an inline: rows the pipeline or readers write are only looked at, or
    deleted (a bad cache entry)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoAddOrChangeMixin):
    """For a ModelAdmin or an inline: no adding, changing or deleting in the admin."""

    def has_delete_permission(self, request, obj=None):
        return False


class PublicPageColumns:
    """「記事数」 and a link to the reader page for things that have one (entities, tags); the
    admin's queryset annotates ``_articles``."""

    @admin.display(description="記事数", ordering="_articles")
    def article_count(self, obj):
        return obj._articles

    @admin.display(description="ページ")
    def page_link(self, obj):
        return format_html('<a href="{}">表示</a>', obj.get_absolute_url())
