"""Outlets and the feeds and pages polled for them, in the editorial admin."""

from __future__ import annotations

from django.contrib import admin, messages

from newsdesk.editorial.widgets import URL_OVERRIDES
from newsdesk.sources.models import Outlet, Source


class SourceInline(admin.TabularInline):
    formfield_overrides = URL_OVERRIDES
    model = Source
    extra = 0
    fields = ["url", "is_feed", "active", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_error"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    formfield_overrides = URL_OVERRIDES
    list_display = ["name", "domain", "language", "reuse_policy", "article_count", "is_sample"]
    list_filter = ["reuse_policy", "language", "is_sample"]
    search_fields = ["name", "domain"]
    inlines = [SourceInline]

    @admin.display(description="記事数")
    def article_count(self, obj):
        return obj.articles.count()


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = URL_OVERRIDES
    list_display = ["url", "outlet", "is_feed", "active", "last_polled_at", "has_error"]
    list_filter = ["active", "is_feed", "outlet"]
    search_fields = ["url", "outlet__name", "outlet__domain"]
    list_select_related = ["outlet"]
    readonly_fields = ["etag", "last_modified", "last_polled_at", "last_error"]
    actions = ["activate", "deactivate"]

    @admin.display(description="エラー", boolean=True)
    def has_error(self, obj):
        return bool(obj.last_error)

    @admin.action(description="有効にする")
    def activate(self, request, queryset):
        count = queryset.update(active=True)
        self.message_user(request, f"{count}件のソースを有効にしました。", messages.SUCCESS)

    @admin.action(description="無効にする")
    def deactivate(self, request, queryset):
        count = queryset.update(active=False)
        self.message_user(request, f"{count}件のソースを無効にしました。", messages.SUCCESS)
