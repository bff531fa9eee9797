"""The ingest page with the real queue: `newsdesk serve` takes a batch while no worker runs (the
inputs wait in their rows), then `newsdesk worker` on SqliteHuey processes it."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest

from tests.ingest_inputs import JA_PARAGRAPHS, ja_text
from tests.processes import free_port, newsdesk_env, wait_for_server

PASSWORD = "correct horse battery staple"


def _run(env: dict, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def _log_in(client: httpx.Client) -> None:
    client.get("/admin/login/")
    response = client.post(
        "/admin/login/",
        data={
            "username": "editor",
            "password": PASSWORD,
            "next": "/admin/",
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
    )
    assert response.status_code == 302 and response.headers["location"] == "/admin/", response.text


@pytest.mark.slow
def test_a_batch_from_the_page_waits_for_the_worker_and_is_processed_by_it(tmp_path):
    data = tmp_path / "data"
    env = newsdesk_env(NEWSDESK_DATA_DIR=str(data), DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    _run(env, "migrate", "-v0")
    _run(env, "createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.com")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    worker = None
    try:
        wait_for_server(port, server)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            _log_in(client)
            client.get("/admin/ingest/")
            upload = ja_text(JA_PARAGRAPHS[2:]).encode("shift_jis")
            response = client.post(
                "/admin/ingest/",
                data={
                    "text": ja_text(),
                    "urls": "",
                    "url": "",
                    "csrfmiddlewaretoken": client.cookies["csrftoken"],
                },
                files=[("files", ("記事.txt", upload, "text/plain"))],
            )
            assert response.status_code == 302, response.text
            batch_url = response.headers["location"]
            assert re.fullmatch(r"/admin/ingest/\d+/", batch_url)
            status_url = f"{batch_url}status/"

            # No worker yet: both inputs wait, kept in their rows.
            batch = client.get(status_url).json()
            assert batch["pending"] and [i["status"] for i in batch["items"]] == ["pending", "pending"]
            with contextlib.closing(sqlite3.connect(data / "newsdesk.sqlite3")) as db:
                kept = db.execute("SELECT text, data FROM pipeline_intakeitem ORDER BY id").fetchall()
            assert [(text, bytes(blob)) for text, blob in kept] == [(ja_text(), b""), ("", upload)]
            assert "処理待ち" in client.get(batch_url).text

            worker = subprocess.Popen(
                [sys.executable, "-m", "newsdesk", "worker"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 90
            while batch["pending"] and time.monotonic() < deadline:
                time.sleep(0.5)
                batch = client.get(status_url).json()
            assert not batch["pending"], batch
            assert [(i["label"], i["status"]) for i in batch["items"]] == [
                ("貼り付けたテキスト", "created"),
                ("記事.txt", "created"),
            ]
            for item in batch["items"]:
                change = client.get(item["article"]["url"])
                assert change.status_code == 200 and item["article"]["title"] in change.text
            assert "作成" in client.get(batch_url).text
        with contextlib.closing(sqlite3.connect(data / "newsdesk.sqlite3")) as db:
            kept = db.execute("SELECT text, length(data) FROM pipeline_intakeitem ORDER BY id").fetchall()
        assert kept == [("", 0), ("", 0)]  # processed: the inputs are gone from the rows
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
