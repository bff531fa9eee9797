"""Real processes killed mid-pipeline (issue 14), then the work finished: by a second `newsdesk
ingest` of the same file, or by the next `newsdesk worker`, which runs each unfinished stage once
and queues again the ingest item its predecessor left 処理中.

The pipeline is held where it is to be killed by a translation endpoint that takes requests and
never answers; the finishing process gets one that answers (tests/translation_servers.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ingest_inputs import EN_PARAGRAPHS, html_page
from tests.processes import newsdesk_env
from tests.translation_servers import OpenAIServer

pytestmark = pytest.mark.slow


class Silent:
    """A translation endpoint that reads every request and never answers."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.received = b""
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):  # the listener closed at the end of the test
            while True:
                connection, _ = self.listener.accept()
                threading.Thread(target=self._read, args=(connection,), daemon=True).start()

    def _read(self, connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError):
            while chunk := connection.recv(65536):
                with self.lock:
                    self.received += chunk

    def wait_for(self, *texts: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not all(text.encode() in self.received for text in texts):
            assert time.monotonic() < deadline, f"no translation request for {texts}"
            time.sleep(0.1)


@pytest.fixture
def silent() -> Iterator[Silent]:
    endpoint = Silent()
    yield endpoint
    endpoint.listener.close()


@pytest.fixture
def answering() -> Iterator[OpenAIServer]:
    server = OpenAIServer().start()
    yield server
    server.stop()


def translator(base: str) -> dict[str, str]:
    return {
        "NEWSDESK_TRANSLATOR": "openai",
        "NEWSDESK_OPENAI_BASE_URL": f"{base}/v1",
        "NEWSDESK_OPENAI_MODEL": "test-model",
        "NEWSDESK_OPENAI_API_KEY": "local",
    }


def newsdesk(env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done


def start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def page(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.html"
    url = f"https://harbor-times.example/news/{name}"
    path.write_text(
        html_page(f"Harbour {name} reopens", [f"Harbour {name} reopened.", *EN_PARAGRAPHS], url=url)
    )
    return path


def query(data: Path, sql: str, *args) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(data / "newsdesk.sqlite3")) as db:
        return db.execute(sql, args).fetchall()


def articles(data: Path) -> dict[str, tuple[int, str]]:
    """Each article's id and status, by the page name in its title."""
    rows = query(data, "SELECT id, status, original_title FROM articles_article")
    return {title.split()[1]: (pk, status) for pk, status, title in rows}


def stages(data: Path, article: int) -> dict[str, tuple[str, int]]:
    rows = query(
        data, "SELECT name, state, attempts FROM articles_pipelinestage WHERE article_id = ?", article
    )
    return {name: (state, attempts) for name, state, attempts in rows}


def test_an_ingest_killed_mid_pipeline_is_finished_by_the_next_ingest(tmp_path, silent, answering):
    data, path = tmp_path / "data", page(tmp_path, "Alpha")
    env = newsdesk_env(NEWSDESK_DATA_DIR=str(data), NEWSDESK_IMAGES="false")
    newsdesk(env, "migrate", "-v0")
    first = start({**env, **translator(silent.base)}, "ingest", str(path))
    try:
        silent.wait_for("Harbour Alpha reopened.")
    finally:
        kill(first)
    [(pk, status)] = articles(data).values()
    assert status == "new" and {state for state, _ in stages(data, pk).values()} == {"done", "pending"}

    done = newsdesk({**env, **translator(answering.base)}, "ingest", str(path))
    assert done.stdout == f"{pk}\treview\t{path}\t途中で止まっていた処理を再開し、終えました\n"
    assert "既存 1 件（うち処理を再開 1 件）" in done.stderr
    assert set(stages(data, pk).values()) == {("done", 1)}


def test_a_worker_killed_mid_stage_is_resumed_by_the_next_worker_each_stage_once(tmp_path, silent, answering):
    data, queued, pasted = tmp_path / "data", page(tmp_path, "Queued"), page(tmp_path, "Pasted")
    env = newsdesk_env(
        NEWSDESK_DATA_DIR=str(data), NEWSDESK_IMAGES="false", NEWSDESK_RESUME_AFTER_SECONDS="1"
    )
    newsdesk(env, "migrate", "-v0")
    newsdesk(env, "ingest", "--enqueue", str(queued))  # stored now, its stages queued
    submit = f"from newsdesk.pipeline import batches; batches.submit([batches.Entry('text', 'p', open({str(pasted)!r}).read())])"
    newsdesk(env, "shell", "-c", submit)  # as the admin's ingest page does

    worker = start({**env, **translator(silent.base)}, "worker")
    try:  # both its threads wait on the translation: the queued stage chain and the ingest item
        silent.wait_for("Harbour Queued reopened.", "Harbour Pasted reopened.")
    finally:
        kill(worker)
    found = articles(data)
    assert {status for _, status in found.values()} == {"new"}
    assert stages(data, found["Queued"][0])["language"] == ("done", 1)
    assert stages(data, found["Queued"][0])["translate"] == ("pending", 0)
    assert query(data, "SELECT status, attempts FROM pipeline_intakeitem") == [("processing", 1)]

    time.sleep(1.5)  # RESUME_AFTER_SECONDS: the work has stopped
    worker = start({**env, **translator(answering.base)}, "worker")
    try:
        deadline = time.monotonic() + 90
        while {status for _, status in articles(data).values()} != {"review"} or query(
            data, "SELECT 1 FROM pipeline_intakeitem WHERE status IN ('pending', 'processing')"
        ):
            assert worker.poll() is None and time.monotonic() < deadline, articles(data)
            time.sleep(0.3)
    finally:
        kill(worker)
    for pk, _ in articles(data).values():
        assert set(stages(data, pk).values()) == {("done", 1)}  # every stage run once, none twice
    [(status, attempts, article)] = query(
        data, "SELECT status, attempts, article_id FROM pipeline_intakeitem"
    )
    assert (status, attempts, article) == ("existing", 2, found["Pasted"][0])
