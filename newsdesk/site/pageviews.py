"""Counting article page views without keeping anything about the reader.

The article page is the same cached bytes for everyone (newsdesk/site/caching.py), served by
newsdesk's page cache or a proxy in front without reaching the view, so the page's script reports
the view: a POST to ``/articles/<id>/view`` (sent from this site: the Origin check of
newsdesk/site/csrf.py, so another site cannot make its visitors count views here). The script
sends none for reloads and back/forward visits, and a prerendered page sends it only once opened.

A view adds 1 to the article's counter in the shared cache: no database write on the article
page. ``flush`` (a periodic worker task, and ``newsdesk flushviews``) moves the counts into
``ArticleViews`` rows. What is not a view: obvious bots by User-Agent (and requests without one;
crawlers that run no script send nothing at all), prefetches and prerenders
(``Sec-Purpose``), requests asking to revalidate (``Cache-Control: max-age=0`` or ``no-cache``),
and a source's repeat views of an article within ``REPEAT_SECONDS``: otherwise one script could
push any article up 特に人気. Repeats are recognised by a keyed hash of the source (as comment
rate limits are) kept in the cache for that hour only; no address is stored, and nothing reaches
the database but the daily totals.

Views count only while an article can rank (``RANKING_DAYS`` after it was published): the flush
then needs to look only at the counters of recent articles, a bounded set, instead of every
article ever published.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from newsdesk.articles.models import Article, ArticleViews
from newsdesk.comments.identity import client_address, source_hash

BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|headless|curl|wget|python|go-http-client", re.IGNORECASE
)
# A source's views of one article within this many seconds count once.
REPEAT_SECONDS = 3600
LOCK_KEY = "views:flush-lock"
# A flush takes well under a second; the expiry only frees the lock of one that died holding it.
LOCK_SECONDS = 300
# Counts made just before an article left the window are still flushed for this long after.
FLUSH_SLACK = dt.timedelta(days=1)


def counter_key(article_id: int) -> str:
    return f"views:{article_id}"


def counting_window() -> dt.timedelta:
    return dt.timedelta(days=settings.NEWSDESK["RANKING_DAYS"])


def is_countable(request) -> bool:
    if request.method != "POST":
        return False
    agent = request.headers.get("User-Agent", "")
    if not agent or BOT_AGENTS.search(agent):
        return False
    if "prefetch" in request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose") == "prefetch":
        return False
    revalidate = request.headers.get("Cache-Control", "").replace(" ", "").lower()
    return "max-age=0" not in revalidate and "no-cache" not in revalidate


def count_view(request, article: Article) -> None:
    """Counts one view of ``article`` (published) if the request is a reader's view worth counting."""
    if not is_countable(request) or article.site_published_at < timezone.now() - counting_window():
        return
    seen = f"views:seen:{article.pk}:{source_hash(client_address(request))[:32]}"
    if cache.add(seen, 1, timeout=REPEAT_SECONDS):
        _increment(article.pk, 1)


def _increment(article_id: int, views: int) -> None:
    key = counter_key(article_id)
    try:
        cache.incr(key, views)
    except ValueError:  # no counter yet (the article's first view, or it expired)
        # The counter outlives the article's counting window and the flush's slack after it, so
        # it never expires holding counts the flush would still have taken.
        lifetime = counting_window() + FLUSH_SLACK + dt.timedelta(days=1)
        if not cache.add(key, views, timeout=lifetime.total_seconds()):
            cache.incr(key, views)  # another process made it between our incr and add


def read_counts(article_ids) -> dict[int, int]:
    """The counters of these articles that hold views."""
    found = cache.get_many([counter_key(pk) for pk in article_ids])
    return {int(key.rsplit(":", 1)[1]): value for key, value in found.items() if value > 0}


def flush(now: dt.datetime | None = None) -> int | None:
    """Moves the counted views into today's ``ArticleViews`` rows; the number of views moved, or
    None when another flush is running.

    Each counter is read, then decremented by what was read (atomic in every cache backend): a
    view counted in between stays in the counter for the next flush, neither lost nor counted
    twice. Flushes take turns (a lock in the cache): two reading the same counts would both write
    them. Should the database refuse the write, the counts go back into the counters.
    """
    now = now or timezone.now()
    if not cache.add(LOCK_KEY, 1, timeout=LOCK_SECONDS):
        return None
    try:
        since = now - counting_window() - FLUSH_SLACK
        recent = Article.objects.filter(site_published_at__gte=since).values_list("pk", flat=True)
        counts = read_counts(recent)
        # An article deleted since the counts were read would fail the whole write; its views go.
        existing = set(Article.objects.filter(pk__in=counts).values_list("pk", flat=True))
        counts = {pk: views for pk, views in counts.items() if pk in existing}
        for pk, views in counts.items():
            # A counter that expired after the read held no more than what was read.
            with contextlib.suppress(ValueError):
                cache.decr(counter_key(pk), views)
        try:
            _add_to_day(counts, timezone.localdate(now))
        except DatabaseError:
            for pk, views in counts.items():
                _increment(pk, views)
            raise
        return sum(counts.values())
    finally:
        cache.delete(LOCK_KEY)


def _add_to_day(counts: dict[int, int], day: dt.date) -> None:
    with transaction.atomic():
        for pk, views in counts.items():
            row = ArticleViews.objects.filter(article_id=pk, day=day)
            if not row.update(views=F("views") + views):
                ArticleViews.objects.create(article_id=pk, day=day, views=views)
