"""Restarting `newsdesk serve` costs little: static files are collected only when they changed,
and SIGHUP replaces the workers one by one while every request is answered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from newsdesk.ops import static
from tests.processes import children, free_port, newsdesk_env, wait_for_server


def test_static_files_are_collected_again_only_when_they_changed(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    source = tmp_path / "extra"
    source.mkdir()
    (source / "extra.css").write_text("body { color: #222; }")
    settings.STATICFILES_DIRS = [source]

    assert static.collect_static_if_changed() is True  # a first start
    assert (settings.STATIC_ROOT / "extra.css").read_text() == "body { color: #222; }"
    assert (settings.STATIC_ROOT / "newsdesk" / "site.css").exists()
    assert static.collect_static_if_changed() is False  # nothing changed: nothing copied

    (source / "extra.css").write_text("body { color: #111; }")  # an edited stylesheet
    # collectstatic compares whole seconds: an edit is later than the copy by more than that.
    later = (source / "extra.css").stat().st_mtime + 2
    os.utime(source / "extra.css", (later, later))
    assert static.collect_static_if_changed() is True
    assert (settings.STATIC_ROOT / "extra.css").read_text() == "body { color: #111; }"
    assert static.collect_static_if_changed() is False


@pytest.mark.slow
def test_sighup_replaces_the_workers_without_dropping_a_request(tmp_path):
    port = free_port()
    env = newsdesk_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"))
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_server(port, server)
        deadline = time.monotonic() + 60
        while len(children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        before = set(children(server.pid))
        answers: list[int | str] = []
        stop = threading.Event()

        def read() -> None:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                while not stop.is_set():
                    try:
                        answers.append(client.get("/").status_code)
                    except httpx.RemoteProtocolError:
                        # A stopping worker closed this kept-alive connection between two requests:
                        # browsers and proxies send an idempotent request again, on a new one.
                        answers.append(client.get("/").status_code)
                    except httpx.HTTPError as exc:
                        answers.append(type(exc).__name__)

        readers = [threading.Thread(target=read) for _ in range(4)]
        for reader in readers:
            reader.start()
        time.sleep(1)
        os.kill(server.pid, signal.SIGHUP)
        # Both workers replaced: each new one gets its warm-up, then the old one stops.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (
            set(children(server.pid)) & before or len(children(server.pid)) < 2
        ):
            time.sleep(0.2)
        time.sleep(1)  # requests answered by the new workers alone
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
        after = set(children(server.pid))
        assert len(after) == 2 and not after & before, (before, after)
        assert server.poll() is None
        assert answers and set(answers) == {200}, __import__("collections").Counter(map(str, answers))
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
