"""The gazetteer, the candidates review queue, and (read-only) what the stage found in articles."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Sum
from django.utils.text import Truncator

from newsdesk.core.admin import PublicPageColumns, ReadOnlyMixin
from newsdesk.entities import service
from newsdesk.entities.models import Alias, Candidate, Entity, Event, Figure


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ["name"]


@admin.register(Entity)
class EntityAdmin(PublicPageColumns, admin.ModelAdmin):
    list_display = ["name", "kind", "alias_list", "slug", "article_count", "page_link"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases__name"]
    inlines = [AliasInline]
    fields = ["name", "kind", "slug", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases").annotate(_articles=Count("mentions"))

    @admin.display(description="別名")
    def alias_list(self, obj):
        return Truncator("、".join(alias.name for alias in obj.aliases.all())).chars(60)


class CandidateStatusFilter(admin.SimpleListFilter):
    """The queue opens on the candidates still to review."""

    title = "状態"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Candidate.Status.choices, ("all", "すべて")]

    def choices(self, changelist):
        value = self.value() or Candidate.Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or Candidate.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "status",
        "article_count",
        "mention_count",
        "example",
        "created_at",
        "entity",
    ]
    list_editable = ["kind"]
    list_filter = [CandidateStatusFilter, "kind"]
    search_fields = ["name"]
    readonly_fields = ["name", "status", "example", "entity", "created_at", "reviewed_at"]
    fields = ["name", "kind", "status", "example", "entity", "created_at", "reviewed_at"]
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("entity")
            .annotate(_articles=Count("mentions"), _mentions=Sum("mentions__count"))
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description="記事数", ordering="_articles")
    def article_count(self, obj):
        return obj._articles

    @admin.display(description="出現回数", ordering="_mentions")
    def mention_count(self, obj):
        return obj._mentions or 0

    @admin.display(description="例文")
    def example(self, obj):
        return service.candidate_sentence(obj)

    @admin.action(description="承認して辞書に登録する")
    def approve(self, request, queryset):
        entities = service.approve(queryset.exclude(status=Candidate.Status.APPROVED))
        self.message_user(request, f"{len(entities)}件の候補を承認し、辞書に登録しました。", messages.SUCCESS)

    @admin.action(description="却下する（今後は候補に挙げない）")
    def reject(self, request, queryset):
        count = service.reject(queryset.exclude(status=Candidate.Status.REJECTED))
        self.message_user(request, f"{count}件の候補を却下しました。", messages.SUCCESS)


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Rows the pipeline writes: editors may look, not change (re-run the stage instead)."""


@admin.register(Figure)
class FigureAdmin(ReadOnlyAdmin):
    list_display = ["text", "value", "unit", "sentence_excerpt", "article"]
    list_filter = ["unit"]
    search_fields = ["text", "sentence", "article__title"]
    list_select_related = ["article"]

    @admin.display(description="文")
    def sentence_excerpt(self, obj):
        return Truncator(obj.sentence).chars(60)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["label_display", "precision", "text", "sentence_excerpt", "article"]
    list_filter = ["precision"]
    date_hierarchy = "date"
    search_fields = ["sentence", "article__title"]
    list_select_related = ["article"]

    @admin.display(description="日付", ordering="date")
    def label_display(self, obj):
        return obj.label

    @admin.display(description="文")
    def sentence_excerpt(self, obj):
        return Truncator(obj.sentence).chars(60)
