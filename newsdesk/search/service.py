"""One search from request parameters to result items, shared by the page and the JSON API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from newsdesk.articles.models import Article
from newsdesk.entities.models import Entity
from newsdesk.search.backends import Filters, get_backend
from newsdesk.search.backends.base import raw_body, raw_title
from newsdesk.search.text import Query, QueryError, parse_query, snippet

MAX_PAGE = 500


class ParamError(ValueError):
    """A request parameter that is not valid; the message names it, for a 400."""


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


def _int(params, name: str, minimum: int = 1) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ParamError(f"{name} must be a whole number") from None
    if number < minimum:
        raise ParamError(f"{name} must be at least {minimum}")
    if number > MAX_ID:
        raise ParamError(f"{name} is too large")
    return number


def _date(params, name: str) -> dt.date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise ParamError(f"{name} must be a date as YYYY-MM-DD") from None
    if not EARLIEST <= date <= LATEST:
        raise ParamError(f"{name} must be between {EARLIEST} and {LATEST}")
    return date


def parse(params) -> Search:
    """Reads q, outlet, entity, since, until and page; raises ParamError for a bad one."""
    raw = params.get("q") or ""
    try:
        query = parse_query(raw)
    except QueryError as exc:
        raise ParamError(str(exc)) from None
    filters = Filters(
        outlet=_int(params, "outlet"),
        since=_date(params, "since"),
        until=_date(params, "until"),
        entity=_int(params, "entity"),
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise ParamError("since must not be after until")
    page = _int(params, "page") or 1
    if page > MAX_PAGE:
        raise ParamError(f"page must be at most {MAX_PAGE}")
    return Search(raw=raw, query=query, filters=filters, page=page, per_page=settings.NEWSDESK["PAGE_SIZE"])


def run(search: Search) -> Search:
    """Fills ``count`` and ``items`` (the requested page, in rank order)."""
    if not search.query:
        return search
    results = get_backend().search(search.query, search.filters, search.page, search.per_page)
    search.count = results.count
    ids = [hit.article_id for hit in results.hits]
    articles = Article.objects.select_related("outlet").in_bulk(ids)
    terms = search.query.terms
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
