"""The site's content version: one number in the shared cache that moves on every change readers
can see, so that every process's page cache (newsdesk/site/pagecache.py) drops every page at once.

One number for the whole site rather than one per page: a page shows many things (a comment count
in a ranking, a story's title beside an article, an outlet's policy), and tracking which page shows
what would be a second copy of the templates that drifts from them. The price is that any change
re-renders each page once, on its next request.

The number moves after the change's transaction commits: a page rendered meanwhile reads the old
rows, and must not be stored under the new number. It starts from the clock (nanoseconds), so a
number lost from the cache (evicted, a restarted Redis) comes back larger than any that pages were
stored under, never equal to one.

What moves it: saves and deletions of published (or formerly published) articles, corrections,
stories, storylines, tags, outlets, entities and aliases; ``content_changed`` (outlets' policies
reviewed: writes that send no post_save); ``picks_changed``; and each recomputed ranking
(``site/rankings.py``).

Comments are the exception, because readers post them all the time: with one number, sixteen
posters kept nearly every page from its cached copy (bench/cluster.py). A comment posted, reacted
to or moderated (``comments_changed``) moves two narrower numbers instead: its thread's, which the
article's page and comment feed are also kept under, and the one for every thread, which pages
showing comment counts of many articles (the rankings) are kept under. A view says which it shows
with ``reader_page(comments=...)`` (newsdesk/site/caching.py); ``page_keys`` finds it from the path.

Scheduled articles appear when their time comes with no write at all, so the earliest publication
still to come is kept beside the number: the page cache keeps no page past it.

Each move sends ``moved`` with the number moved past: a cache in front of the site purges what it
was told under it (newsdesk/site/frontcache.py). With the disk cache, each move (and each number
made anew) also adds one to the machine's count of moves (``moves``, newsdesk/core/sequence.py):
while it stays the same, a process may answer from the numbers it read last without reading them.
"""

from __future__ import annotations

import functools
import time

from diskcache import DjangoCache
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal
from django.urls import Resolver404, resolve
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.articles.signals import comments_changed, content_changed, picks_changed
from newsdesk.core import sequence
from newsdesk.editorial.models import Correction
from newsdesk.entities.models import Alias, Entity
from newsdesk.site.caching import COMMENT_SCOPE
from newsdesk.sources.models import Outlet
from newsdesk.stories.models import Story, Storyline
from newsdesk.tags.models import Tag

VERSION_KEY = "pages:version"
NEXT_PUBLICATION_KEY = "pages:next-publication"
COMMENTS_KEY = "pages:comments"  # every thread's (comment counts of many articles)
# Editors' and the stages' writes to these show on pages. An article's own rows (tags, mentions,
# story memberships, images) are written before the article's save (the stages) or in its
# transaction (the admin's inlines), so the article's save moves the number for them.
WATCHED = (Correction, Story, Storyline, Tag, Outlet, Entity, Alias)
# Set on an article by pre_save: whether the row being overwritten was on the site.
WAS_PUBLISHED = "_site_was_published"
# Set on an article by post_save: the status its row was saved with.
SAVED_STATUS = "_site_saved_status"
# Sent after a number moves, with ``key``, its name, ``version``, the number moved past, and
# ``store``, the cache.
moved = Signal()


def thread_key(article_id: int) -> str:
    return f"{COMMENTS_KEY}:{article_id}"


def moves(store=cache) -> sequence.Sequence | None:
    """The count of moves of ``store``'s numbers, when ``store`` is the disk cache, whose processes
    share one machine; None for any other cache: its numbers are read on every request."""
    store = caches["default"] if store is cache else store
    return sequence.beside(store.directory) if isinstance(store, DjangoCache) else None


def _count_move(store) -> None:
    if (count := moves(store)) is not None:
        count.advance()


def current(store=cache, key: str = VERSION_KEY) -> int:
    version = store.get(key)
    if version is None:
        if store.add(key, time.time_ns(), timeout=None):
            _count_move(store)
        version = store.get(key)
    return version


def value(found: dict, key: str, store=cache) -> int:
    """``key``'s number from ``found`` (what a ``get_many`` returned). A thread's number reads 0
    until its first comment makes it: any reader may name any article in a path, and a number made
    for each one asked would fill the cache."""
    if key == VERSION_KEY:
        return found.get(key) or current(store)
    return found.get(key, 0)


def bump(store=cache, key: str = VERSION_KEY) -> None:
    try:
        new = store.incr(key)
    except ValueError:  # not there: start from the clock (see the module's docstring)
        if store.add(key, time.time_ns(), timeout=None):
            _count_move(store)
            if key != VERSION_KEY:  # a thread's first comment: its pages were kept under 0
                moved.send(sender=None, key=key, version=0, store=store)
            return  # the site's number before is lost: a cache in front keeps its pages until s-maxage
        new = store.incr(key)
    _count_move(store)
    moved.send(sender=None, key=key, version=new - 1, store=store)


@functools.lru_cache(maxsize=4096)
def page_keys(path: str) -> tuple[str, ...]:
    """The numbers a page at ``path`` is kept under: the site's, and the comments' it shows.
    Kept per path (resolving costs more than the rest of a cached answer); bounded, as any
    reader may ask for any path."""
    try:
        match = resolve(path)
    except Resolver404:
        return (VERSION_KEY,)
    scope = getattr(match.func, COMMENT_SCOPE, None)
    if scope == "thread":
        return (VERSION_KEY, thread_key(match.kwargs["pk"]))
    if scope == "counts":
        return (VERSION_KEY, COMMENTS_KEY)
    return (VERSION_KEY,)


def next_publication(store=cache) -> float:
    """The Unix time of the earliest scheduled publication still to come (0.0: none), looked up
    in the database and kept in the cache for the page cache."""
    moment = (
        Article.objects.filter(status=Article.Status.PUBLISHED, site_published_at__gt=timezone.now())
        .order_by("site_published_at")
        .values_list("site_published_at", flat=True)
        .first()
    )
    value = moment.timestamp() if moment else 0.0
    store.set(NEXT_PUBLICATION_KEY, value, timeout=None)
    return value


def _articles_changed() -> None:
    next_publication()
    bump()


def _after_commit(func) -> None:
    """Runs ``func`` once the current transaction commits (now, outside one), once however many
    changes the transaction makes: an import saves thousands of rows in one."""
    connection = transaction.get_connection()
    if not any(entry[1] is func for entry in connection.run_on_commit):
        # robust: a cache that is down must not turn a committed save into an error.
        transaction.on_commit(func, robust=True)


def changed(**kwargs) -> None:
    _after_commit(bump)


def _comments_changed(article_id: int, **kwargs) -> None:
    def bump_both() -> None:
        bump(key=thread_key(article_id))
        bump(key=COMMENTS_KEY)

    transaction.on_commit(bump_both, robust=True)


def _remember_publication(instance: Article, **kwargs) -> None:
    # An article taken off the site (rejected, sent back to review) is saved unpublished: only
    # the stored row tells that it was on the site. Costs a query only for unpublished saves of an
    # instance this process has not saved before (the pipeline saves one instance several times).
    if not instance.pk or instance.status == Article.Status.PUBLISHED:
        was_published = False
    elif hasattr(instance, SAVED_STATUS):
        was_published = getattr(instance, SAVED_STATUS) == Article.Status.PUBLISHED
    else:
        was_published = Article.objects.filter(pk=instance.pk, status=Article.Status.PUBLISHED).exists()
    setattr(instance, WAS_PUBLISHED, was_published)


def on_site(article: Article) -> bool:
    """Whether this save of ``article`` changes what readers see: it is, or was, published."""
    return article.status == Article.Status.PUBLISHED or getattr(article, WAS_PUBLISHED, False)


def _article_changed(instance: Article, **kwargs) -> None:
    setattr(instance, SAVED_STATUS, instance.status)
    # The stages save articles many times before publication; readers see none of those saves.
    if on_site(instance):
        _after_commit(_articles_changed)


def connect() -> None:
    pre_save.connect(_remember_publication, sender=Article, dispatch_uid="site.versions.pre")
    post_save.connect(_article_changed, sender=Article, dispatch_uid="site.versions.article")
    post_delete.connect(_article_changed, sender=Article, dispatch_uid="site.versions.article")
    for model in WATCHED:
        post_save.connect(changed, sender=model, dispatch_uid=f"site.versions.{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"site.versions.{model.__name__}")
    content_changed.connect(changed, dispatch_uid="site.versions.content")
    comments_changed.connect(_comments_changed, dispatch_uid="site.versions.comments")
    picks_changed.connect(changed, dispatch_uid="site.versions.picks")
