"""The Thread admin: a thread per article, with its counts of comments, held posts and reported
posts; editors lock it (書き込み停止) or hold every new post for approval (承認制).

Threads are never deleted: the numbering of posts lives on the thread row.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q

from newsdesk.comments import moderation
from newsdesk.comments.models import Comment


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
