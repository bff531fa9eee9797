"""Articles in the editorial admin: the review queue, the change page, raw inputs."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.core.admin import ReadOnlyMixin
from newsdesk.editorial import article_edits, article_tools, picks, publishing
from newsdesk.editorial.article_filters import LanguageFilter, OriginalDateFilter, StageFilter, language_name
from newsdesk.editorial.forms import ArticleAdminForm
from newsdesk.editorial.revision_admin import ArticleRevisionAdmin
from newsdesk.editorial.widgets import URL_OVERRIDES, lines_block
from newsdesk.images.admin import ArticleImageInline
from newsdesk.ingest.models import RawInput
from newsdesk.pipeline import runner
from newsdesk.pipeline import stages as pipeline_stages
from newsdesk.tags.admin import ArticleTagInline
from newsdesk.translation.admin import ArticleTranslationInline, TranslationUsageInline

CONTENT_PREVIEW_CHARS = 3000
# What each extractor's ``shape`` means, for editors.
SHAPES = {
    "html": "HTML",
    "text-article": "テキスト（記事）",
    "text-byline": "テキスト（署名欄つき）",
    "curated": "編集済みページ",
}


class ShapeDisplay:
    @admin.display(description="形式", ordering="shape")
    def shape_display(self, obj):
        return SHAPES.get(obj.shape, obj.shape) or "—"


class RawInputInline(ShapeDisplay, ReadOnlyMixin, admin.StackedInline):
    model = RawInput
    extra = 0
    can_delete = False
    fields = ["kind", "location", "shape_display", "encoding", "received_at", "dropped", "content_preview"]
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
class ArticleAdmin(ArticleRevisionAdmin, admin.ModelAdmin):
    formfield_overrides = URL_OVERRIDES
    form = ArticleAdminForm
    list_display = [
        "headline_display",
        "outlet",
        "language_display",
        "status",
        "pipeline_display",
        "is_picked",
        "published_at",
        "site_published_at",
        "created_at",
    ]
    list_display_links = ["headline_display"]
    list_filter = [
        "status",
        StageFilter,
        OriginalDateFilter,
        ("outlet", admin.RelatedOnlyFieldListFilter),
        picks.PickedFilter,
        LanguageFilter,
        "is_curated",
        "is_sample",
    ]
    list_select_related = ["outlet"]
    search_fields = ["title", "original_title"]
    date_hierarchy = "created_at"
    actions = [publishing.publish, publishing.reject, picks.pick, picks.unpick]
    # The pipeline stages are shown (and run again) by the tools under the fields (article_tools).
    inlines = [
        ArticleImageInline,
        ArticleTagInline,
        ArticleTranslationInline,
        TranslationUsageInline,
        RawInputInline,
    ]
    readonly_fields = [
        "outlet_policy",
        "original_body",
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
        publish = ["status", "outlet_policy", "site_published_at", "picked_at", "view_on_site_link"]
        if obj is not None and publishing.asks_on_form(obj):
            publish.insert(2, "confirm_policy")
        return [
            ("見出し", {"fields": ["original_title", "title"]}),
            ("リード", {"fields": ["lead", "lead_ja"]}),
            ("要約", {"fields": ["summary"]}),
            ("本文（日本語）" if japanese else "翻訳", {"fields": body}),
            ("画像", {"fields": ["image_url", "caption", "caption_ja"]}),
            ("公開", {"fields": publish}),
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
                        "published_date_only",
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

    def get_queryset(self, request):
        # The list's 処理 column; to_attr, so that ``article.stages`` (the runner's) stays unprefetched.
        unfinished = PipelineStage.objects.exclude(state=PipelineStage.State.DONE)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("stages", queryset=unfinished, to_attr="unfinished_stages"))
        )

    def get_urls(self):
        return [*article_tools.urls(self), *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        # No article outside the pipeline: URLs, pasted text and files go in through the ingest page.
        return HttpResponseRedirect(reverse("admin:ingest", current_app=self.admin_site.name))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["article_tools"] = article_tools.context(self, request, obj)
        context["show_save_and_add_another"] = False  # adding is the ingest page's
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="見出し", ordering="title")
    def headline_display(self, obj):
        return obj.headline

    @admin.display(description="言語", ordering="language")
    def language_display(self, obj):
        return language_name(obj.language)

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

    @admin.display(description="サイトで見る")
    def view_on_site_link(self, obj):
        if not obj or not obj.pk:
            return "—"
        if obj.status == Article.Status.PUBLISHED:
            return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())
        return "未公開"

    @admin.display(description="処理")
    def pipeline_display(self, obj):
        rows = getattr(obj, "unfinished_stages", None)
        if rows is None:
            rows = list(obj.stages.exclude(state=PipelineStage.State.DONE))
        if not rows:
            return "完了"
        order = pipeline_stages.stage_names()
        rows = sorted(rows, key=lambda row: order.index(row.name) if row.name in order else len(order))
        states = [f"{pipeline_stages.label(row.name)}：{row.get_state_display()}" for row in rows]
        # The stage that holds the article up, in a narrow column; every one in the tooltip.
        more = f"（ほか{len(states) - 1}段階）" if len(states) > 1 else ""
        return format_html('<span title="{}">{}{}</span>', "、".join(states), states[0], more)

    @admin.display(description="転載方針")
    def outlet_policy(self, obj):
        if not obj or not obj.outlet_id:
            return "—"
        outlet = obj.outlet
        url = reverse("admin:sources_outlet_change", args=[outlet.pk])
        note = ""
        if not outlet.policy_reviewed and outlet.allows_full_translation:
            note = "翻訳の全文を載せて公開する前に、媒体の転載方針を確かめてください。"
        return format_html(
            '{}　<a href="{}">媒体「{}」の設定</a>{}',
            publishing.policy_text(outlet),
            url,
            outlet,
            format_html("<br><strong>{}</strong>", note) if note else "",
        )

    def save_model(self, request, obj, form, change):
        confirmed = form.cleaned_data.get("confirm_policy") and form.initial.get("status") != obj.status
        if obj.status == Article.Status.PUBLISHED and not obj.site_published_at:
            obj.publish()
        super().save_model(request, obj, form, change)
        if confirmed and obj.status == Article.Status.PUBLISHED:
            self.log_change(request, obj, publishing.CONFIRMED_LOG)
        # Every save runs what the pipeline still has to do (the editor's translation or headline
        # may be what a waiting stage missed), and again the stages that read a changed text.
        runner.rerun(obj, article_edits.stages_after_form(form.changed_data, obj) or None)


# Ingest


@admin.register(RawInput)
class RawInputAdmin(ShapeDisplay, ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "location",
        "kind",
        "shape_display",
        "encoding",
        "article",
        "dropped_count",
        "received_at",
    ]
    list_filter = ["kind"]
    search_fields = ["location", "article__title", "article__original_title"]
    list_select_related = ["article"]
    fields = [
        "article",
        "kind",
        "location",
        "shape_display",
        "encoding",
        "received_at",
        "dropped",
        "content_block",
    ]
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
