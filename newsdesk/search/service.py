"""One search from request parameters to result items, shared by the page and the JSON API."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings

from newsdesk.articles.models import Article
from newsdesk.entities.models import Entity
from newsdesk.search import aliases
from newsdesk.search.backends import Filters, get_backend
from newsdesk.search.backends.base import raw_body, raw_title
from newsdesk.search.text import Query, QueryError, parse_query, snippet

MAX_PAGE = 500


ORDERS = {"relevance": "関連度順", "date": "新しい順"}


class ParamError(ValueError):
    """A request parameter that is not valid; the message (Japanese) names it, for a 400."""


@dataclass
class Item:
    article: Article
    title: str
    title_html: str
    url: str
    snippet: str

    def as_json(self) -> dict:
        return {"id": self.article.pk, "title": self.title, "url": self.url, "snippet": str(self.snippet)}


@dataclass
class Search:
    raw: str
    query: Query
    filters: Filters
    page: int
    per_page: int
    order: str = "relevance"
    count: int = 0
    items: list[Item] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# Ids and dates outside these can only be typed by hand; the database would reject them with an error.
MAX_ID = 2**31 - 1
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
_ISO_DATE = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _int(params, name: str, minimum: int = 1) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ParamError(f"{name} は整数で指定してください。") from None
    if number < minimum:
        raise ParamError(f"{name} は{minimum}以上で指定してください。")
    if number > MAX_ID:
        raise ParamError(f"{name} が大きすぎます。")
    return number


def _date(params, name: str) -> dt.date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        # fromisoformat alone would also take 20240101 and 2024-W01-1, which the API document
        # (format: date) rules out.
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise ParamError(f"{name} は YYYY-MM-DD 形式の日付で指定してください。") from None
    if not EARLIEST <= date <= LATEST:
        raise ParamError(f"{name} は {EARLIEST} から {LATEST} までの日付で指定してください。")
    return date


def parse(params) -> Search:
    """Reads q, outlet, entity, since, until, order and page; raises ParamError for a bad one.

    Each query term is expanded into the names of the gazetteer entity it names (``aliases``)."""
    raw = params.get("q") or ""
    try:
        query = aliases.expand(parse_query(raw))
    except QueryError as exc:
        raise ParamError(str(exc)) from None
    order = (params.get("order") or "relevance").strip()
    if order not in ORDERS:
        raise ParamError("order は relevance（関連度順）か date（新しい順）で指定してください。")
    filters = Filters(
        outlet=_int(params, "outlet"),
        since=_date(params, "since"),
        until=_date(params, "until"),
        entity=_int(params, "entity"),
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise ParamError("since（開始日）は until（終了日）より後にできません。")
    page = _int(params, "page") or 1
    if page > MAX_PAGE:
        raise ParamError(f"page は{MAX_PAGE}以下で指定してください。")
    return Search(
        raw=raw,
        query=query,
        filters=filters,
        page=page,
        per_page=settings.NEWSDESK["PAGE_SIZE"],
        order=order,
    )


def run(search: Search) -> Search:
    """Fills ``count`` and ``items`` (the requested page, in rank order)."""
    if not search.query:
        return search
    results = get_backend().search(search.query, search.filters, search.page, search.per_page, search.order)
    search.count = results.count
    ids = [hit.article_id for hit in results.hits]
    # published(): an index row a write around the signals left behind never shows an article.
    articles = Article.objects.published().select_related("outlet").in_bulk(ids)
    terms = search.query.words  # every alternative found is highlighted
    for article_id in ids:
        article = articles.get(article_id)
        if article is None:
            continue
        body = raw_body(article)
        search.items.append(
            Item(
                article=article,
                title=article.headline,
                title_html=snippet(article.headline, terms, width=len(article.headline) + 1),
                url=article.get_absolute_url(),
                snippet=snippet(body or raw_title(article), terms),
            )
        )
    return search


def entity_name(entity_id: int | None) -> str | None:
    if entity_id is None:
        return None
    entity = Entity.objects.filter(pk=entity_id).first()
    return entity.name if entity else None
