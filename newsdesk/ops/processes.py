"""Ports and child processes for `newsdesk serve` and `newsdesk demo`."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import CommandError

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PR_SET_CHILD_SUBREAPER = 36


def refuse_port_in_use(host: str, port: int) -> None:
    """Raise CommandError, in words for the operator, when host:port cannot be listened on.

    granian binds with SO_REUSEPORT, so a second server on a port in use would not fail: both would
    share it, each answering from its own database. This binds the address without SO_REUSEPORT,
    which fails while anything listens there. SO_REUSEADDR lets the connections of a server just
    stopped (TIME_WAIT) not count.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CommandError(
                f"ポート {port} はすでに使われています（{host}:{port}）。動いているサーバー"
                f"（別の newsdesk demo や serve など）を止めるか、--port で別のポートを指定してください。"
            ) from None
        reason = exc.strerror or str(exc)
        raise CommandError(f"{host}:{port} で待ち受けられません: {reason}") from None


def exit_with_this_process() -> Callable[[], None] | None:
    """A ``preexec_fn`` for subprocess.Popen: the child is killed when this process ends, even by
    SIGKILL, so nothing it started outlives it (Linux; None elsewhere). The signal comes when the
    thread that started the child ends: start children from the main thread."""
    if sys.platform != "linux":
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # loaded before the fork, not in the child
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # this process had already ended
            os._exit(1)

    return preexec


def adopt_orphans() -> None:
    """Make this process the one that orphaned descendants (granian's workers once their server
    ends) are given to, so that :func:`reap_descendants` can wait for them (Linux only)."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def stop(children: list[subprocess.Popen], grace: float = 20) -> None:
    """SIGTERM to each child still running, SIGKILL to any still there after ``grace`` seconds,
    then wait for every descendant handed to this process (see :func:`adopt_orphans`)."""
    for child in children:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    reap_descendants(deadline)


def reap_descendants(deadline: float) -> None:
    """Wait for the children this process has left (orphans it adopted); SIGKILL them after deadline."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:  # none left
            return
        if pid:
            continue
        if time.monotonic() > deadline + 10:  # unkillable (stuck in the kernel): leave it to init
            return
        if time.monotonic() > deadline:
            for child in _children(os.getpid()):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    if not Path("/proc").is_dir():
        return found
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found
