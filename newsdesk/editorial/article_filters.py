"""The review queue's filters: where an article stands in the pipeline, how old its original is, and
its language (by name)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import get_language_info

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


# The languages of the region's press by the names editors use; others by Django's names.
LANGUAGE_NAMES = {
    "ja": "日本語", "en": "英語", "ko": "韓国語", "zh": "中国語", "zh-hans": "中国語（簡体字）",
    "zh-hant": "中国語（繁体字）", "zh-tw": "中国語（繁体字）", "mn": "モンゴル語", "ru": "ロシア語",
}  # fmt: skip


def language_name(code: str) -> str:
    """「英語」 for "en"; the code itself for one Django does not know either; 「不明」 for none."""
    if not code:
        return "不明"
    if code.lower() in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code.lower()]
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class LanguageFilter(admin.SimpleListFilter):
    title = "言語"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by().values_list("language", flat=True).distinct()
        return [(code, language_name(code)) for code in sorted(codes) if code]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset
