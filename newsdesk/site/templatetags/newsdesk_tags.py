"""Template helpers for the reader site: JST dates, an article's dates and excerpt, site settings."""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.text import Truncator

from newsdesk.japanese.dates import JST
from newsdesk.site import freshness

register = template.Library()

# Characters of an article's lead a listing shows under its headline (the article page's excerpt of
# the body, for outlets that allow only a summary, is views.articles.EXCERPT_CHARS).
LIST_EXCERPT_CHARS = 120


def to_jst(value) -> dt.datetime | None:
    """The datetime in Japan time; a naive datetime is taken to be UTC."""
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(JST)


@register.filter
def jst(value) -> str:
    """``2024年6月24日 01:06`` for a datetime, shown in Japan time whatever zone it is stored in."""
    local = to_jst(value)
    if local is None:
        return ""
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@register.filter
def jst_iso(value) -> str:
    """ISO 8601 in Japan time, for ``<time datetime="...">``."""
    local = to_jst(value)
    return local.isoformat(timespec="seconds") if local else ""


@register.simple_tag
def jst_span(first, last) -> str:
    """From the first to the last report as <time> elements; one when they read the same (a story
    of one article)."""
    start, end = jst(first), jst(last)
    one = format_html('<time datetime="{}">{}</time>', jst_iso(first), start)
    return one if end == start else format_html('{}〜<time datetime="{}">{}</time>', one, jst_iso(last), end)


@register.inclusion_tag("articles/_dates.html")
def article_dates(article, short: bool = True) -> dict:
    """The original's date beside ours, and 「2023年9月の記事」 on an old original (see
    ``newsdesk.site.freshness``); ``short``: without this year's year, as listings show it."""
    return freshness.article_dates(article, short=short)


@register.filter
def excerpt(article) -> str:
    """What a listing shows under a headline: the lead, cut to LIST_EXCERPT_CHARS, else the first bullet."""
    if article.standfirst:
        return Truncator(article.standfirst).chars(LIST_EXCERPT_CHARS, truncate="…")
    bullets = [bullet for bullet in article.summary or [] if isinstance(bullet, str) and bullet.strip()]
    return bullets[0] if bullets else ""


@register.simple_tag
def newsdesk_setting(name: str):
    """A value of ``settings.NEWSDESK``, for templates rendered without a request (500.html)."""
    return settings.NEWSDESK.get(name, "")
