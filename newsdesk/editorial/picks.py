"""Editors' picks (オススメ) in the article admin: two actions and a filter."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.articles.signals import picks_changed


class PickedFilter(admin.SimpleListFilter):
    title = "オススメ"
    parameter_name = "picked"

    def lookups(self, request, model_admin):
        return [("yes", "オススメ中"), ("no", "オススメ以外")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(picked_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(picked_at__isnull=True)
        return queryset


@admin.action(description="オススメに追加", permissions=["change"])
def pick(modeladmin, request, queryset):
    # update(), not save(): a pick is not an edit of the article, its 更新日時 stays.
    count = queryset.update(picked_at=timezone.now())
    picks_changed.send(sender=Article)
    modeladmin.message_user(request, f"{count}件の記事をオススメに追加しました。", messages.SUCCESS)
    unpublished = queryset.exclude(pk__in=Article.objects.published()).count()
    if unpublished:
        modeladmin.message_user(
            request,
            f"うち{unpublished}件は未公開のため、公開されるまでオススメには表示されません。",
            messages.WARNING,
        )


@admin.action(description="オススメから外す", permissions=["change"])
def unpick(modeladmin, request, queryset):
    count = queryset.filter(picked_at__isnull=False).update(picked_at=None)
    picks_changed.send(sender=Article)
    modeladmin.message_user(request, f"{count}件の記事をオススメから外しました。", messages.SUCCESS)
