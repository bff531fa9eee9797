"""Readers while wrong admin logins run: the comment API's latency under `newsdesk serve`.

A login's password check is ~0.4 s of PBKDF2 on a request thread. Each attacker sends one wrong
login after another from its own loopback address, under a new name each time; axes's limit is
raised so that it never locks them out (`--failure-limit 5` restores it), which is an attack
spread over many addresses. Meanwhile readers fetch an article's comments through the API and an
editor logs in with the right password every 2 seconds. Every request opens a connection of its
own, so requests land on the workers as the kernel spreads connections, not as one kept-alive
connection happened to. Printed: the readers' median, p90 and p99 latency alone, then under the
attack, and what the logins got (200 wrong password, 302 logged in, 429 locked out, 503 busy).

    .venv/bin/python bench/login.py [--workers 2] [--threads 2] [--attackers 4] [--readers 4]
                                    [--concurrency 1] [--wait 0] [--seconds 15] [--failure-limit N]

`--concurrency 0` leaves the gate out (as many password checks at once as threads), as before it.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "newsdesk" / "samples" / "hanto-weekly-busan-moji-ferry.txt"
PASSWORD = "とても長いパスワード"
NO_KEEP_ALIVE = httpx.Limits(max_keepalive_connections=0)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def newsdesk(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def start(args) -> tuple[subprocess.Popen, str, int]:
    data = Path(tempfile.mkdtemp(prefix="bench-login-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
        "NEWSDESK_DATA_DIR": str(data),
        "NEWSDESK_ACCESS_LOG": "false",
        "NEWSDESK_LOGIN_FAILURE_LIMIT": str(args.failure_limit),
        "NEWSDESK_LOGIN_CONCURRENCY": str(args.concurrency or args.threads),
        "NEWSDESK_LOGIN_WAIT": str(args.wait),
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    newsdesk(env, "createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.jp")
    article = int(newsdesk(env, "ingest", "--publish", str(SAMPLE)).split("\t")[0])
    command = ["serve", "--port", str(port), "--workers", str(args.workers), "--threads", str(args.threads)]
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/", timeout=2)
            break
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)
    return server, base, article


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def login(client: httpx.Client, base: str, username: str, password: str) -> int:
    page = client.get(f"{base}/admin/login/?next=/admin/")
    token = CSRF.search(page.text).group(1)
    data = {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
    return client.post(f"{base}/admin/login/?next=/admin/", data=data).status_code


def phase(base: str, article: int, readers: int, attackers: int, seconds: float):
    stop = threading.Event()
    latencies: list[float] = []
    outcomes: collections.Counter = collections.Counter()
    editor: collections.Counter = collections.Counter()

    def read(n: int) -> None:
        with httpx.Client(timeout=30, limits=NO_KEEP_ALIVE) as client:
            while not stop.is_set():
                started = time.perf_counter()
                client.get(f"{base}/api/articles/{article}/comments").raise_for_status()
                latencies.append(time.perf_counter() - started)
                time.sleep(0.05)

    def attack(n: int) -> None:
        transport = httpx.HTTPTransport(local_address=f"127.0.1.{n + 2}", limits=NO_KEEP_ALIVE)
        with httpx.Client(transport=transport, timeout=60) as client:
            i = 0
            while not stop.is_set():
                outcomes[login(client, base, f"nobody{n}-{i}", "wrong-password")] += 1
                i += 1

    def log_in() -> None:
        while not stop.wait(2.0):
            with httpx.Client(timeout=60, limits=NO_KEEP_ALIVE) as client:
                editor[login(client, base, "editor", PASSWORD)] += 1

    threads = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    threads += [threading.Thread(target=attack, args=(n,)) for n in range(attackers)]
    if attackers:
        threads.append(threading.Thread(target=log_in))
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100)
    return statistics.median(latencies), cuts[89], cuts[98], len(latencies), outcomes, editor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--attackers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=1, help="0: no gate")
    parser.add_argument("--wait", type=float, default=0.0)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--failure-limit", type=int, default=1_000_000, help="axes's limit; the default never locks out"
    )
    args = parser.parse_args()
    server, base, article = start(args)
    try:
        gate = f"gate {args.concurrency}, wait {args.wait:g} s" if args.concurrency else "no gate"
        print(f"workers {args.workers}, threads {args.threads}, {gate}")
        for attackers in (0, args.attackers):
            median, p90, p99, count, outcomes, editor = phase(
                base, article, args.readers, attackers, args.seconds
            )
            print(
                f"  {attackers} attackers: readers median {median * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
                f"p99 {p99 * 1000:.0f} ms ({count} requests)"
                + (f"; attackers {dict(outcomes)}, editor {dict(editor)}" if attackers else "")
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
