"""One deadline for a whole fetch, however slowly the peer sends.

httpx's timeouts apply to each read: a peer that sends one byte of its headers every 0.2 s never
trips a read timeout of 15 s, and holds the fetch for as long as it likes. ``Deadline`` learns the
socket of each connection the fetch opens (httpcore's ``trace`` extension reports it once the TCP
connection is up, before TLS) and, when the time is up, shuts it down: the read in progress
returns at once, whatever it was waiting for (the TLS handshake, the headers or the body), and the
fetch fails. It keeps its own duplicate of each socket's descriptor, so shutting down can never
reach a descriptor that the system has given to another connection since.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any


class Deadline:
    """``with Deadline(seconds) as deadline:`` around a fetch; pass ``deadline.trace`` as the
    ``trace`` extension of every request and read ``deadline.expired`` after any failure."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    @property
    def expired(self) -> bool:
        with self._lock:
            return self._expired

    def remaining(self) -> float:
        return self._at - time.monotonic()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace callback: keeps a handle on each new connection's socket."""
        if event != "connection.connect_tcp.complete":
            return
        sock = info["return_value"].get_extra_info("socket")
        if sock is None:  # a network backend without sockets: only its read timeouts apply
            return
        handle = sock.dup()
        with self._lock:
            self._sockets.append(handle)
            if self._expired:  # connected just as the time ran out
                _shut(handle)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # the peer closed it already
        sock.shutdown(socket.SHUT_RDWR)
