"""Tags in the Japanese admin, and the タグ inline on the article form."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.text import Truncator

from newsdesk.core.admin import PublicPageColumns
from newsdesk.tags import service, tasks
from newsdesk.tags.models import ArticleTag, Tag

# Changing these changes which articles the tagger picks.
MATCHING_FIELDS = {"keywords", "entities"}


@admin.register(Tag)
class TagAdmin(PublicPageColumns, admin.ModelAdmin):
    list_display = ["name", "slug", "keyword_preview", "article_count", "is_sample", "page_link"]
    list_filter = ["is_sample"]
    search_fields = ["name", "slug", "keywords", "description"]
    autocomplete_fields = ["entities"]
    fields = ["name", "slug", "description", "keywords", "entities", "is_sample"]

    def get_queryset(self, request):
        shown = ~Q(article_links__source=ArticleTag.Source.REMOVED)
        return super().get_queryset(request).annotate(_articles=Count("article_links", filter=shown))

    @admin.display(description="キーワード")
    def keyword_preview(self, obj):
        return Truncator("、".join(obj.keyword_list)).chars(60)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the entities are saved here
        if change and not MATCHING_FIELDS & set(form.changed_data):
            return
        # After the commit, so that the worker reads the saved keywords; in the background, as
        # it reads every recent article.
        tag_id = form.instance.pk
        transaction.on_commit(lambda: tasks.retag_recent(tag_id))
        self.message_user(
            request,
            f"過去{tasks.RETAG_DAYS}日の記事に「{form.instance}」を付け直しています。まもなく反映されます。",
            messages.INFO,
        )


class ArticleTagFormSet(BaseInlineFormSet):
    def save_new(self, form, commit=True):
        if not commit:
            return super().save_new(form, commit)
        # Saving the article may have run the tagger first (stages waiting for the editor's
        # text), adding the same tag automatically: the editor's row takes its place.
        link, _ = ArticleTag.objects.update_or_create(
            article=self.instance,
            tag=form.cleaned_data["tag"],
            defaults={"source": form.cleaned_data["source"]},
        )
        return link

    def save(self, commit=True):
        saved = super().save(commit)
        # The editor may have changed the text too: the automatic tags follow it at once.
        service.tag_article(self.instance)
        return saved


class ArticleTagInline(admin.TabularInline):
    """On the article form: the tags the article shows and those editors took off."""

    model = ArticleTag
    formset = ArticleTagFormSet
    fields = ["tag", "source"]
    autocomplete_fields = ["tag"]
    extra = 0
    verbose_name = verbose_name_plural = "タグ"
