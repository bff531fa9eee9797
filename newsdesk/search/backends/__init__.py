"""Search backends, chosen by ``settings.NEWSDESK["SEARCH_BACKEND"]``.

``auto`` picks SQLite FTS5 or PostgreSQL pg_trgm following the database; anything else is the dotted
path of a ``SearchBackend`` subclass.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils.module_loading import import_string

from newsdesk.search.backends.base import Document, Filters, Hit, Results, SearchBackend

__all__ = ["Document", "Filters", "Hit", "Results", "SearchBackend", "get_backend"]

AUTO = {
    "sqlite": "newsdesk.search.backends.sqlite.SqliteBackend",
    "postgresql": "newsdesk.search.backends.postgres.PostgresBackend",
}
_cache: dict[tuple[str, str], SearchBackend] = {}


def backend_path(alias: str = "default") -> str:
    path = settings.NEWSDESK["SEARCH_BACKEND"]
    if path != "auto":
        return path
    vendor = connections[alias].vendor
    if vendor not in AUTO:
        raise ImproperlyConfigured(
            f"No search backend for the {vendor} database: set NEWSDESK_SEARCH_BACKEND."
        )
    return AUTO[vendor]


def get_backend(alias: str = "default") -> SearchBackend:
    path = backend_path(alias)
    key = (path, alias)
    if key not in _cache:
        _cache[key] = import_string(path)(alias)
    return _cache[key]
