"""The page cache under `newsdesk serve` with two worker processes on the default disk cache: every
reader gets the one stored copy whichever worker answers, and a post through either worker shows
in both at once (a version kept per process would leave one worker serving the old page)."""

import contextlib
import os
import re
import signal
import subprocess
import sys

import httpx
import pytest

from tests.processes import free_port, newsdesk_env, wait_for_server

pytestmark = pytest.mark.slow

# Each request on a new connection: granian's workers share the port (SO_REUSEPORT), and the
# kernel spreads new connections over them.
READS = 12


def read(url: str) -> httpx.Response:
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    return response


def test_two_workers_share_pages_and_see_every_post_at_once(tmp_path):
    env = newsdesk_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"))
    demo = [sys.executable, "-m", "newsdesk", "demo", "--no-serve"]
    subprocess.run(demo, env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        front = wait_for_server(port, server)
        base = f"http://127.0.0.1:{port}"
        path = re.search(r'href="(/articles/(\d+)/)"', front.text)
        url, article = base + path[1], path[2]
        copies = {read(url).content for _ in range(READS)}
        assert len(copies) == 1
        posted = httpx.post(f"{base}/api/articles/{article}/comments", json={"body": "APIからの投稿"})
        assert posted.status_code == 201
        assert all("APIからの投稿" in read(url).text for _ in range(READS))
        form = httpx.post(
            f"{base}/articles/{article}/comments",
            data={"body": "フォームからの投稿"},
            headers={"Origin": base},
        )
        assert form.status_code == 302
        assert all("フォームからの投稿" in read(url).text for _ in range(READS))
        refused = httpx.post(
            f"{base}/articles/{article}/comments",
            data={"body": "よそから"},
            headers={"Origin": "https://evil.example"},
        )
        assert refused.status_code == 403
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # the server and its workers: their own group
        server.wait(timeout=10)
