"""Running newsdesk as an operator would, in a separate process, from a test."""

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx


def newsdesk_env(**settings: str) -> dict[str, str]:
    """The environment of a real `newsdesk` process: production settings, nothing inherited from the
    test run (pytest-django exports DJANGO_SETTINGS_MODULE=tests.settings, and tests/settings.py
    sets NEWSDESK_* values), plus the given NEWSDESK_* settings."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name != "DJANGO_SETTINGS_MODULE" and not name.startswith("NEWSDESK_")
    }
    return {**inherited, "DJANGO_SETTINGS_MODULE": "newsdesk.settings", **settings}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(port: int, process: subprocess.Popen, timeout: float = 60) -> httpx.Response:
    """The first answer of the server a test started on 127.0.0.1:port; fails if it exits or hangs."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
        except httpx.TransportError:
            assert process.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is pid (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _stat(int(entry.name))[1] == pid:
            found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    """Whether the process exists and has not ended (a zombie not yet reaped has ended)."""
    state = _stat(pid)[0]
    return state not in ("", "Z", "X")


def _stat(pid: int) -> tuple[str, int]:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return "", 0
    return fields[0], int(fields[1])
