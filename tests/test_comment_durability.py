"""Every comment acknowledged with 201 or 202 survives kill -9 of the server and a restart.

A real granian (`newsdesk serve`) takes posts from concurrent posters; mid-load the whole
process group gets SIGKILL; after a restart every acknowledged comment is in the database with
the number it was given. On SQLite always; on PostgreSQL when NEWSDESK_TEST_DATABASE_URL points
at one (a throwaway database is created beside the test database).
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from newsdesk import conf
from tests.ingest_inputs import ja_text
from tests.processes import free_port, newsdesk_env, wait_for_server

pytestmark = pytest.mark.slow

POSTERS = 8


def _newsdesk(env, *args, stdin=None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _start(env, port):
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_server(port, server)
    return server


def _kill(server) -> None:
    os.killpg(server.pid, signal.SIGKILL)  # the main process and every worker, with no chance to clean up
    server.wait(timeout=10)


@pytest.fixture
def postgres_url():
    base = conf.get("NEWSDESK_TEST_DATABASE_URL")
    if not base.startswith(("postgres://", "postgresql://")):
        pytest.skip("NEWSDESK_TEST_DATABASE_URL is not PostgreSQL")
    import psycopg

    name = f"newsdesk_durability_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _survives_kill(tmp_path, database_url: str) -> None:
    env = newsdesk_env(
        NEWSDESK_DATA_DIR=str(tmp_path / "data"),
        NEWSDESK_DATABASE_URL=database_url,
        NEWSDESK_COMMENT_RATE_THREAD="1000000/1",
        NEWSDESK_COMMENT_RATE_SITE="1000000/1",
    )
    _newsdesk(env, "migrate", "-v0")
    source = tmp_path / "ja.txt"
    source.write_text(ja_text(), encoding="utf-8")
    article = int(_newsdesk(env, "ingest", "--publish", str(source)).split("\t")[0])
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/articles/{article}/comments"
    server = _start(env, port)

    acknowledged: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def poster(n: int) -> None:
        with httpx.Client(timeout=10) as client:
            for i in range(10_000):
                if stop.is_set():
                    return
                body = f"投稿者{n}の{i}件目。港の再開を待っています。"
                try:
                    response = client.post(url, json={"body": body})
                except httpx.TransportError:
                    return  # the server is gone: what was acknowledged before must be kept
                if response.status_code in (201, 202):
                    with lock:
                        acknowledged[body] = response.json().get("no")

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(POSTERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        time.sleep(0.05)
    _kill(server)
    stop.set()
    for thread in threads:
        thread.join(timeout=20)
    assert len(acknowledged) >= 60, "too few posts were acknowledged before the kill"

    server = _start(env, port)  # restart on the same files; SQLite recovers its WAL here
    try:
        exported = [json.loads(line) for line in _newsdesk(env, "export").splitlines()]
    finally:
        _kill(server)
    stored = {c["body"]: c["number"] for record in exported for c in record.get("comments", [])}
    missing = {body for body in acknowledged if body not in stored}
    assert not missing, f"{len(missing)} acknowledged comments lost"
    renumbered = {b for b, no in acknowledged.items() if no is not None and stored[b] != no}
    assert not renumbered
    numbers = sorted(stored.values())
    assert numbers == list(range(1, len(numbers) + 1))  # no duplicates, no gaps


def test_acknowledged_comments_survive_kill_9_on_sqlite(tmp_path):
    _survives_kill(tmp_path, "")


def test_acknowledged_comments_survive_kill_9_on_postgresql(tmp_path, postgres_url):
    _survives_kill(tmp_path, postgres_url)
