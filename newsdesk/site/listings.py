"""What a listing counts over the whole archive, kept in the cache until the archive changes.

A listing page shows its number of pages (「1 / 4,630 ページ」), the story list counts stories
with two published articles, the tag index counts every tag's articles. Those counts read every
listed row, so they are the part of a listing page that grows with the archive: 60 to 500 ms at
100,000 articles on SQLite (bench/render.py, "first after a change"). Everything else on those
pages reads a page's worth of rows.

So they are computed once and kept in the shared cache under a generation number that moves on
any write that can change one, now and again after it commits: a save of an article that is or
was published (newsdesk/site/versions.py, ``on_site``), a story
membership (the copies a listing leaves out), a tag link, an entity mention, a story or storyline,
a tag, an entity or an outlet, and a deletion of an article, story, storyline, tag, entity or
outlet (the rows hanging from it go with it). Rows the pipeline's stages write in bulk are
written before the article's own save. Comments, reactions and rankings do not move it (they move
the page cache's version, newsdesk/site/versions.py, several times a minute), so a listing
rendered after a comment does not count again. A count is also kept only until the earliest
scheduled publication: publishing by the clock writes nothing.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.entities.models import Entity, Mention
from newsdesk.site import versions
from newsdesk.sources.models import Outlet
from newsdesk.stories.models import Story, Storyline, StoryMembership
from newsdesk.tags.models import ArticleTag, Tag

logger = logging.getLogger(__name__)

GENERATION_KEY = "listings:generation"
# Counts under a past number are never read again; they go from the cache after a day.
KEEP_SECONDS = 24 * 3600
SAVED = (StoryMembership, ArticleTag, Mention, Story, Storyline, Tag, Entity, Outlet)
# Deleting one of these moves the number; their rows' own rows go with them. A receiver on the
# rows themselves would make Django load every mention of an entity before deleting it.
DELETED = (Article, Story, Storyline, Tag, Entity, Outlet)


def generation() -> int:
    number = cache.get(GENERATION_KEY)
    if number is None:  # lost from the cache: from the clock, larger than any counts were kept under
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        number = cache.get(GENERATION_KEY)
    return number


def move() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def _changed(**kwargs) -> None:
    # Now, for the writing transaction's own reads (a test's), and again once it commits (once
    # per transaction: an import saves thousands of rows in one): a count another process made
    # meanwhile, without the uncommitted rows, is kept under a number then past.
    try:
        move()
    except Exception:  # a cache that is down must not undo the write (the move after it is robust)
        logger.exception("listings: could not move the generation")
    connection = transaction.get_connection()
    if not any(entry[1] is move for entry in connection.run_on_commit):
        transaction.on_commit(move, robust=True)


def _article_saved(instance: Article, **kwargs) -> None:
    # Listings count published articles only: the stages' saves of a new article change none.
    if versions.on_site(instance):
        _changed()


def _next_publication() -> float:
    """The Unix time of the earliest scheduled publication still to come, or infinity."""
    moment = (
        Article.objects.filter(status=Article.Status.PUBLISHED, site_published_at__gt=timezone.now())
        .order_by("site_published_at")
        .values_list("site_published_at", flat=True)
        .first()
    )
    return moment.timestamp() if moment else float("inf")


def kept(name: str, compute):
    """``compute()``, kept under ``name`` until the archive or the set of published articles changes."""
    key = f"listings:{generation()}:{name}"
    entry = cache.get(key)
    if entry is not None and time.time() < entry[1]:
        return entry[0]
    until = min(_next_publication(), time.time() + KEEP_SECONDS)
    value = compute()
    cache.set(key, (value, until), timeout=max(1, int(until - time.time())))
    return value


def count(name: str, queryset) -> int:
    return kept(f"count:{name}", queryset.count)


def walk_newest(matches: int) -> bool:
    """Whether a listing's first page of its ``matches`` articles is found sooner by walking the
    newest articles and checking each (about a page times archive / matches of them) than by
    reading every match and sorting them (entity and tag pages)."""
    archive = count("published", Article.objects.published())
    return matches * matches >= settings.NEWSDESK["PAGE_SIZE"] * archive


def connect() -> None:
    post_save.connect(_article_saved, sender=Article, dispatch_uid="site.listings.Article")
    for model in SAVED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"site.listings.{model.__name__}")
    for model in DELETED:
        post_delete.connect(_changed, sender=model, dispatch_uid=f"site.listings.{model.__name__}")
