"""The filters of the Comment list: the moderation queue it opens on, reports, and articles.

The list opens on 要対応 (held posts, and reported posts still on the page) unless the editor has
narrowed it some other way.
"""

from __future__ import annotations

from django.contrib import admin

from newsdesk.comments import moderation

# Query-string keys that do not narrow the list: paging, ordering, popups, facets.
NON_FILTER_PARAMS = {"o", "p", "all", "e", "_popup", "_to_field", "_facets", "_changelist_filters"}


class QueueFilter(admin.SimpleListFilter):
    """要対応 is the default view, unless the editor has narrowed the list some other way (a status,
    an article, an ID, a search): then they mean to see everything that matches."""

    title = "対応"
    parameter_name = "queue"
    NEEDS = "needs"
    ALL = "all"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        narrowed = any(key not in NON_FILTER_PARAMS | {self.parameter_name} for key in request.GET)
        self.default = self.ALL if narrowed else self.NEEDS

    def lookups(self, request, model_admin):
        return [(self.NEEDS, "要対応（承認待ち・通報あり）"), (self.ALL, "すべて")]

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == self.NEEDS:
            return moderation.needs_attention(queryset)
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    title = "通報あり"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", "通報あり"), ("no", "通報なし")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        if self.value() == "no":
            return queryset.filter(report_count=0)
        return queryset


class ArticleFilter(admin.RelatedOnlyFieldListFilter):
    """Only articles that have comments; the query parameter stays ``article__id__exact``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "記事"
