"""Purging a shared cache in front of newsdesk (nginx's proxy_cache, a CDN) on every change, in the
manner of Wagtail's frontend-cache invalidation (docs/deploy.md).

newsdesk's own page cache drops pages by moving the numbers they are kept under: the site's content
version, and the comments' numbers (newsdesk/site/versions.py); a cache in front keeps pages by
address and must be told each one. newsdesk does not know which page shows what, so it records,
per number, the address (host, path, query) of every public page it had Django render under it
(``record``, called by the page cache with the numbers it read before the render), and when a
number moves it purges every address recorded under the value moved past (``moved``): those are
all the pages the cache in front can hold from before the change. Each page cache copy was recorded when it was rendered, so
pages the cache in front got from newsdesk's own cache are among them.

Races: a page of the old version can reach the cache in front after its purge went out (a render
begun before the change, or a copy read from the page cache just before it). So each move purges
twice: at once, in the process and request that made the change (so the next request through the
cache in front sees it), for at most SYNC_SECONDS, and AGAIN_AFTER seconds later, from a thread,
every address recorded under the old number by then; those records are then deleted. A render
that finds, as it records, that the number moved while it ran, has its own address purged
AGAIN_AFTER seconds later. What escapes (a failed purge: nginx down, restarted or refusing; an
address beyond NEWSDESK_FRONTEND_CACHE_MAX_URLS; records lost from the cache) is served until the
page's s-maxage (NEWSDESK_PAGE_SHARED_MAX_AGE) runs out and the cache in front asks again.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import itertools
import logging
import threading
import time
from urllib.parse import quote

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.dispatch import receiver
from django.http.request import split_domain_port
from django.utils.module_loading import import_string

from newsdesk.site import versions
from newsdesk.site.caching import is_public
from newsdesk.site.purge import PurgeError

log = logging.getLogger(__name__)

# Far longer than a version lasts on a live site; a page recorded longer ago than this before the
# next change is left to its s-maxage.
RECORD_SECONDS = 7 * 24 * 3600
# Longer than a page takes from the end of its render to nginx's cache, which is milliseconds.
AGAIN_AFTER = 2.0
# The request that made the change waits this long at most; the second pass purges the rest.
SYNC_SECONDS = 1.0


def _key(name: str, version: int, part: str) -> str:
    return f"frontcache:{name}:{version}:{part}"


def page_url(environ) -> str:
    """The page's address as the cache in front keys it: host without port, lower case ($host),
    and the path percent-encoded (nginx decodes it before keying)."""
    proxy = settings.SECURE_PROXY_SSL_HEADER
    secure = proxy is not None and environ.get(proxy[0]) == proxy[1]
    scheme = "https" if secure else environ.get("wsgi.url_scheme", "http")
    host = split_domain_port(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))[0]
    # WSGI hands the path's bytes over as latin-1 text.
    path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/:@!$&'()*+,;=~")
    query = environ.get("QUERY_STRING", "")
    return f"{scheme}://{host}{path}" + (f"?{query}" if query else "")


def record(store, environ, versions_read: dict[str, int], response) -> None:
    """Notes that ``response``, rendered under ``versions_read`` (each number's name and value),
    may now be in the cache in front."""
    if not settings.NEWSDESK["FRONTEND_CACHE_BACKEND"]:
        return
    if response.status_code != 200 or not is_public(response) or response.cookies:
        return
    url = page_url(environ)
    seen = "seen:" + hashlib.sha256(url.encode()).hexdigest()
    for name, version in versions_read.items():
        if store.add(_key(name, version, seen), 1, RECORD_SECONDS):
            store.add(_key(name, version, "count"), 0, RECORD_SECONDS)
            number = store.incr(_key(name, version, "count"))
            if number <= settings.NEWSDESK["FRONTEND_CACHE_MAX_URLS"]:
                store.set(_key(name, version, str(number)), url, RECORD_SECONDS)
    now = store.get_many(list(versions_read))
    for name, version in versions_read.items():
        if versions.value(now, name, store) != version:  # moved while it rendered: its purge may be past
            LATER.add(store, name, version, (url,))
            return


def recorded(store, version: int, name: str = versions.VERSION_KEY) -> list[str]:
    count = min(store.get(_key(name, version, "count")) or 0, settings.NEWSDESK["FRONTEND_CACHE_MAX_URLS"])
    found = store.get_many([_key(name, version, str(number)) for number in range(1, count + 1)])
    return list(found.values())


def forget(store, name: str, version: int, urls: list[str]) -> None:
    count = store.get(_key(name, version, "count")) or 0
    seen = [_key(name, version, "seen:" + hashlib.sha256(url.encode()).hexdigest()) for url in urls]
    slots = [_key(name, version, str(number)) for number in range(1, count + 1)]
    store.delete_many([_key(name, version, "count"), *slots, *seen])


@functools.cache
def _backend(path: str, location: str):
    return import_string(path)(location)


def purge(urls: list[str], deadline: float | None = None) -> None:
    """Purges ``urls`` in order until ``deadline`` (monotonic: the second pass takes the rest).
    The pass stops at the first failure, logged: with the cache in front down, every other purge
    would wait out its timeout too."""
    backend = _backend(
        settings.NEWSDESK["FRONTEND_CACHE_BACKEND"], settings.NEWSDESK["FRONTEND_CACHE_PURGE_URL"]
    )
    for done, url in enumerate(urls):
        if deadline is not None and time.monotonic() > deadline:
            return
        try:
            backend.purge(url)
        except PurgeError as exc:
            log.warning("purge failed (%d left to expire by s-maxage): %s", len(urls) - done, exc)
            return


@receiver(versions.moved, dispatch_uid="site.frontcache.moved")
def moved(key: str, version: int, store, **kwargs) -> None:
    if not settings.NEWSDESK["FRONTEND_CACHE_BACKEND"]:
        return
    try:
        purge(recorded(store, version, key), deadline=time.monotonic() + SYNC_SECONDS)
    except Exception:  # the change is made: a cache that fails must not turn it into an error
        log.exception("purging the pages of %s %s failed", key, version)
    LATER.add(store, key, version)  # the second pass, even when the first failed


class Later:
    """Purges due AGAIN_AFTER seconds from now, run by one thread per process that ends when none
    is left. Not a daemon: a command that published an article finishes its purges before exit."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.due: list[tuple[float, int, object, str, int, tuple[str, ...]]] = []
        self.order = itertools.count()  # ties on time go first come, first served
        self.running = False

    def add(self, store, name: str, version: int, urls: tuple[str, ...] = ()) -> None:
        """``urls``, or when none are given, every address recorded under ``version`` of ``name``."""
        with self.condition:
            due = time.monotonic() + AGAIN_AFTER
            heapq.heappush(self.due, (due, next(self.order), store, name, version, urls))
            if not self.running:
                self.running = True
                threading.Thread(target=self.run, name="frontcache-purge").start()
            self.condition.notify()

    def run(self) -> None:
        while True:
            with self.condition:
                while True:
                    if not self.due:
                        self.running = False
                        return
                    wait = self.due[0][0] - time.monotonic()
                    if wait <= 0:
                        _, _, store, name, version, urls = heapq.heappop(self.due)
                        break
                    self.condition.wait(wait)
            try:
                if urls:
                    purge(list(urls))
                else:
                    everything = recorded(store, version, name)
                    purge(everything)
                    forget(store, name, version, everything)
            except Exception:  # the thread goes on with the next: a cache error is one pass lost
                log.exception("purging the pages of %s %s failed", name, version)


LATER = Later()


@checks.register(checks.Tags.caches)
def check_frontend_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if not settings.NEWSDESK["FRONTEND_CACHE_BACKEND"]:
        return []
    problems: list[checks.CheckMessage] = []
    if not settings.NEWSDESK["FRONTEND_CACHE_PURGE_URL"]:
        problems.append(
            checks.Error(
                "NEWSDESK_FRONTEND_CACHE_BACKEND is set without NEWSDESK_FRONTEND_CACHE_PURGE_URL",
                id="newsdesk.site.E001",
            )
        )
    if not settings.NEWSDESK["PAGE_CACHE_SECONDS"] or isinstance(caches["default"], DummyCache | LocMemCache):
        problems.append(
            checks.Warning(
                "pages are recorded for purging by newsdesk's page cache, which is off "
                "(NEWSDESK_PAGE_CACHE_SECONDS 0, or a per-process NEWSDESK_CACHE_URL)",
                hint="the cache in front then sees a change only after NEWSDESK_PAGE_SHARED_MAX_AGE",
                id="newsdesk.site.W001",
            )
        )
    return problems
