"""Anonymous comments under load: newsdesk beside Isso on the same machine, in one run.

Both run under gunicorn with the same number of sync workers on 127.0.0.1, each with its rate
limits raised so they don't block the load. Measured:

- posting: comments per second from 16 concurrent posters, and how many acknowledged comments
  (201/202) are in the database afterwards (must be all of them);
- reading a 1,000-comment thread (the whole thread in one response from both): requests per
  second and p99 latency at 1 and 16 concurrent readers.

    .venv/bin/python bench/comments.py [--workers 4] [--posts-per-poster 25] [--seconds 10]

The first run creates an Isso virtualenv (pip install isso gunicorn) under ~/.cache/newsdesk-bench.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

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

    def post(self, client: httpx.Client, thread: int, text: str) -> bool:
        response = client.post(
            f"{self.base}/api/articles/{self.threads[thread]}/comments", json={"name": "", "body": text}
        )
        return response.status_code in (201, 202)

    def read(self, client: httpx.Client, thread: int) -> httpx.Response:
        return client.get(f"{self.base}/api/articles/{self.threads[thread]}/comments?sort=old&page=1")

    def count(self, response: httpx.Response) -> int:
        return len(response.json()["comments"])

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

    def post(self, client: httpx.Client, thread: int, text: str) -> bool:
        response = client.post(
            f"{self.base}/new",
            params={"uri": f"/thread-{thread}"},
            # With a title Isso does not fetch the page to find one (with sync workers calling
            # their own server, that fetch deadlocks).
            json={"text": text, "author": None, "email": None, "website": None, "title": f"Thread {thread}"},
            headers=self.headers,
        )
        # Isso sets a cookie per comment posted (to allow editing it); a bench client posting
        # hundreds would outgrow gunicorn's header limit (431), which no real reader does.
        client.cookies.clear()
        return response.status_code in (201, 202)

    def read(self, client: httpx.Client, thread: int) -> httpx.Response:
        return client.get(f"{self.base}/", params={"uri": f"/thread-{thread}"}, headers=self.headers)

    def count(self, response: httpx.Response) -> int:
        return len(response.json()["replies"])

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


def in_parallel(count: int, work) -> None:
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def posting(server, posters: int, per_poster: int) -> dict:
    acknowledged = [0] * posters

    def poster(n: int) -> None:
        with httpx.Client(timeout=60) as client:
            for i in range(per_poster):
                text = f"投稿者{n}の{i}件目のコメントです。フェリーの再開は地域にとって朗報だと思います。"
                acknowledged[n] += server.post(client, 0, text)

    started = time.perf_counter()
    in_parallel(posters, poster)
    elapsed = time.perf_counter() - started
    return {
        "rate": sum(acknowledged) / elapsed,
        "acknowledged": sum(acknowledged),
        "stored": server.stored(0),
    }


def fill(server) -> None:
    def poster(n: int) -> None:
        with httpx.Client(timeout=60) as client:
            for i in range(n, THREAD_SIZE, 8):
                text = f"{i}件目: 長いスレッドのためのコメント。>>{max(1, i)} に同意します。"
                server.post(client, 1, text)

    in_parallel(8, poster)


def reading(server, readers: int, seconds: float) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def reader(_: int) -> None:
        mine = []
        with httpx.Client(timeout=120) as client:
            first = server.read(client, 1)
            assert server.count(first) == THREAD_SIZE  # the whole thread, once per reader
            size = len(first.content)
            while time.monotonic() < stop_at or not mine:
                started = time.perf_counter()
                response = server.read(client, 1)
                mine.append(time.perf_counter() - started)
                # Parsing 1,000 comments in the load generator would make it, not the server, the
                # bottleneck on a 2-core machine: check the answer's status and size instead.
                assert response.status_code == 200 and len(response.content) >= size * 0.9
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    in_parallel(readers, reader)
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return {"rps": len(latencies) / elapsed, "p99_ms": p99 * 1000, "requests": len(latencies)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--posters", type=int, default=16)
    parser.add_argument("--posts-per-poster", type=int, default=25)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args(argv)
    results = {}
    for make in (Newsdesk, Isso):
        server = make(args.workers)
        try:
            result = {"posting": posting(server, args.posters, args.posts_per_poster)}
            fill(server)
            assert server.stored(1) >= THREAD_SIZE, server.stored(1)
            for readers in (1, 16):
                result[f"read_{readers}"] = reading(server, readers, args.seconds)
            results[server.name] = result
        finally:
            server.stop()
    ours, isso = results["newsdesk"], results["Isso"]
    print(json.dumps(results, indent=1))
    print(
        f"posting ({args.posters} posters): newsdesk {ours['posting']['rate']:.0f}/s, "
        f"Isso {isso['posting']['rate']:.1f}/s, ratio {ours['posting']['rate'] / isso['posting']['rate']:.1f}x "
        f"(goal >= 10x); stored/acknowledged newsdesk {ours['posting']['stored']}/{ours['posting']['acknowledged']}, "
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
