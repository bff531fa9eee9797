"""Limits against floods and spam: rate limits, duplicates, links, NG words, bans.

Rate-limit counters and the NG-word list live in Django's cache, so with Redis every web process
shares them; counters are bumped with the cache's atomic ``incr``. Everything is keyed by the
poster's ``source_hash``, never by an address.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsdesk.comments.models import Ban, Comment, NGWord
from newsdesk.comments.render import count_links

__all__ = [
    "banned",
    "duplicate",
    "hit_rate",
    "match_ng_word",
    "ng_words",
    "parse_rate",
    "rate_limit",
    "too_many_links",
]

NG_WORDS_KEY = "comments:ngwords"
# Saving or deleting an NGWord clears the cached list at once; the timeout only bounds how stale
# a process that never imported this module (a shell) could leave it.
NG_WORDS_TIMEOUT = 300


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/60"`` -> ``(5, 60)``: COUNT posts per SECONDS."""
    try:
        count, seconds = (int(part) for part in rate.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"A rate is COUNT/SECONDS, like 5/60, not {rate!r}") from None
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(f"A rate needs a positive count and period, not {rate!r}")
    return count, seconds


def hit_rate(scope: str, source: str, rate: str, now: dt.datetime) -> int | None:
    """Count one attempt; answer None when within ``rate``, else the seconds until it resets.

    The window opens at a source's first attempt and lasts SECONDS: a cache counter and the
    window's start, both expiring with it.
    """
    count, seconds = parse_rate(rate)
    key = f"comments:rate:{scope}:{source}"
    timestamp = now.timestamp()
    cache.add(f"{key}:start", timestamp, timeout=seconds)
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, timeout=seconds)
        used = 1
    if used <= count:
        return None
    start = cache.get(f"{key}:start", timestamp)
    return min(seconds, max(1, math.ceil(start + seconds - timestamp)))


def rate_limit(source: str, article_id: int, now: dt.datetime) -> int | None:
    """Seconds to wait when this post would pass the per-thread or site-wide rate, else None."""
    waits = [
        hit_rate(f"thread:{article_id}", source, settings.NEWSDESK["COMMENT_RATE_THREAD"], now),
        hit_rate("site", source, settings.NEWSDESK["COMMENT_RATE_SITE"], now),
    ]
    waits = [wait for wait in waits if wait]
    return max(waits) if waits else None


def duplicate(source: str, body: str, now: dt.datetime) -> bool:
    """Whether this source posted exactly this (cleaned) text anywhere recently."""
    since = now - dt.timedelta(seconds=settings.NEWSDESK["COMMENT_DUPLICATE_SECONDS"])
    return Comment.objects.filter(source_hash=source, created_at__gte=since, body=body).exists()


def too_many_links(body: str) -> bool:
    return count_links(body) > settings.NEWSDESK["COMMENT_MAX_LINKS"]


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def ng_words() -> list[tuple[str, str]]:
    """Every NG word (folded: full-width, case and spaces ignored) with its action, cached."""
    words = cache.get(NG_WORDS_KEY)
    if words is None:
        words = [(_fold(word), action) for word, action in NGWord.objects.values_list("word", "action")]
        words = [(word, action) for word, action in words if word]
        cache.set(NG_WORDS_KEY, words, NG_WORDS_TIMEOUT)
    return words


def match_ng_word(*texts: str) -> tuple[str, str] | None:
    """The first NG word in ``texts`` as ``(word, action)``, a rejecting one before a holding one."""
    folded = _fold("\n".join(texts))
    found = [(word, action) for word, action in ng_words() if word in folded]
    found.sort(key=lambda item: item[1] != NGWord.Action.REJECT)
    return found[0] if found else None


@receiver([post_save, post_delete], sender=NGWord, dispatch_uid="comments.ngwords.invalidate")
def _ng_words_changed(**kwargs):
    cache.delete(NG_WORDS_KEY)


def banned(source: str, now: dt.datetime) -> bool:
    return Ban.objects.filter(source_hash=source, until__gt=now).exists()
