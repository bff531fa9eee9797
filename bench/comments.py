"""Anonymous comments under load: newsdesk beside Isso on the same machine, in one run.

Both run on 127.0.0.1 with the same number of worker processes, as each is deployed: newsdesk
under `newsdesk serve` (granian), Isso under gunicorn's sync workers (the server its documentation
shows), each with its rate limits raised so they don't block the load. The load comes from
``bench/loadclient.py`` (asyncio, keep-alive where the server allows it, each poster from its own
loopback address). Measured:

- posting: comments per second from 16 concurrent posters (the median of rounds that alternate
  between the servers), and how many acknowledged comments (201/202) are in the database
  afterwards (must be all of them);
- reading a 1,000-comment thread (the whole thread in one response from both): requests per
  second and p99 latency at 1 and 16 concurrent readers.

    .venv/bin/python bench/comments.py [--workers 2] [--posts-per-poster 300] [--rounds 3] [--seconds 10]

The first run creates an Isso virtualenv (pip install isso gunicorn) under ~/.cache/newsdesk-bench.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadclient import Connection, cpu_seconds, run  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ISSO_VENV = Path.home() / ".cache" / "newsdesk-bench" / "isso-venv"
SAMPLE = ROOT / "newsdesk" / "samples" / "hanto-weekly-busan-moji-ferry.txt"
THREAD_SIZE = 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.args}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"server did not start: {url}")


class Newsdesk:
    name = "newsdesk"

    def __init__(self, workers: int) -> None:
        self.data = Path(tempfile.mkdtemp(prefix="bench-newsdesk-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "NEWSDESK_DATA_DIR": str(self.data),
            "NEWSDESK_DATABASE_URL": "",
            "NEWSDESK_COMMENT_RATE_THREAD": "100000000/1",
            "NEWSDESK_COMMENT_RATE_SITE": "100000000/1",
            "NEWSDESK_COMMENT_PAGE_SIZE": str(THREAD_SIZE),
            # Isso's gunicorn keeps no access log unless told to; neither does newsdesk here.
            "NEWSDESK_ACCESS_LOG": "false",
        }
        self._run("migrate", "-v0")
        self.threads = [self._article(n) for n in range(2)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "serve", "--port", str(self.port), "--workers", str(workers)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.base + "/", self.process)

    def _run(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "newsdesk", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def _article(self, n: int) -> int:
        copy = self.data / f"article-{n}.txt"
        copy.write_text(
            SAMPLE.read_text(encoding="utf-8") + f"\n（ベンチマーク用の写し {n}）\n", encoding="utf-8"
        )
        return int(self._run("ingest", "--publish", str(copy)).split("\t")[0])

    async def post(self, connection: Connection, thread: int, text: str) -> bool:
        path = f"/api/articles/{self.threads[thread]}/comments"
        response = await connection.request("POST", path, {"name": "", "body": text})
        return response.status in (201, 202)

    async def read(self, connection: Connection, thread: int):
        return await connection.request(
            "GET", f"/api/articles/{self.threads[thread]}/comments?sort=old&page=1"
        )

    def count(self, body: bytes) -> int:
        return len(json.loads(body)["comments"])

    def stored(self, thread: int) -> int:
        with sqlite3.connect(self.data / "newsdesk.sqlite3") as db:
            return db.execute(
                "SELECT COUNT(*) FROM comments_comment WHERE article_id = ?", (self.threads[thread],)
            ).fetchone()[0]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Isso:
    name = "Isso"

    def __init__(self, workers: int) -> None:
        if not (ISSO_VENV / "bin" / "gunicorn").exists():
            subprocess.run([sys.executable, "-m", "venv", str(ISSO_VENV)], check=True)
            subprocess.run([ISSO_VENV / "bin" / "pip", "install", "-q", "isso", "gunicorn"], check=True)
        self.data = Path(tempfile.mkdtemp(prefix="bench-isso-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = self.data / "isso.cfg"
        config.write_text(
            f"[general]\ndbpath = {self.data / 'comments.db'}\nhost = {self.base}/\n"
            f"[server]\nlisten = {self.base}/\n[guard]\nenabled = false\n[moderation]\nenabled = false\n"
        )
        self.process = subprocess.Popen(
            [
                ISSO_VENV / "bin" / "gunicorn",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(workers),
                "--preload",
                "isso.run:application",
            ],
            env={**os.environ, "ISSO_SETTINGS": str(config)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.base + "/info", self.process)
        self.headers = {"Origin": self.base, "Referer": self.base + "/"}

    async def post(self, connection: Connection, thread: int, text: str) -> bool:
        # With a title Isso does not fetch the page to find one (with sync workers calling their
        # own server, that fetch deadlocks). The client keeps no cookies: Isso sets one per
        # comment (to allow editing it), which no real reader collects by the hundred.
        payload = {"text": text, "author": None, "email": None, "website": None, "title": f"Thread {thread}"}
        response = await connection.request("POST", f"/new?uri=%2Fthread-{thread}", payload, self.headers)
        return response.status in (201, 202)

    async def read(self, connection: Connection, thread: int):
        return await connection.request("GET", f"/?uri=%2Fthread-{thread}", headers=self.headers)

    def count(self, body: bytes) -> int:
        return len(json.loads(body)["replies"])

    def stored(self, thread: int) -> int:
        with sqlite3.connect(self.data / "comments.db") as db:
            return db.execute(
                "SELECT COUNT(*) FROM comments JOIN threads ON comments.tid = threads.id "
                "WHERE threads.uri = ?",
                (f"/thread-{thread}",),
            ).fetchone()[0]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def posting(server, posters: int, per_poster: int, round_: int) -> tuple[float, int, float]:
    """One round: (comments acknowledged per second, comments acknowledged, server CPU ms each)."""
    acknowledged = [0] * posters

    async def poster(n: int, connect) -> None:
        connection = connect("127.0.0.1", server.port)
        for i in range(per_poster):
            text = f"投稿者{n}の{round_}回目{i}件目のコメントです。フェリーの再開は地域にとって朗報だと思います。"
            acknowledged[n] += await server.post(connection, 0, text)
        connection.close()

    cpu_before = cpu_seconds(server.process.pid)
    elapsed = run(posters, poster, sources=True)
    cpu = cpu_seconds(server.process.pid) - cpu_before
    return sum(acknowledged) / elapsed, sum(acknowledged), cpu * 1000 / max(1, sum(acknowledged))


def fill(server) -> None:
    refused = []

    async def poster(n: int, connect) -> None:
        connection = connect("127.0.0.1", server.port)
        for i in range(n, THREAD_SIZE, 8):
            text = f"{i}件目: 長いスレッドのためのコメント。>>{max(1, i)} に同意します。"
            # Isso answers 500 now and then under concurrent writes (SQLite "database is
            # locked"); the thread to read needs every comment, so such a post is sent again.
            for _ in range(3):
                if await server.post(connection, 1, text):
                    break
            else:
                refused.append(connection.last)
        connection.close()

    run(8, poster, sources=True)
    assert not refused, refused[:3]


def reading(server, readers: int, seconds: float) -> dict:
    connections: list[Connection] = []

    async def reader(_: int, connect) -> None:
        connection = connect("127.0.0.1", server.port)
        first = await server.read(connection, 1)
        assert server.count(first.body) == THREAD_SIZE  # the whole thread, once per reader
        connection.latencies.clear()
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at or not connection.latencies:
            response = await server.read(connection, 1)
            # Parsing 1,000 comments in the load client would make it, not the server, the
            # bottleneck: check the answer's status and size instead.
            assert response.status == 200 and len(response.body) >= len(first.body) * 0.9
        connection.close()
        connections.append(connection)

    elapsed = run(readers, reader)
    latencies = sorted(latency for connection in connections for latency in connection.latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return {"rps": len(latencies) / elapsed, "p99_ms": p99 * 1000, "requests": len(latencies)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--posters", type=int, default=16)
    parser.add_argument("--posts-per-poster", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    servers = []
    try:
        servers = [make(args.workers) for make in (Newsdesk, Isso)]
        # Rounds alternate between the servers, so a slow spell of a shared machine falls on both.
        rounds = {server.name: [] for server in servers}
        for round_ in range(args.rounds):
            for server in servers:
                rounds[server.name].append(posting(server, args.posters, args.posts_per_poster, round_))
        results = {}
        for server in servers:
            rates = [rate for rate, _, _ in rounds[server.name]]
            cpu = [cpu_ms for _, _, cpu_ms in rounds[server.name]]
            results[server.name] = {
                "posting": {
                    "rate": statistics.median(rates),
                    "rates": rates,
                    "cpu_ms": statistics.median(cpu),
                    "cpu_ms_rounds": cpu,
                    "acknowledged": sum(count for _, count, _ in rounds[server.name]),
                    "stored": server.stored(0),
                }
            }
            fill(server)
            assert server.stored(1) >= THREAD_SIZE, server.stored(1)
        for readers in (1, 16):
            for server in servers:
                results[server.name][f"read_{readers}"] = reading(server, readers, args.seconds)
    finally:
        for server in servers:
            server.stop()
    ours, isso = results["newsdesk"], results["Isso"]
    print(json.dumps(results, indent=1))
    print(
        f"posting ({args.posters} posters, median of {args.rounds} rounds): newsdesk {ours['posting']['rate']:.0f}/s, "
        f"Isso {isso['posting']['rate']:.1f}/s, ratio {ours['posting']['rate'] / isso['posting']['rate']:.1f}x "
        f"(goal >= 10x); server CPU per comment newsdesk {ours['posting']['cpu_ms']:.2f} ms, "
        f"Isso {isso['posting']['cpu_ms']:.2f} ms, ratio {isso['posting']['cpu_ms'] / ours['posting']['cpu_ms']:.1f}x; "
        f"stored/acknowledged newsdesk {ours['posting']['stored']}/{ours['posting']['acknowledged']}, "
        f"Isso {isso['posting']['stored']}/{isso['posting']['acknowledged']}"
    )
    for readers in (1, 16):
        o, i = ours[f"read_{readers}"], isso[f"read_{readers}"]
        print(
            f"reading {THREAD_SIZE}-comment thread, {readers} reader(s): newsdesk {o['rps']:.1f} req/s "
            f"p99 {o['p99_ms']:.0f} ms, Isso {i['rps']:.2f} req/s p99 {i['p99_ms']:.0f} ms, "
            f"ratio {o['rps'] / i['rps']:.0f}x (goal >= 50x, p99 < 100 ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
