"""The admins of what keeps posts out: NG words, and bans of a poster's source.

Posters are known only by their keyed hash, and only a short prefix of it is ever shown (on bans).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from newsdesk.comments import moderation

HASH_PREFIX_CHARS = 10


def short_hash(value: str) -> str:
    return f"{value[:HASH_PREFIX_CHARS]}…" if value else "—"


class NGWordAdmin(admin.ModelAdmin):
    list_display = ["word", "action", "created_at"]
    list_editable = ["action"]
    list_filter = ["action"]
    search_fields = ["word"]
    fields = ["word", "action"]


class ActiveBanFilter(admin.SimpleListFilter):
    title = "有効"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "有効な禁止"), ("no", "期限切れ")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(until__gt=timezone.now())
        if self.value() == "no":
            return queryset.filter(until__lte=timezone.now())
        return queryset


class BanAdmin(admin.ModelAdmin):
    """Bans come from the comment list (投稿元を禁止); here editors see, shorten, extend or lift them."""

    list_display = ["source_prefix", "until", "is_active", "reason", "created_at"]
    list_display_links = ["source_prefix"]
    list_filter = [ActiveBanFilter]
    search_fields = ["reason"]
    ordering = ["-until"]
    fields = ["source_prefix", "until", "reason", "created_at"]
    readonly_fields = ["source_prefix", "created_at"]
    actions = ["lift"]

    def has_add_permission(self, request):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="投稿元（先頭のみ）")
    def source_prefix(self, obj):
        return short_hash(obj.source_hash)

    @admin.display(description="有効", boolean=True)
    def is_active(self, obj):
        return obj.until > timezone.now()

    @admin.action(description="禁止を解除する", permissions=["delete"])
    def lift(self, request, queryset):
        count = moderation.lift_bans(queryset)
        self.message_user(request, f"{count}件の投稿禁止を解除しました。", messages.SUCCESS)
