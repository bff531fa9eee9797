"""Articles in the editorial admin: the review queue, the change page, raw inputs."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.core.admin import ReadOnlyMixin
from newsdesk.editorial import picks
from newsdesk.editorial.forms import ArticleAdminForm
from newsdesk.editorial.widgets import URL_OVERRIDES, lines_block
from newsdesk.ingest.models import RawInput
from newsdesk.pipeline import runner
from newsdesk.tags.admin import ArticleTagInline
from newsdesk.translation.admin import ArticleTranslationInline, TranslationUsageInline

CONTENT_PREVIEW_CHARS = 3000


class PipelineStageInline(ReadOnlyMixin, admin.TabularInline):
    model = PipelineStage
    extra = 0
    can_delete = False
    fields = ["name", "state", "error", "attempts", "updated_at"]
    readonly_fields = fields
    verbose_name_plural = "処理段階"


class RawInputInline(ReadOnlyMixin, admin.StackedInline):
    model = RawInput
    extra = 0
    can_delete = False
    fields = ["kind", "location", "shape", "encoding", "received_at", "dropped", "content_preview"]
    readonly_fields = fields
    classes = ["collapse"]

    @admin.display(description="除去した行")
    def dropped(self, obj):
        return lines_block(obj.dropped_lines)

    @admin.display(description="内容（冒頭）")
    def content_preview(self, obj):
        return format_html(
            '<pre class="newsdesk-pre">{}</pre>', Truncator(obj.content).chars(CONTENT_PREVIEW_CHARS)
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = URL_OVERRIDES
    form = ArticleAdminForm
    list_display = [
        "headline_display",
        "outlet",
        "language",
        "status",
        "is_picked",
        "site_published_at",
        "created_at",
    ]
    list_display_links = ["headline_display"]
    list_filter = ["status", picks.PickedFilter, "outlet", "language", "is_curated", "is_sample"]
    list_select_related = ["outlet"]
    search_fields = ["title", "original_title"]
    date_hierarchy = "created_at"
    actions = ["publish", "reject", picks.pick, picks.unpick]
    inlines = [
        ArticleTagInline,
        PipelineStageInline,
        ArticleTranslationInline,
        TranslationUsageInline,
        RawInputInline,
    ]
    readonly_fields = [
        "original_title",
        "lead",
        "caption",
        "original_body",
        "image_preview",
        "view_on_site_link",
        "content_hash",
        "created_at",
        "updated_at",
        "is_curated",
        "picked_at",
    ]
    save_on_top = True

    class Media:
        css = {"all": ["newsdesk/admin.css"]}

    def get_fieldsets(self, request, obj=None):
        japanese = obj is not None and obj.is_japanese
        body = ["original_body"] if japanese else ["translation"]
        return [
            ("見出し", {"fields": ["original_title", "title"]}),
            ("リード", {"fields": ["lead", "lead_ja"]}),
            ("要約", {"fields": ["summary"]}),
            ("本文（日本語）" if japanese else "翻訳", {"fields": body}),
            ("画像", {"fields": ["image_url", "image_preview", "caption", "caption_ja"]}),
            ("公開", {"fields": ["status", "site_published_at", "picked_at", "view_on_site_link"]}),
            (
                "出典",
                {
                    "fields": [
                        "outlet",
                        "url",
                        "source_url",
                        "author",
                        "author_bio",
                        "published_at",
                        "language",
                        "translator",
                    ]
                },
            ),
            (
                "取り込み情報",
                {
                    "classes": ["collapse"],
                    "fields": ["created_at", "updated_at", "content_hash", "is_curated", "is_sample"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        # A new article typed in by hand needs its original title.
        if obj is None:
            return [field for field in self.readonly_fields if field != "original_title"]
        return self.readonly_fields

    @admin.display(description="見出し", ordering="title")
    def headline_display(self, obj):
        return obj.headline

    @admin.display(description="オススメ", boolean=True, ordering="picked_at")
    def is_picked(self, obj):
        return obj.picked_at is not None

    @admin.display(description="本文（原文）")
    def original_body(self, obj):
        if not obj or not obj.paragraphs:
            return "—"
        return format_html(
            '<ol class="newsdesk-original-body">{}</ol>',
            format_html_join("", "<li>{}</li>", ((paragraph,) for paragraph in obj.paragraphs)),
        )

    @admin.display(description="画像")
    def image_preview(self, obj):
        if not obj or not obj.image_url:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="max-width: 20rem; height: auto;" referrerpolicy="no-referrer">',
            obj.image_url,
        )

    @admin.display(description="サイトで見る")
    def view_on_site_link(self, obj):
        if not obj or not obj.pk:
            return "—"
        if obj.status == Article.Status.PUBLISHED:
            return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())
        return "未公開"

    def save_model(self, request, obj, form, change):
        if obj.status == Article.Status.PUBLISHED and not obj.site_published_at:
            obj.publish()
        super().save_model(request, obj, form, change)
        # The editor's translation or headline may be what the waiting stages were missing.
        runner.rerun(obj)

    @admin.action(description="公開する", permissions=["change"])
    def publish(self, request, queryset):
        published, skipped = 0, []
        now = timezone.now()
        with transaction.atomic():
            for article in queryset.select_related("outlet"):
                if article.needs_translation and article.outlet.allows_full_translation:
                    skipped.append(article.headline)
                    continue
                article.publish(now=now)
                article.save()
                published += 1
        if published:
            self.message_user(request, f"{published}件の記事を公開しました。", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"翻訳がないため公開しなかった記事が{len(skipped)}件あります：" + "、".join(skipped),
                messages.WARNING,
            )

    @admin.action(description="却下する", permissions=["change"])
    def reject(self, request, queryset):
        count = 0
        with transaction.atomic():
            for article in queryset:
                article.status = Article.Status.REJECTED
                article.save(update_fields=["status", "updated_at"])
                count += 1
        self.message_user(request, f"{count}件の記事を却下しました。", messages.SUCCESS)


# Ingest


@admin.register(RawInput)
class RawInputAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["location", "kind", "shape", "encoding", "article", "dropped_count", "received_at"]
    list_filter = ["kind", "shape"]
    search_fields = ["location", "article__title", "article__original_title"]
    list_select_related = ["article"]
    fields = ["article", "kind", "location", "shape", "encoding", "received_at", "dropped", "content_block"]
    readonly_fields = fields

    class Media:
        css = {"all": ["newsdesk/admin.css"]}

    @admin.display(description="除去行数")
    def dropped_count(self, obj):
        return len(obj.dropped_lines or [])

    @admin.display(description="除去した行")
    def dropped(self, obj):
        return lines_block(obj.dropped_lines)

    @admin.display(description="内容")
    def content_block(self, obj):
        return format_html('<pre class="newsdesk-pre">{}</pre>', obj.content)
