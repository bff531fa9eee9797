"""Outlet lookups remembered per process, under a number in the shared cache that every committed
change of an Outlet or OutletAlias row moves.

Ingest asks which outlet a page is from for every page, and the answer is three or four queries
(aliases of the domain, the registry outlet's row, rows stored with the domain): ~1.7 ms of a
page's ~33 in bench/ingest.py, for answers that change only when an editor or a new outlet
changes the rows. So each process keeps the rows it read, and reads one number from the shared
cache per lookup; a change moves the number after its transaction commits (another process's
copies go at once), and the copies made under an older number are dropped.

Only in autocommit: a transaction reads the rows itself, and nothing read inside one is kept (a
row it made and then rolled back must never be remembered), so what is kept is committed and a
change only needs to move the number once it commits. Never kept: "nothing found" for a registry
outlet or a domain (finding nothing goes on to make the outlet, and must see one another worker
made meanwhile), or anything with a per-process cache (locmem://, where another process's change
would never arrive) or none (dummy://).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsdesk.sources.models import Outlet, OutletAlias

NUMBER_KEY = "sources:outlets"
LIMIT = 4096  # answers kept per process; past it they start again

T = TypeVar("T")
_lock = threading.Lock()
_number: int | None = None
_answers: dict[Hashable, object] = {}


def _current() -> int | None:
    store = caches["default"]
    if isinstance(store, DummyCache | LocMemCache):
        return None
    number = store.get(NUMBER_KEY)
    if number is None:
        store.add(NUMBER_KEY, time.time_ns(), timeout=None)
        number = store.get(NUMBER_KEY)
    return number


def _copy(value):
    """A new instance of each outlet in ``value`` (an outlet, a dict of them, or None): a tenth of
    what ``copy.deepcopy`` costs for a model instance."""
    if isinstance(value, Outlet):
        names = [field.attname for field in Outlet._meta.concrete_fields]
        return Outlet.from_db(value._state.db, names, [getattr(value, name) for name in names])
    if isinstance(value, dict):
        return {name: _copy(outlet) for name, outlet in value.items()}
    return value


def lookup(key: Hashable, read: Callable[[], T], keep: Callable[[T], bool] = bool) -> T:
    """``read()``'s answer for ``key``: kept from an earlier call under the current number, or read
    now and kept when ``keep(answer)`` (by default: when something was found). A copy each time,
    so that a caller changing what it got changes nothing kept."""
    global _number
    number = None if connection.in_atomic_block else _current()
    if number is None:
        return read()
    with _lock:
        if number != _number:
            _number = number
            _answers.clear()
        if key in _answers:
            return _copy(_answers[key])  # type: ignore[return-value]
    answer = read()
    if keep(answer):
        with _lock:
            if number == _number:
                if len(_answers) >= LIMIT:
                    _answers.clear()
                _answers[key] = _copy(answer)
    return answer


def changed() -> None:
    """Outlet rows changed (also by a write that sends no signal): once that commits, every process
    reads them again."""
    transaction.on_commit(lambda: caches["default"].set(NUMBER_KEY, time.time_ns(), timeout=None))


@receiver([post_save, post_delete], sender=Outlet, dispatch_uid="sources.remembered.outlet")
@receiver([post_save, post_delete], sender=OutletAlias, dispatch_uid="sources.remembered.alias")
def _row_changed(**kwargs) -> None:
    changed()
