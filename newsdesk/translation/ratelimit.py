"""A rate limiter shared by every thread of the process that talks to one backend."""

from __future__ import annotations

import collections
import threading
import time

# The server sees a request a little after we let it go (connecting, building it): a window 10%
# longer than a second keeps that jitter from putting one request too many into a server's second.
_WINDOW = 1.1


class RateLimiter:
    """At most ``rate`` requests start in any window of one second (a sliding window)."""

    def __init__(self, rate: float, window: float = _WINDOW) -> None:
        self.rate = rate
        self.window = window
        self.capacity = max(1, int(rate)) if rate >= 1 else 1
        # Below one request a second, requests are spaced out instead.
        self.spacing = 1.0 / rate if 0 < rate < 1 else 0.0
        self._starts: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        if self.rate <= 0:  # no limit
            return
        while True:
            with self._lock:
                now = time.monotonic()
                while self._starts and now - self._starts[0] >= max(self.window, self.spacing):
                    self._starts.popleft()
                if len(self._starts) < self.capacity:
                    self._starts.append(now)
                    return
                wait = max(self.window, self.spacing) - (now - self._starts[0])
            time.sleep(max(wait, 0.001))


_limiters: dict[tuple[str, float], RateLimiter] = {}
_limiters_lock = threading.Lock()


def limiter_for(backend_id: str, rate: float) -> RateLimiter:
    with _limiters_lock:
        key = (backend_id, rate)
        if key not in _limiters:
            _limiters[key] = RateLimiter(rate)
        return _limiters[key]
