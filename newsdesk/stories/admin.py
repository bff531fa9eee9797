"""Editors rename stories (in the list or on the page), merge them and split articles off them;
the same for storylines (stories split off into a new one), and they move a story to another
storyline by its ストーリーライン field."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html

from newsdesk.stories import editing
from newsdesk.stories.models import Story, Storyline, StoryMembership


class MembershipForm(forms.ModelForm):
    move = forms.BooleanField(label="新しいストーリーへ移す", required=False)

    class Meta:
        model = StoryMembership
        fields = []


class MembershipInline(admin.TabularInline):
    model = StoryMembership
    form = MembershipForm
    fk_name = "story"
    extra = 0
    can_delete = False
    fields = ["article_link", "outlet", "published", "similarity", "duplicate_of", "by_editor", "move"]
    readonly_fields = ["article_link", "outlet", "published", "similarity", "duplicate_of", "by_editor"]
    ordering = ["article__published_at", "article_id"]
    verbose_name = "記事"
    verbose_name_plural = "記事（チェックした記事は保存すると新しいストーリーに移ります）"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article__outlet", "duplicate_of")

    @admin.display(description="記事")
    def article_link(self, membership):
        url = reverse("admin:articles_article_change", args=[membership.article_id])
        return format_html('<a href="{}">{}</a>', url, membership.article.headline)

    @admin.display(description="媒体")
    def outlet(self, membership):
        return membership.article.outlet

    @admin.display(description="原文公開日時")
    def published(self, membership):
        # A read-only field shows a method's value as str(): an aware datetime would read in UTC.
        value = membership.article.published_at
        return formats.localize(timezone.localtime(value)) if value else "日付不明（要確認）"


class UndatedFilter(admin.SimpleListFilter):
    """Stories holding an article with no original date, for an editor to date it."""

    title = "日付不明"
    parameter_name = "undated"

    def lookups(self, request, model_admin):
        return [("1", "日付不明の記事がある")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(memberships__article__published_at__isnull=True).distinct()
        return queryset


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="統合先", queryset=Story.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, stories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = stories


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "article_count", "first_seen", "last_seen", "view_on_site_link"]
    list_display_links = ["id"]
    list_editable = ["title"]
    search_fields = ["title", "memberships__article__title", "memberships__article__original_title"]
    list_filter = [UndatedFilter]
    date_hierarchy = "last_seen"
    fields = [
        "title",
        "title_locked",
        "storyline",
        "storyline_by_editor",
        "article_count",
        "first_seen",
        "last_seen",
    ]
    readonly_fields = ["storyline_by_editor", "article_count", "first_seen", "last_seen"]
    raw_id_fields = ["storyline"]
    inlines = [MembershipInline]
    actions = ["merge_stories"]

    @admin.display(description="公開ページ")
    def view_on_site_link(self, story):
        return format_html('<a href="{}">表示</a>', story.get_absolute_url())

    def save_model(self, request, obj, form, change):
        if "title" in form.changed_data:
            obj.title_locked = True  # a new article must not overwrite the editor's title
        if change and "storyline" in form.changed_data:
            target = obj.storyline
            obj.storyline_id = form.initial.get("storyline")  # moved below, with both storylines refreshed
            super().save_model(request, obj, form, change)
            editing.move_stories([obj], target)
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        moving = [
            inline_form.instance
            for inline_form in formset.forms
            if getattr(inline_form, "cleaned_data", None) and inline_form.cleaned_data.get("move")
        ]
        super().save_formset(request, form, formset, change)
        if moving:
            total = StoryMembership.objects.filter(story=form.instance).count()
            if len(moving) >= total:
                self.message_user(request, "すべての記事を移すことはできません。", messages.WARNING)
                return
            chosen = StoryMembership.objects.filter(pk__in=[m.pk for m in moving]).select_related("article")
            new = editing.split(chosen)
            url = reverse("admin:stories_story_change", args=[new.pk])
            self.message_user(
                request,
                format_html(
                    '{}本の記事を新しいストーリー<a href="{}">「{}」</a>に移しました。', len(moving), url, new
                ),
            )

    @admin.action(description="選んだストーリーを統合する")
    def merge_stories(self, request, queryset):
        stories = queryset.prefetch_related(
            Prefetch("memberships", queryset=StoryMembership.objects.select_related("article__outlet"))
        )
        if queryset.count() < 2:
            self.message_user(request, "統合するストーリーを二つ以上選んでください。", messages.WARNING)
            return None
        if "apply" in request.POST:
            form = MergeForm(request.POST, stories=queryset)
            if form.is_valid():
                target = form.cleaned_data["target"]
                count = queryset.count()
                story = editing.merge(list(queryset), target)
                self.message_user(request, f"{count}件のストーリーを「{story}」に統合しました。")
                return None
        else:
            form = MergeForm(stories=queryset, initial={"target": queryset.order_by("first_seen").first()})
        context = {
            **self.admin_site.each_context(request),
            "title": "ストーリーの統合",
            "opts": self.model._meta,
            "stories": stories,
            "form": form,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action": "merge_stories",
        }
        return render(request, "admin/stories/merge.html", context)


@admin.register(StoryMembership)
class StoryMembershipAdmin(admin.ModelAdmin):
    list_display = ["article", "story", "similarity", "duplicate_of", "by_editor", "joined_at"]
    list_select_related = ["article", "story", "duplicate_of"]
    list_filter = ["by_editor", ("article__published_at", admin.EmptyFieldListFilter)]
    search_fields = ["article__title", "article__original_title", "story__title"]
    raw_id_fields = ["article", "story", "duplicate_of"]
    actions = ["split_off"]

    @admin.action(description="選んだ記事を新しいストーリーに移す")
    def split_off(self, request, queryset):
        story = editing.split(queryset.select_related("article"))
        if story is not None:
            self.message_user(
                request, f"{queryset.count()}本の記事を新しいストーリー「{story}」に移しました。"
            )


class StorylineStoryForm(forms.ModelForm):
    move = forms.BooleanField(label="新しいストーリーラインへ移す", required=False)

    class Meta:
        model = Story
        fields = []


class StorylineStoryInline(admin.TabularInline):
    model = Story
    form = StorylineStoryForm
    fk_name = "storyline"
    extra = 0
    can_delete = False
    fields = ["story_link", "article_count", "first_seen", "last_seen", "storyline_by_editor", "move"]
    readonly_fields = ["story_link", "article_count", "first_seen", "last_seen", "storyline_by_editor"]
    ordering = ["first_seen", "pk"]
    verbose_name = "ストーリー"
    verbose_name_plural = "ストーリー（チェックしたストーリーは保存すると新しいストーリーラインに移ります）"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="ストーリー")
    def story_link(self, story):
        url = reverse("admin:stories_story_change", args=[story.pk])
        return format_html('<a href="{}">{}</a>', url, story.title)


class StorylineMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="統合先", queryset=Storyline.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = lines


@admin.register(Storyline)
class StorylineAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "story_count", "first_seen", "last_seen", "view_on_site_link"]
    list_display_links = ["id"]
    list_editable = ["title"]
    search_fields = ["title", "stories__title"]
    date_hierarchy = "last_seen"
    fields = ["title", "title_locked", "story_count", "first_seen", "last_seen"]
    readonly_fields = ["story_count", "first_seen", "last_seen"]
    inlines = [StorylineStoryInline]
    actions = ["merge_storylines"]

    @admin.display(description="公開ページ")
    def view_on_site_link(self, line):
        return format_html('<a href="{}">表示</a>', line.get_absolute_url())

    def save_model(self, request, obj, form, change):
        if "title" in form.changed_data:
            obj.title_locked = True  # a new story must not overwrite the editor's title
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        moving = [
            inline_form.instance
            for inline_form in formset.forms
            if getattr(inline_form, "cleaned_data", None) and inline_form.cleaned_data.get("move")
        ]
        super().save_formset(request, form, formset, change)
        if moving:
            if len(moving) >= form.instance.stories.count():
                self.message_user(request, "すべてのストーリーを移すことはできません。", messages.WARNING)
                return
            new = editing.split_storyline(moving)
            url = reverse("admin:stories_storyline_change", args=[new.pk])
            self.message_user(
                request,
                format_html(
                    '{}件のストーリーを新しいストーリーライン<a href="{}">「{}」</a>に移しました。',
                    len(moving),
                    url,
                    new,
                ),
            )

    @admin.action(description="選んだストーリーラインを統合する")
    def merge_storylines(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "統合するストーリーラインを二つ以上選んでください。", messages.WARNING)
            return None
        if "apply" in request.POST:
            form = StorylineMergeForm(request.POST, lines=queryset)
            if form.is_valid():
                count = queryset.count()
                line = editing.merge_storylines(list(queryset), form.cleaned_data["target"])
                self.message_user(request, f"{count}件のストーリーラインを「{line}」に統合しました。")
                return None
        else:
            form = StorylineMergeForm(
                lines=queryset, initial={"target": queryset.order_by("first_seen").first()}
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "ストーリーラインの統合",
            "opts": self.model._meta,
            "lines": queryset.prefetch_related("stories"),
            "form": form,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action": "merge_storylines",
        }
        return render(request, "admin/stories/merge_storylines.html", context)
