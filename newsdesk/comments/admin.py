"""The moderation side of anonymous comments, in the Japanese admin.

The Comment list opens on the queue (held posts, and reported posts still on the page). Editors
approve, hide, delete or ban a post's source; they never edit what a reader wrote. Posters are
known only by their keyed hash, and only a short prefix of it is ever shown (on bans).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from newsdesk.comments import moderation
from newsdesk.comments.models import Ban, Comment, NGWord, Report, Thread
from newsdesk.editorial.readonly import ReadOnlyMixin

EXCERPT_CHARS = 60
HASH_PREFIX_CHARS = 10
BAN_24H = dt.timedelta(hours=24)
BAN_7D = dt.timedelta(days=7)

# Query-string keys that do not narrow the list: paging, ordering, popups, facets.
NON_FILTER_PARAMS = {"o", "p", "all", "e", "_popup", "_to_field", "_facets", "_changelist_filters"}


def short_hash(value: str) -> str:
    return f"{value[:HASH_PREFIX_CHARS]}…" if value else "—"


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


# Filters


class QueueFilter(admin.SimpleListFilter):
    """要対応 is the default view, unless the editor has narrowed the list some other way (a status,
    an article, an ID, a search): then they mean to see everything that matches."""

    title = "対応"
    parameter_name = "queue"
    NEEDS = "needs"
    ALL = "all"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        narrowed = any(key not in NON_FILTER_PARAMS | {self.parameter_name} for key in request.GET)
        self.default = self.ALL if narrowed else self.NEEDS

    def lookups(self, request, model_admin):
        return [(self.NEEDS, "要対応（承認待ち・通報あり）"), (self.ALL, "すべて")]

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == self.NEEDS:
            return moderation.needs_attention(queryset)
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    title = "通報あり"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", "通報あり"), ("no", "通報なし")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        if self.value() == "no":
            return queryset.filter(report_count=0)
        return queryset


class ArticleFilter(admin.RelatedOnlyFieldListFilter):
    """Only articles that have comments; the query parameter stays ``article__id__exact``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "記事"


# Comments


class ReportInline(ReadOnlyMixin, admin.TabularInline):
    """Who reported is a hash and stays out of sight; the reason and time are what editors need."""

    model = Report
    extra = 0
    can_delete = False
    fields = ["reason", "created_at"]
    readonly_fields = fields
    verbose_name = verbose_name_plural = "通報"


@admin.register(Comment)
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
        return format_html('<div style="white-space: pre-wrap;">{}</div>', obj.body)

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


# Threads


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = [
        "article",
        "comment_count",
        "held_count",
        "reported_count",
        "last_number",
        "locked",
        "hold_all",
    ]
    list_editable = ["locked", "hold_all"]
    list_filter = ["locked", "hold_all"]
    list_select_related = ["article"]
    search_fields = ["article__title", "article__original_title"]
    raw_id_fields = ["article"]
    actions = ["lock", "unlock", "hold_all_posts", "release_all_posts"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_comments=Count("article__comments"),
                n_held=Count("article__comments", filter=Q(article__comments__status=Comment.Status.HELD)),
                n_reported=Count(
                    "article__comments",
                    filter=Q(
                        article__comments__status=Comment.Status.VISIBLE,
                        article__comments__report_count__gt=0,
                    ),
                ),
            )
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["article", "locked", "hold_all"]
        return ["article", "last_number", "locked", "hold_all"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["article", "last_number"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        # Numbering lives on the thread row; losing it would hand out numbers already taken.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.last_number = moderation.start_number(obj.article_id)
        super().save_model(request, obj, form, change)

    @admin.display(description="コメント数", ordering="n_comments")
    def comment_count(self, obj):
        return obj.n_comments

    @admin.display(description="承認待ち", ordering="n_held")
    def held_count(self, obj):
        return obj.n_held

    @admin.display(description="通報あり", ordering="n_reported")
    def reported_count(self, obj):
        return obj.n_reported

    def _each(self, request, queryset, change, done):
        count = sum(1 for thread in queryset if change(thread))
        self.message_user(request, f"{count}件のスレッドを{done}。", messages.SUCCESS)

    @admin.action(description="書き込み停止にする", permissions=["change"])
    def lock(self, request, queryset):
        self._each(request, queryset, moderation.lock, "書き込み停止にしました")

    @admin.action(description="書き込み停止を解除する", permissions=["change"])
    def unlock(self, request, queryset):
        self._each(request, queryset, moderation.unlock, "書き込みできるようにしました")

    @admin.action(description="全投稿を承認制にする", permissions=["change"])
    def hold_all_posts(self, request, queryset):
        self._each(request, queryset, moderation.hold_all, "全投稿を承認制にしました")

    @admin.action(description="全投稿の承認制を解除する", permissions=["change"])
    def release_all_posts(self, request, queryset):
        self._each(request, queryset, moderation.release_all, "承認制から戻しました")


# NG words and bans


@admin.register(NGWord)
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


@admin.register(Ban)
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
