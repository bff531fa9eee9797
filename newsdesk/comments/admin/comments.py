"""The Comment admin: editors approve, hide, delete or ban a post's source from the list or a post's
page; they never edit what a reader wrote.

Deleting is a status that keeps the post's number (so >>n links stay right); there is no hard
delete. The ID column counts each poster's posts in the thread and links to them.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from newsdesk.comments import moderation
from newsdesk.comments.admin.comment_filters import ArticleFilter, QueueFilter, ReportedFilter
from newsdesk.comments.models import Comment, Report
from newsdesk.core.admin import ReadOnlyMixin

EXCERPT_CHARS = 60
BAN_24H = dt.timedelta(hours=24)
BAN_7D = dt.timedelta(days=7)


def same_id_url(comment: Comment) -> str:
    """The changelist narrowed to one poster's posts (by daily ID) in one article's thread."""
    query = urlencode({"article__id__exact": comment.article_id, "id_tag": comment.id_tag})
    return f"{reverse('admin:comments_comment_changelist')}?{query}"


def same_id_counts() -> Subquery:
    """How many posts each row's ID made in its thread, as one subquery instead of a query per row."""
    per_id = (
        Comment.objects.filter(article=OuterRef("article"), id_tag=OuterRef("id_tag"))
        .order_by()
        .values("article", "id_tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_id), 0)


class ReportInline(ReadOnlyMixin, admin.TabularInline):
    """Who reported is a hash and stays out of sight; the reason and time are what editors need."""

    model = Report
    extra = 0
    can_delete = False
    fields = ["reason", "created_at"]
    readonly_fields = fields
    verbose_name = verbose_name_plural = "通報"


class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "article_display",
        "poster",
        "id_display",
        "excerpt",
        "hold_reason",
        "spam_score",
        "report_count",
        "created_at",
        "status",
    ]
    list_display_links = ["number", "excerpt"]
    list_filter = [QueueFilter, "status", ReportedFilter, ("article", ArticleFilter)]
    list_select_related = ["article"]
    search_fields = ["body", "name", "id_tag"]
    ordering = ["-created_at"]
    actions = ["approve", "hide", "delete", "ban_24h", "ban_7d"]
    inlines = [ReportInline]

    class Media:
        css = {"all": ["newsdesk/admin.css"]}  # .newsdesk-comment-body

    fieldsets = [
        (None, {"fields": ["article_link", "number", "poster", "id_display", "created_at"]}),
        ("本文", {"fields": ["body_display"]}),
        ("対応", {"fields": ["status", "hold_reason"]}),
        ("判定・反応", {"fields": ["spam_score", "report_count", "reactions"]}),
    ]
    readonly_fields = [
        "article_link",
        "number",
        "poster",
        "id_display",
        "created_at",
        "body_display",
        "spam_score",
        "report_count",
        "reactions",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(same_id_count=same_id_counts())

    def get_actions(self, request):
        # Deleting rows would renumber nothing but leave holes in >>n links; 削除 keeps the row.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Comment.Status.DELETED:
            return [*self.readonly_fields, "status", "hold_reason"]
        return self.readonly_fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # No hard delete from the page: 削除 is a status that keeps the number.
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "show_delete": False}
        )

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status == Comment.Status.DELETED:
            moderation.delete(Comment.objects.filter(pk=obj.pk))
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)

    # Columns and read-only fields

    @admin.display(description="記事", ordering="article__title")
    def article_display(self, obj):
        return Truncator(obj.article.headline).chars(30)

    @admin.display(description="記事")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article.headline)

    @admin.display(description="名前◆トリップ")
    def poster(self, obj):
        return f"{obj.display_name}◆{obj.trip}" if obj.trip else obj.display_name

    @admin.display(description="ID")
    def id_display(self, obj):
        if not obj.id_tag:
            return "—"
        count = getattr(obj, "same_id_count", None)
        if count is None:
            count = Comment.objects.filter(article_id=obj.article_id, id_tag=obj.id_tag).count()
        return format_html(
            '{} <a href="{}" title="このIDのスレッド内の投稿を表示">（このスレッドで{}件）</a>',
            obj.id_tag,
            same_id_url(obj),
            count,
        )

    @admin.display(description="本文の抜粋")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(EXCERPT_CHARS)

    @admin.display(description="本文")
    def body_display(self, obj):
        return format_html('<div class="newsdesk-comment-body">{}</div>', obj.body)

    @admin.display(description="リアクション")
    def reactions(self, obj):
        return f"共感した {obj.empathy}・なるほど {obj.insight}・うーん {obj.doubt}"

    # Actions

    @admin.action(description="承認して表示", permissions=["change"])
    def approve(self, request, queryset):
        count = moderation.approve(queryset)
        self.message_user(request, f"{count}件のコメントを承認して表示しました。", messages.SUCCESS)

    @admin.action(description="非表示にする", permissions=["change"])
    def hide(self, request, queryset):
        count = moderation.hide(queryset)
        self.message_user(request, f"{count}件のコメントを非表示にしました。", messages.SUCCESS)

    @admin.action(description="削除（番号は残す）", permissions=["change"])
    def delete(self, request, queryset):
        count = moderation.delete(queryset)
        self.message_user(
            request, f"{count}件のコメントを削除しました（番号は残り、本文は消えます）。", messages.SUCCESS
        )

    @admin.action(description="投稿元を24時間禁止", permissions=["change"])
    def ban_24h(self, request, queryset):
        self._ban(request, queryset, BAN_24H, "24時間")

    @admin.action(description="投稿元を7日間禁止", permissions=["change"])
    def ban_7d(self, request, queryset):
        self._ban(request, queryset, BAN_7D, "7日間")

    def _ban(self, request, queryset, duration, label):
        result = moderation.ban_sources(queryset, duration, reason=f"{label}の投稿禁止（管理画面）")
        if result.sources:
            self.message_user(
                request,
                f"{result.sources}件の投稿元を{label}投稿禁止にしました"
                f"（新規{result.created}件・延長{result.extended}件）。"
                f"コメント{result.hidden}件を非表示にしました。",
                messages.SUCCESS,
            )
        if result.without_source:
            self.message_user(
                request,
                f"投稿元が記録されていないコメントが{result.without_source}件あり、禁止できませんでした。",
                messages.WARNING,
            )
