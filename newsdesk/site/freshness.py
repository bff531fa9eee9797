"""How fresh an article's news is, wherever readers or machines meet it.

Pages and listings show the original's date beside ours (「原文 2023年9月16日」「掲載 12月4日 15:30」),
and an article whose original appeared more than ``NEWSDESK_STALE_DAYS`` days before we published
it carries 「2023年9月の記事」: the list is in our order of publication, so an old op-ed published
today sits at the top, and the label says what its place does not. Feeds date an item by the
original (ours where unknown), and the news sitemap lists only news that is fresh by that date.

An original known only by its day (``published_date_only``) is stored as 0:00 JST of that day: it
is shown and exported as the day, never as 「00:00」, and counts as fresh until its day is over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.japanese.dates import JST


def news_time(article: Article) -> dt.datetime | None:
    """When the news appeared: the original's publication, ours where it is unknown."""
    return article.published_at or article.site_published_at


def fresh_since(since: dt.datetime) -> Q:
    """Articles whose news (the original, ours where unknown) appeared at ``since`` or later; an
    original known only by its day counts until that day ends."""
    return (
        Q(published_at__isnull=True, site_published_at__gte=since)
        | Q(published_at__gte=since)
        | Q(published_date_only=True, published_at__gt=since - dt.timedelta(days=1))
    )


def stale_label(article: Article) -> str:
    """「2023年9月の記事」 when the original appeared more than STALE_DAYS calendar days (JST) before
    we published it (or before now, for an article not yet published); else ""."""
    if article.published_at is None:
        return ""
    original = article.published_at.astimezone(JST)
    ours = (article.site_published_at or timezone.now()).astimezone(JST)
    if (ours.date() - original.date()).days <= settings.NEWSDESK["STALE_DAYS"]:
        return ""
    return f"{original.year}年{original.month}月の記事"


@dataclass(frozen=True)
class Moment:
    """One date as a page shows it: the words, and the value of ``<time datetime>``."""

    text: str
    iso: str


def moment(value: dt.datetime, *, day_only: bool = False, short: bool = False) -> Moment:
    """``2023年9月16日 15:30`` in Japan time; ``day_only`` drops the time, ``short`` the year
    when it is this year's (listings: 「12月4日 15:30」)."""
    local = value.astimezone(JST)
    day = f"{local.month}月{local.day}日"
    if not (short and local.year == timezone.now().astimezone(JST).year):
        day = f"{local.year}年{day}"
    if day_only:
        return Moment(day, local.date().isoformat())
    return Moment(f"{day} {local:%H:%M}", local.isoformat(timespec="seconds"))


def article_dates(article: Article, *, short: bool = False) -> dict:
    """What ``articles/_dates.html`` shows: the original's date, ours, and the label."""
    original = article.published_at
    ours = article.site_published_at
    return {
        "original": moment(original, day_only=article.published_date_only, short=short) if original else None,
        "ours": moment(ours, short=short) if ours else None,
        "stale_label": stale_label(article),
    }
