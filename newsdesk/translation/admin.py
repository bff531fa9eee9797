"""Admin for translation: the glossary editors keep, machine translations and their flags, usage."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Sum
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from newsdesk.core.admin import NoAddOrChangeMixin
from newsdesk.translation.models import ArticleTranslation, GlossaryEntry, TranslationMemory, TranslationUsage


def flags_list(flags) -> str:
    if not flags:
        return "—"
    return format_html(
        '<ul class="newsdesk-glossary-flags">{}</ul>',
        format_html_join(
            "",
            "<li>{}：「{}」の訳語「{}」が訳文にありません</li>",
            ((f.get("where", ""), f.get("term", ""), f.get("japanese", "")) for f in flags),
        ),
    )


class FlagsDisplay:
    """The glossary check's flags of an ArticleTranslation, as a list."""

    @admin.display(description="用語チェック")
    def flags_display(self, obj):
        return flags_list(obj.flags)


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(admin.ModelAdmin):
    list_display = ["source", "japanese", "language", "kind", "active", "updated_at"]
    list_display_links = ["source"]
    list_editable = ["japanese", "active"]
    list_filter = ["language", "kind", "active"]
    search_fields = ["source", "japanese", "note"]
    fields = ["source", "japanese", "language", "kind", "note", "active"]


class FlaggedFilter(admin.SimpleListFilter):
    title = "用語チェック"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "指摘あり"), ("no", "指摘なし")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(flags=[])
        if self.value() == "no":
            return queryset.filter(flags=[])
        return queryset


@admin.register(ArticleTranslation)
class ArticleTranslationAdmin(FlagsDisplay, NoAddOrChangeMixin, admin.ModelAdmin):
    list_display = ["article_link", "backend", "flag_count", "has_error", "translated_at"]
    list_filter = [FlaggedFilter, "backend"]
    search_fields = ["article__title", "article__original_title", "error"]
    list_select_related = ["article"]
    fields = readonly_fields = (
        "article_link",
        "backend",
        "glossary_version",
        "flags_display",
        "error",
        "translated_at",
    )

    @admin.display(description="記事")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article)

    @admin.display(description="用語チェック")
    def flag_count(self, obj):
        return len(obj.flags or [])

    @admin.display(description="エラー", boolean=True)
    def has_error(self, obj):
        return bool(obj.error)


class ArticleTranslationInline(FlagsDisplay, NoAddOrChangeMixin, admin.StackedInline):
    """For the article page: add to ArticleAdmin.inlines to show flags and errors there."""

    model = ArticleTranslation
    extra = 0
    can_delete = False
    fields = readonly_fields = ("backend", "glossary_version", "flags_display", "error", "translated_at")
    verbose_name_plural = "機械翻訳（用語チェック）"


class TranslationUsageInline(NoAddOrChangeMixin, admin.TabularInline):
    """For the article page: the usage of each translation run of the article."""

    model = TranslationUsage
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "created_at",
        "backend",
        "segments",
        "from_memory",
        "requests",
        "characters",
        "input_tokens",
        "output_tokens",
        "succeeded",
    )
    classes = ["collapse"]


@admin.register(TranslationUsage)
class TranslationUsageAdmin(NoAddOrChangeMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "article",
        "backend",
        "segments",
        "from_memory",
        "requests",
        "characters",
        "input_tokens",
        "output_tokens",
        "succeeded",
        "seconds",
    ]
    list_filter = ["backend", "succeeded"]
    list_select_related = ["article"]
    date_hierarchy = "created_at"

    class Media:
        css = {"all": ["newsdesk/admin.css"]}  # .newsdesk-usage-totals

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = response.context_data if isinstance(response, SimpleTemplateResponse) else None
        cl = context.get("cl") if context else None
        if context and cl is not None:
            totals = (
                cl.queryset.order_by()
                .values("backend")
                .annotate(
                    runs=Count("id"),
                    articles=Count("article", distinct=True),
                    requests=Sum("requests"),
                    characters=Sum("characters"),
                    input_tokens=Sum("input_tokens"),
                    output_tokens=Sum("output_tokens"),
                )
                .order_by("backend")
            )
            context["usage_totals"] = list(totals)
        return response

    change_list_template = "admin/translation/translationusage/change_list.html"


@admin.register(TranslationMemory)
class TranslationMemoryAdmin(NoAddOrChangeMixin, admin.ModelAdmin):
    list_display = ["short_source", "short_translation", "source_language", "backend", "created_at"]
    list_filter = ["backend", "source_language"]
    search_fields = ["source_text", "translation"]
    fields = readonly_fields = (
        "backend",
        "source_language",
        "glossary_version",
        "source_text",
        "translation",
        "created_at",
    )

    @admin.display(description="原文")
    def short_source(self, obj):
        return obj.source_text[:80]

    @admin.display(description="訳文")
    def short_translation(self, obj):
        return obj.translation[:60]
