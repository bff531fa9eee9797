"""Purge backends for a shared cache in front of newsdesk (``NEWSDESK_FRONTEND_CACHE_BACKEND``).

As Wagtail's frontend-cache backends: a backend is built with ``NEWSDESK_FRONTEND_CACHE_PURGE_URL``
and asked to ``purge(url)``, one absolute page address at a time (``http://host/path?query``, the
path percent-encoded); it raises ``PurgeError`` when the cache in front did not take the purge.
newsdesk/site/frontcache.py decides what to purge and when.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from django.core.exceptions import ImproperlyConfigured

# A purge is one local request answered in well under a millisecond; a cache in front that takes
# longer is in trouble, and the request that made the change waits on it.
TIMEOUT = httpx.Timeout(1.0, connect=0.5)


class PurgeError(Exception):
    """The cache in front did not confirm a purge: unreachable, refused or failed."""


class NginxPurge:
    """nginx's proxy_cache with the cache-purge module (Debian: libnginx-mod-http-cache-purge), as
    configured in docs/nginx.conf: ``GET <purge URL><path>?<query>`` with the page's host as Host
    removes the copy nginx keyed ``$host$uri$is_args$args``. nginx decodes the path on both sides,
    so how a reader's browser encoded it does not matter; the query is compared as sent. 200: the
    copy is gone; 404: nginx held none."""

    def __init__(self, location: str):
        if not location:
            raise ImproperlyConfigured(
                "NEWSDESK_FRONTEND_CACHE_PURGE_URL is empty (e.g. http://127.0.0.1:8081/purge)"
            )
        self.location = location
        # One client for the process: its kept-alive connection serves a whole pass of purges.
        # Not from the environment's proxy settings: purges go straight to the address given.
        self.client = httpx.Client(timeout=TIMEOUT, trust_env=False)

    def purge(self, url: str) -> None:
        page = urlsplit(url)
        target = self.location + page.path + (f"?{page.query}" if page.query else "")
        try:
            response = self.client.get(target, headers={"Host": page.netloc})
        except httpx.HTTPError as exc:
            raise PurgeError(f"{target} (Host: {page.netloc}): {exc!r}") from exc
        if response.status_code not in (200, 404):
            raise PurgeError(f"{target} (Host: {page.netloc}): HTTP {response.status_code}")
