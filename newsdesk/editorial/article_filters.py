"""The review queue's filters: where an article stands in the pipeline, and how old its original is."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone

from newsdesk.articles.models import PipelineStage
from newsdesk.pipeline import stages as pipeline_stages

State = PipelineStage.State
OLD_AFTER_DAYS = 7


def _with_stage(queryset, **conditions):
    return queryset.filter(Exists(PipelineStage.objects.filter(article=OuterRef("pk"), **conditions)))


class StageFilter(admin.SimpleListFilter):
    """翻訳待ち (the translate stage waits for an editor), or a failed stage (any, or one)."""

    title = "処理段階"
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        failed = [
            (f"failed:{name}", f"{pipeline_stages.label(name)}が失敗") for name in pipeline_stages.stages()
        ]
        return [("translation_waiting", "翻訳待ち"), ("failed", "失敗した段階あり"), *failed]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "translation_waiting":
            return _with_stage(queryset, name="translate", state=State.WAITING)
        if value == "failed":
            return _with_stage(queryset, state=State.FAILED)
        if value and value.startswith("failed:"):
            return _with_stage(queryset, name=value.removeprefix("failed:"), state=State.FAILED)
        return queryset


class OriginalDateFilter(admin.SimpleListFilter):
    """The original's publication date: news older than a week needs a second look before it goes out."""

    title = "原文の日付"
    parameter_name = "original_date"

    def lookups(self, request, model_admin):
        return [
            ("old", f"{OLD_AFTER_DAYS}日より前"),
            ("recent", f"{OLD_AFTER_DAYS}日以内"),
            ("unknown", "不明"),
        ]

    def queryset(self, request, queryset):
        since = timezone.now() - dt.timedelta(days=OLD_AFTER_DAYS)
        if self.value() == "old":
            return queryset.filter(published_at__lt=since)
        if self.value() == "recent":
            return queryset.filter(published_at__gte=since)
        if self.value() == "unknown":
            return queryset.filter(published_at__isnull=True)
        return queryset
