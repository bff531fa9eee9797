"""特に人気 (popular) and オススメ (recommended): ranked lists of published articles.

Each ranking is computed in Python over a bounded candidate set (the articles of the last
``RANKING_DAYS`` days, plus the newest ones for オススメ) and its list of ids is cached for
``RANKING_CACHE_SECONDS``, so a listing page reads its order from the cache and fetches only the
articles it shows. The reader pages and the feeds take articles from ``popular_articles`` and
``recommended_articles``. The worker recomputes the lists after each flush of page views
(``refresh``); a recomputed list moves the site's version, so cached pages show it at once.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.dispatch import receiver
from django.utils import timezone

from newsdesk.articles.models import Article, ArticleViews
from newsdesk.articles.signals import picks_changed
from newsdesk.comments.models import Comment
from newsdesk.site import versions
from newsdesk.stories.queries import collapse_copies

POPULAR_KEY = "rankings:popular"
RECOMMENDED_KEY = "rankings:recommended"
PICKS_KEY = "rankings:picks"
# Ranks past 100 say little; the lists stop there (5 pages at the default page size).
RANKED_MAX = 100
# How many of the newest articles オススメ draws its diverse items from.
FRESH_POOL = 2 * RANKED_MAX
# In オススメ, one outlet has at most OUTLET_MAX of any OUTLET_SPAN items in a row.
OUTLET_SPAN, OUTLET_MAX = 5, 2


class Entry(NamedTuple):
    pk: int
    outlet: int
    story: str  # story_key


def window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.NEWSDESK["RANKING_DAYS"])


def popularity(views: int, comments: int, age_hours: float) -> float:
    """Views plus weighted visible comments, halved every ``RANKING_HALF_LIFE_HOURS`` of age.

    An exponential half-life rather than Hacker News' gravity, ``points / (hours + 2) ** 1.8``:
    one setting an editor can read ("a day-old article needs twice the readers of a new one"),
    and the trade between readers and age stays the same at any age, where gravity's penalty for
    each further hour fades as an article gets older.
    """
    points = views + settings.NEWSDESK["RANKING_COMMENT_WEIGHT"] * comments
    return points * 0.5 ** (max(age_hours, 0.0) / settings.NEWSDESK["RANKING_HALF_LIFE_HOURS"])


def _cached(key: str, compute) -> list[int]:
    ids = cache.get(key)
    if ids is None:  # expired with no worker to refresh it: pages kept with the old list are stale
        ids = compute(timezone.now())
        cache.set(key, ids, settings.NEWSDESK["RANKING_CACHE_SECONDS"])
        versions.bump()
    return ids


def refresh(now: dt.datetime | None = None) -> bool:
    """Recomputes the three lists (the worker does, after each flush of page views); moves the
    site's version when one changed. True when one did."""
    now = now or timezone.now()
    before = cache.get_many([PICKS_KEY, POPULAR_KEY, RECOMMENDED_KEY])
    changed = False
    # In this order: オススメ reads the other two from the cache.
    for key, compute in (
        (PICKS_KEY, picked_ids),
        (POPULAR_KEY, rank_popular),
        (RECOMMENDED_KEY, rank_recommended),
    ):
        ids = compute(now)
        cache.set(key, ids, settings.NEWSDESK["RANKING_CACHE_SECONDS"])
        changed = changed or before.get(key) != ids
    if changed:
        versions.bump()
    return changed


def popular_ids() -> list[int]:
    return _cached(POPULAR_KEY, rank_popular)


def recommended_ids() -> list[int]:
    return _cached(RECOMMENDED_KEY, rank_recommended)


def editor_pick_ids() -> list[int]:
    return _cached(PICKS_KEY, picked_ids)


@receiver(picks_changed)
def forget_recommended(**kwargs) -> None:
    """An editor's new pick shows at once rather than when the cached lists run out."""
    cache.delete_many([RECOMMENDED_KEY, PICKS_KEY])


def story_key(article_id: int, story_id: int | None) -> str:
    """What "the same story" compares: the story, or the article itself when it has none."""
    return f"s{story_id}" if story_id else f"a{article_id}"


def _entries(queryset) -> list[Entry]:
    rows = queryset.values_list("pk", "outlet_id", "story_membership__story_id")
    return [Entry(pk, outlet, story_key(pk, story)) for pk, outlet, story in rows]


def rank_popular(now: dt.datetime) -> list[int]:
    """Published articles of the window with any views or comments, most popular first, one per
    story (the first of a story's articles keeps its place; copies are left out altogether)."""
    since = window_start(now)
    view_totals = (
        ArticleViews.objects.filter(article=OuterRef("pk"), day__gte=timezone.localdate(since))
        .values("article")
        .annotate(total=Sum("views"))
        .values("total")
    )
    comment_totals = (
        Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.VISIBLE)
        .values("article")
        .annotate(total=Count("pk"))
        .values("total")
    )
    rows = (
        collapse_copies(Article.objects.published().filter(site_published_at__gte=since))
        .annotate(
            view_count=Coalesce(Subquery(view_totals), 0),
            comment_count=Coalesce(Subquery(comment_totals), 0),
        )
        .values_list("pk", "site_published_at", "view_count", "comment_count", "story_membership__story_id")
    )
    scored = []
    for pk, published, views, comments, story in rows:
        score = popularity(views, comments, (now - published).total_seconds() / 3600)
        if score > 0:
            scored.append((-score, -published.timestamp(), -pk, story_key(pk, story)))
    ranked, stories = [], set()
    for _, _, negative_pk, story in sorted(scored):
        if story not in stories:
            stories.add(story)
            ranked.append(-negative_pk)
    return ranked[:RANKED_MAX]


def picked_ids(now: dt.datetime | None = None) -> list[int]:
    """Editors' picks of the window, the latest pick first."""
    since = window_start(now or timezone.now())
    picks = Article.objects.published().filter(picked_at__gte=since).order_by("-picked_at", "-pk")
    return list(picks.values_list("pk", flat=True)[:RANKED_MAX])


def rank_recommended(now: dt.datetime) -> list[int]:
    """Editors' picks, then popular and diverse items in turn, filled with the latest.

    Each place takes, of the items not yet listed whose story is not listed yet, the first that
    keeps every outlet to at most 2 of any 5 items in a row, looking in this order:

    1. the editors' picks of the window, the latest pick first;
    2. by turns (popular first, then whichever was not used for the last place):
       - the next article of 特に人気;
       - a diverse one: among the 200 newest articles, one of the outlet listed least so far,
         the newest on a tie. When 特に人気 runs out, only these are left: the fill with latest.

    When nothing keeps to the outlet limit (a site with one or two outlets), the same order
    decides without it. A story never appears twice. The same data give the same list.
    """
    picks = _published_entries(picked_ids(now))
    popular = _published_entries(popular_ids())
    newest = collapse_copies(Article.objects.published()).order_by("-site_published_at", "-pk")
    fresh = _entries(newest[:FRESH_POOL])
    chosen: list[Entry] = []
    popular_turn = True
    while len(chosen) < RANKED_MAX:
        queues = [picks, popular, fresh] if popular_turn else [picks, fresh, popular]
        found = _next_entry(queues, fresh, chosen)
        if found is None:
            break
        queue, entry = found
        chosen.append(entry)
        if queue is not picks:  # the other kind takes the next turn
            popular_turn = queue is fresh
    return [entry.pk for entry in chosen]


def _published_entries(ids: list[int]) -> list[Entry]:
    """Entries of these articles in this order, leaving out any unpublished since they were ranked."""
    by_pk = {entry.pk: entry for entry in _entries(Article.objects.published().filter(pk__in=ids))}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _next_entry(queues: list[list[Entry]], fresh: list[Entry], chosen: list[Entry]):
    """The queue and entry for the next place (see ``rank_recommended``), or None when none is left."""
    listed = {entry.story for entry in chosen}
    recent = [entry.outlet for entry in chosen[-(OUTLET_SPAN - 1) :]]
    for keep_outlet_limit in (True, False):
        for queue in queues:
            usable = [
                entry
                for entry in queue
                if entry.story not in listed
                and (not keep_outlet_limit or recent.count(entry.outlet) < OUTLET_MAX)
            ]
            if usable and queue is fresh:
                listed_outlets = [entry.outlet for entry in chosen]
                return queue, min(usable, key=lambda entry: listed_outlets.count(entry.outlet))
            if usable:
                return queue, usable[0]
    return None


def articles_in_order(ids: list[int]) -> list[Article]:
    """The published articles of ``ids``, in that order, with their outlets."""
    by_pk = Article.objects.published().select_related("outlet").in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


def popular_articles(limit: int = RANKED_MAX) -> list[Article]:
    """特に人気, most popular first (for pages and feeds)."""
    return articles_in_order(popular_ids()[:limit])


def recommended_articles(limit: int = RANKED_MAX) -> list[Article]:
    """オススメ, in its order (for pages and feeds)."""
    return articles_in_order(recommended_ids()[:limit])
