"""newsdesk's own page cache: reader pages for anonymous readers, answered before Django.

The WSGI application (newsdesk/handlers.py) asks it first. A GET or HEAD without a session or
flash-message cookie is looked up in Django's configured cache, shared by every web process, with
the numbers it is kept under (the site's content version and, on pages showing comments, the
comments' numbers: newsdesk/site/versions.py) in one read, or none while the machine's count of
moves says that none has moved since this process read them; a page stored under the current numbers
is answered from the stored status line, headers and body, or as a 304 when the request already
holds it, without building a request or running any middleware. Otherwise Django renders the page
and, when it is a public reader page the cache may keep (newsdesk/site/caching.py), it is stored
under the numbers read before the render: a change committed during the render makes that copy
stale at once, so it is never served as current.

A crowd on a page nobody has stored renders it once: the first request takes a short lock in the
cache and renders; the others wait for its copy, up to ``PAGE_FILL_WAIT`` seconds, then render it
themselves. They wait rather than take an older copy, so a reader who just posted never gets the
page from before the post; on a server whose CPUs are busy a wait costs less than a second render.

Keys hold the scheme, host, path and query string: a host Django refuses (ALLOWED_HOSTS) is never
stored, and an http:// request to a site behind HTTPS gets Django's redirect. Static files,
images and the admin are never looked up. Neither is a per-process cache (locmem://): another
process's change would never reach its copies.

Every page rendered here is also recorded for a cache in front of the site, which is purged of it
when the version moves (newsdesk/site/frontcache.py).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.wsgi import get_path_info
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.utils.http import parse_etags, parse_http_date_safe

from newsdesk.site import frontcache, versions
from newsdesk.site.caching import PAGE_CACHE_ATTRIBUTE, carries_personal_cookie, is_public

CONDITIONAL = frozenset({"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"})
# What a 304 repeats of the page's headers (RFC 9110, 15.4.5).
NOT_MODIFIED_HEADERS = frozenset(
    {"cache-control", "content-location", "etag", "expires", "last-modified", "vary"}
)
# A render takes well under a second; the expiry only frees the lock of a process that died in one.
FILL_LOCK_SECONDS = 30
POLL_SECONDS = 0.005
# In every key: a change to what an entry holds gets new keys, never an old entry it cannot read.
FORMAT = 2
# Pages each process keeps a copy of (LocalCopies): about 50 KB each.
LOCAL_COPIES = 256


class Entry(NamedTuple):
    version: tuple[int, ...]  # the numbers of the page's keys (versions.page_keys), in their order
    fresh_until: float  # Unix time: the page cache's lifetime, or the next scheduled publication
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    last_modified: str


def page_key(environ) -> str:
    proxy = settings.SECURE_PROXY_SSL_HEADER
    parts = [
        environ.get("wsgi.url_scheme", ""),
        environ.get(proxy[0], "") if proxy else "",
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    ]
    return f"page{FORMAT}:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def stored(value) -> Entry | None:
    # Kept as a plain tuple: unpickling it needs no class of ours.
    return None if value is None else Entry(*value)


def at_least(stored_under: tuple[int, ...], wanted: tuple[int, ...]) -> bool:
    return len(stored_under) == len(wanted) and all(a >= b for a, b in zip(stored_under, wanted, strict=True))


def not_modified(environ, entry: Entry) -> bool:
    """Django's rule (If-None-Match first, else If-Modified-Since) against the stored copy."""
    if "HTTP_IF_NONE_MATCH" in environ:
        etags = parse_etags(environ["HTTP_IF_NONE_MATCH"])
        return "*" in etags or entry.etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in etags}
    if "HTTP_IF_MODIFIED_SINCE" not in environ:  # most requests: parsing dates cost a tenth of a hit
        return False
    since = parse_http_date_safe(environ["HTTP_IF_MODIFIED_SINCE"])
    modified = parse_http_date_safe(entry.last_modified)
    return since is not None and modified is not None and modified <= since


def answer(entry: Entry, environ, start_response) -> list[bytes]:
    if not_modified(environ, entry):
        start_response("304 Not Modified", [h for h in entry.headers if h[0].lower() in NOT_MODIFIED_HEADERS])
        return []
    start_response("200 OK", entry.headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]


def storable(response) -> bool:
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and getattr(response, PAGE_CACHE_ATTRIBUTE, False)
        and is_public(response)
        and not response.cookies
    )


def fresh(entry: Entry | None, version: tuple[int, ...]) -> bool:
    return entry is not None and entry.version == version and time.time() < entry.fresh_until


class LocalCopies:
    """This process's copies of the entries it answered last, so that a hit reads only the small
    numbers from the shared cache, not the page too (in the disk cache a page over 32 KB is a file
    of its own, opened and unpickled on every read). A copy is answered only under the numbers it
    was stored under, as the shared entry is: the same key under the same numbers is the same page."""

    def __init__(self, size: int = LOCAL_COPIES) -> None:
        self.size = size
        self.copies: dict[str, Entry] = {}
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        return self.copies.get(key)

    def put(self, key: str, entry: Entry) -> None:
        with self.lock:
            self.copies.pop(key, None)
            self.copies[key] = entry
            while len(self.copies) > self.size:  # the oldest stored goes first
                del self.copies[next(iter(self.copies))]


class KnownNumbers:
    """The numbers this process read last, with the machine's count of moves read before them
    (versions.moves): while the count is the same, none of them has moved, and a hit needs no read
    of the cache (two reads were half of a hit's CPU with the disk cache)."""

    def __init__(self) -> None:
        self.state: tuple[object, int, dict[str, int]] = (None, -1, {})  # count file, count, numbers

    def get(self, moves, count: int, names: tuple[str, ...]) -> tuple[int, ...] | None:
        known_moves, known_count, numbers = self.state
        if known_moves is not moves or known_count != count:
            return None
        try:
            return tuple(numbers[name] for name in names)
        except KeyError:
            return None

    def put(self, moves, count: int, names: tuple[str, ...], version: tuple[int, ...]) -> None:
        known_moves, known_count, numbers = self.state
        if known_moves is moves and known_count == count:
            numbers.update(zip(names, version, strict=True))
        else:  # read under another count (older or newer): what was kept under it goes
            self.state = (moves, count, dict(zip(names, version, strict=True)))


class PageCache:
    """WSGI middleware around ``application``, a Django handler (it returns the HttpResponse)."""

    def __init__(self, application, store=None):
        self.application = application
        self.store = store  # None: the default cache (a test gives a second client of the same one)
        self.skipped = tuple(filter(None, [settings.STATIC_URL, settings.MEDIA_URL, "/admin/"]))
        self.local = LocalCopies()
        self.known = KnownNumbers()

    def eligible(self, environ) -> bool:
        if (
            environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
            or not settings.NEWSDESK["PAGE_CACHE_SECONDS"]
        ):
            return False
        if environ.get("PATH_INFO", "").startswith(self.skipped):
            return False
        cookie = environ.get("HTTP_COOKIE")
        return not (cookie and carries_personal_cookie(parse_cookie(cookie)))

    def __call__(self, environ, start_response):
        if not self.eligible(environ):
            return self.application(environ, start_response)
        store = self.store or caches["default"]
        # None, or one per process whose copies would never see the other processes' changes.
        if isinstance(store, DummyCache | LocMemCache):
            return self.application(environ, start_response)
        key = page_key(environ)
        version_keys = versions.page_keys(get_path_info(environ))
        local = self.local.get(key)
        moves = versions.moves(store)
        count = moves.read() if moves is not None else 0  # read before the numbers it vouches for
        version = (
            self.known.get(moves, count, version_keys) if local is not None and moves is not None else None
        )
        if version is not None and fresh(local, version):
            return answer(local, environ, start_response)
        found = store.get_many(list(version_keys) if local is not None else [*version_keys, key])
        version = tuple(versions.value(found, name, store) for name in version_keys)
        if moves is not None:
            self.known.put(moves, count, version_keys, version)
        if fresh(local, version):
            return answer(local, environ, start_response)
        entry = stored(found.get(key) if local is None else store.get(key))
        if fresh(entry, version):
            self.local.put(key, entry)
            return answer(entry, environ, start_response)
        if environ["REQUEST_METHOD"] == "HEAD":  # a body to store comes only with a GET
            return self.application(environ, start_response)
        lock = f"{key}:filling"
        fill = (store, key, dict(zip(version_keys, version, strict=True)), entry)
        if not store.add(lock, 1, FILL_LOCK_SECONDS):
            waited = self.wait(store, key, lock, version)
            if waited is not None:
                self.local.put(key, waited)
                return answer(waited, environ, start_response)
            return self.fill(environ, start_response, *fill)  # nothing came: render it here too
        try:
            return self.fill(environ, start_response, *fill)
        finally:
            store.delete(lock)

    def wait(self, store, key: str, lock: str, version: tuple[int, ...]) -> Entry | None:
        """The copy another request is rendering, once stored; None if it stores none in time."""
        deadline = time.monotonic() + settings.NEWSDESK["PAGE_FILL_WAIT"]
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            found = store.get_many([lock, key])  # the lock first: it goes only after the copy is in
            entry = stored(found.get(key))
            if entry is not None and at_least(entry.version, version) and time.time() < entry.fresh_until:
                return entry
            if lock not in found:
                return None
        return None

    def fill(self, environ, start_response, store, key, versions_read: dict[str, int], stale):
        # Rendered whole whatever the request holds: the copy is for every later reader.
        started: list = []
        response = self.application(
            {name: value for name, value in environ.items() if name not in CONDITIONAL},
            lambda status, headers, exc_info=None: started.extend([status, headers]),
        )
        frontcache.record(store, environ, versions_read, response)  # a cache in front may keep it too
        if not storable(response):
            start_response(*started)
            return response
        try:
            body = response.content
        finally:
            response.close()  # ends the request (request_finished) as the server would
        headers = list(started[1])
        etag, last_modified = response.get("ETag", ""), response["Last-Modified"]
        if stale is not None and stale.etag == etag:  # the same bytes: they changed no later
            last_modified = stale.last_modified
            headers = [(n, last_modified if n == "Last-Modified" else v) for n, v in headers]
        now = time.time()
        next_publication = store.get(versions.NEXT_PUBLICATION_KEY)
        if next_publication is None or 0 < next_publication <= now:
            next_publication = versions.next_publication(store)
        fresh_until = now + settings.NEWSDESK["PAGE_CACHE_SECONDS"]
        if next_publication > now:
            fresh_until = min(fresh_until, next_publication)
        entry = Entry(tuple(versions_read.values()), fresh_until, headers, body, etag, last_modified)
        store.set(key, tuple(entry), timeout=max(1, math.ceil(fresh_until - now)))
        self.local.put(key, entry)
        return answer(entry, environ, start_response)
