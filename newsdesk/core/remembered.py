"""Answers read from the database, remembered per process under a number in the shared cache that
every committed change of the rows they come from moves.

For answers asked for all the time that change only when an editor changes their rows: which
outlet a domain is (sources.remembered), the names the entity matcher knows (entities.service).
Each process keeps what it read, and reads one number from the shared cache per lookup; a change
moves the number after its transaction commits (another process's copies go at once), and the
copies made under an older number are dropped.

Only in autocommit: a transaction reads the rows itself, and nothing read inside one is kept (a
row it made and then rolled back must never be remembered), so what is kept is committed and a
change only needs to move the number once it commits. Nothing is kept with a per-process cache
(locmem://, where another process's change would never arrive) or none (dummy://).
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

T = TypeVar("T")
LIMIT = 4096  # answers kept per process; past it they start again


class Remembered:
    def __init__(self, number_key: str, copy: Callable[[object], object] = lambda value: value) -> None:
        """``copy`` makes what a caller gets of a kept answer: one it may change (model instances)."""
        self.number_key = number_key
        self.copy = copy
        self._lock = threading.Lock()
        self._number: int | None = None
        self._answers: dict[Hashable, object] = {}

    def _current(self) -> int | None:
        store = caches["default"]
        if isinstance(store, DummyCache | LocMemCache):
            return None
        number = store.get(self.number_key)
        if number is None:
            store.add(self.number_key, time.time_ns(), timeout=None)
            number = store.get(self.number_key)
        return number

    def lookup(self, key: Hashable, read: Callable[[], T], keep: Callable[[T], bool] = bool) -> T:
        """``read()``'s answer for ``key``: kept from an earlier call under the current number, or
        read now and kept when ``keep(answer)`` (by default: when something was found)."""
        number = None if connection.in_atomic_block else self._current()
        if number is None:
            return read()
        with self._lock:
            if number != self._number:
                self._number = number
                self._answers.clear()
            if key in self._answers:
                return self.copy(self._answers[key])  # type: ignore[return-value]
        answer = read()
        if keep(answer):
            with self._lock:
                if number == self._number:
                    if len(self._answers) >= LIMIT:
                        self._answers.clear()
                    self._answers[key] = self.copy(answer)
        return answer

    def changed(self, **kwargs) -> None:
        """The rows changed (also by a write that sends no signal): once that commits, every process
        reads them again. A signal receiver as it is."""
        key = self.number_key
        transaction.on_commit(lambda: caches["default"].set(key, time.time_ns(), timeout=None))
