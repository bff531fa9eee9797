"""Admin list columns shared by things that have a public page (entities, tags)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html


class PublicPageColumns:
    """「記事数」 and a link to the reader page; the admin's queryset annotates ``_articles``."""

    @admin.display(description="記事数", ordering="_articles")
    def article_count(self, obj):
        return obj._articles

    @admin.display(description="ページ")
    def page_link(self, obj):
        return format_html('<a href="{}">表示</a>', obj.get_absolute_url())
