"""訂正・更新 as readers see them: the article page's lines, and the date feeds and JSON-LD give an
article that has them.

An article with corrections is dated by the latest (Atom ``<updated>``, RSS ``atom:updated``,
JSON-LD ``dateModified``): that is when readers were told it changed, while ``updated_at`` moves
with every save, the pipeline's included (re-tagging, re-indexing). One without keeps
``updated_at``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max

from newsdesk.articles.models import Article
from newsdesk.editorial.models import Correction

_LIST = "_newsdesk_corrections"
_LATEST = "_newsdesk_latest_correction"


def of(article: Article) -> list[Correction]:
    """The article's corrections, oldest first (read once per article object)."""
    if not hasattr(article, _LIST):
        setattr(article, _LIST, list(Correction.objects.filter(article_id=article.pk)))
    return getattr(article, _LIST)


def attach_latest(articles: Iterable[Article]) -> None:
    """Reads the time of each article's latest correction in one query (for a feed's entries)."""
    articles = list(articles)
    latest = dict(
        Correction.objects.filter(article__in=[article.pk for article in articles])
        .values("article")
        .annotate(latest=Max("created_at"))
        .values_list("article", "latest")
    )
    for article in articles:
        setattr(article, _LATEST, latest.get(article.pk))


def latest_at(article: Article) -> dt.datetime | None:
    if hasattr(article, _LATEST):
        return getattr(article, _LATEST)
    corrections = of(article)
    return max((correction.created_at for correction in corrections), default=None)


def modified_at(article: Article) -> dt.datetime:
    """When readers were last told the article changed: its latest correction, else ``updated_at``."""
    return latest_at(article) or article.updated_at
