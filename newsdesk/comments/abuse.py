"""Limits against floods and spam: rate limits, links, NG words (bans and duplicates are checked
in the post's one read, ``store.post_context``).

Rate-limit counters and the NG-word list live in Django's cache, which every web process shares
(the default disk cache on one machine, Redis across several); counters are bumped with the
cache's atomic ``incr``. Everything is keyed by the
poster's ``source_hash``, never by an address.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsdesk.comments.models import NGWord
from newsdesk.comments.render import count_links
from newsdesk.japanese.normalize import WordText, fold_word

__all__ = [
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
    try:
        used = cache.incr(key)  # one write while a window is open: the common case
        if used == 1:
            # The window ended between the backend's exists-check and its increment (Django's
            # Redis incr is two steps), which left a counter without expiry: give it one.
            cache.set_many({key: 1, f"{key}:start": timestamp}, timeout=seconds)
    except ValueError:  # no window yet, or it just ended: open one
        if cache.add(key, 1, timeout=seconds):
            cache.set(f"{key}:start", timestamp, timeout=seconds)
            used = 1
        else:  # another process opened it meanwhile
            used = cache.incr(key)
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


def too_many_links(body: str) -> bool:
    return count_links(body) > settings.NEWSDESK["COMMENT_MAX_LINKS"]


def ng_words() -> list[tuple[str, str]]:
    """Every NG word (folded: width, case, spaces and hiragana/katakana ignored) with its action, cached."""
    words = cache.get(NG_WORDS_KEY)
    if words is None:
        words = [(fold_word(word), action) for word, action in NGWord.objects.values_list("word", "action")]
        words = [(word, action) for word, action in words if word]
        cache.set(NG_WORDS_KEY, words, NG_WORDS_TIMEOUT)
    return words


def match_ng_word(*texts: str) -> tuple[str, str] | None:
    """The first NG word in ``texts`` as ``(word, action)``, a rejecting one before a holding one.

    Matched through width and kana folding (ばか listed catches バカ and ﾊﾞｶ), as a whole word only
    (カス does not fire inside カステラ): see ``WordText`` for where a word may begin and end."""
    text = WordText("\n".join(texts))
    found = [(word, action) for word, action in ng_words() if text.contains(word)]
    found.sort(key=lambda item: item[1] != NGWord.Action.REJECT)
    return found[0] if found else None


@receiver([post_save, post_delete], sender=NGWord, dispatch_uid="comments.ngwords.invalidate")
def _ng_words_changed(**kwargs):
    cache.delete(NG_WORDS_KEY)
