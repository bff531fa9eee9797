"""Reader pages under a crowd: newsdesk alone, nginx serving the same bytes, newsdesk behind nginx.

The demo's sample site (`newsdesk demo --no-serve`) under `newsdesk serve` (its page cache on the
default disk:// cache, purging set up for nginx), and one nginx (Debian's, with the cache-purge
module, a worker per core) holding two servers: the documented configuration (docs/nginx.conf) in
front of newsdesk, and a plain one serving the article, front and story pages as static files,
the very bytes newsdesk answered. wrk loads each page at 16 connections in rounds that alternate
between the three, so all three meet the same noise of a shared machine; requests per second and
p99 are the medians over rounds, the ratios the medians of each round's ratios. Neither server
keeps an access log. nginx's CPU time per request (its workers', static and behind) is printed too:
on this machine wrk shares the cores, and where nginx rather than wrk runs out first, the ratio of
those two times is the ratio of the requests per second. Then, in the same run, an edit and a comment must show through nginx's cache
on the next request.

    .venv/bin/python bench/pages.py [--rounds 3] [--seconds 5] [--connections 16] [--workers 2]
                               [--static-open-files]

Goals (issue 13): newsdesk alone >= 25% of nginx's requests/s with p99 < 50 ms; newsdesk behind
nginx >= 90%.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import nginx  # noqa: E402
from tests.processes import free_port, newsdesk_env, wait_for_server  # noqa: E402

WRK = "/usr/bin/wrk"
MODES = ("newsdesk alone", "nginx static", "newsdesk behind nginx")
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}
EDIT = """
from newsdesk.articles.models import Article
article = Article.objects.get(pk={pk})
article.title = "ベンチ中に書き直した見出し"
article.save()
"""


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float, int]:
    """Requests per second, p99 in ms and requests made; every answer must be a 200."""
    out = subprocess.run(
        [WRK, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw errors on {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)$", out, re.MULTILINE).groups()
    return rate, float(value) * UNITS[unit], int(re.search(r"(\d+) requests in", out)[1])


def cpu_seconds(parent: int) -> float:
    """The CPU time (user and system) of ``parent``'s child processes so far: nginx's workers."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The fields after the command's name, which is in brackets and may hold spaces.
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[1]) == parent:
                ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


class Run:
    """The demo site under `newsdesk serve`, and nginx with both servers."""

    def __init__(self, folder: Path, workers: int, static_open_files: bool = False) -> None:
        self.static_open_files = static_open_files
        self.serve_port, self.static_port = free_port(), free_port()
        self.cache_port, purge_port = free_port(), free_port()
        self.env = newsdesk_env(
            NEWSDESK_DATA_DIR=str(folder / "data"),
            NEWSDESK_ACCESS_LOG="false",
            NEWSDESK_TRUSTED_PROXIES="127.0.0.1",
            NEWSDESK_FRONTEND_CACHE_BACKEND="newsdesk.site.purge.NginxPurge",
            NEWSDESK_FRONTEND_CACHE_PURGE_URL=f"http://127.0.0.1:{purge_port}/purge",
        )
        newsdesk = [sys.executable, "-m", "newsdesk"]
        subprocess.run([*newsdesk, "demo", "--no-serve"], env=self.env, check=True, capture_output=True)
        self.server = subprocess.Popen(
            [*newsdesk, "serve", "--port", str(self.serve_port), "--workers", str(workers)],
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.proxy: subprocess.Popen | None = None
        front = wait_for_server(self.serve_port, self.server).text
        self.paths = {
            "article": re.search(r'href="(/articles/\d+/)"', front)[1],
            "front": "/",
            "story": re.search(r'href="(/stories/\d+/)"', self.get(self.serve_port, "/stories/").text)[1],
        }
        pages = folder / "pages"
        pages.mkdir()
        for name, path in self.paths.items():  # the bytes newsdesk answers, as files
            (pages / f"{name}.html").write_bytes(self.get(self.serve_port, path).content)
        # Debian's defaults, as the issue measured them; --static-open-files keeps the files open
        # between requests, as the documented configuration keeps its cache files.
        keep_open = "open_file_cache max=100; " if self.static_open_files else ""
        static = f"server {{ listen 127.0.0.1:{self.static_port}; root {pages}; {keep_open}}}\n"
        site = nginx.documented_site(
            self.cache_port, purge_port, self.serve_port, folder / "cache", folder / "data" / "static"
        )
        self.proxy = nginx.start(folder / "nginx", site + static, self.cache_port, workers="auto")

    @staticmethod
    def get(port: int, path: str) -> httpx.Response:
        response = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=30)
        response.raise_for_status()
        return response

    def url(self, mode: str, page: str) -> str:
        if mode == "nginx static":
            return f"http://127.0.0.1:{self.static_port}/{page}.html"
        port = self.serve_port if mode == "newsdesk alone" else self.cache_port
        return f"http://127.0.0.1:{port}{self.paths[page]}"

    def same_bytes(self) -> bool:
        return all(
            len({httpx.get(self.url(mode, page), timeout=30).content for mode in MODES}) == 1
            for page in self.paths
        )

    def changes_show_at_once(self) -> dict[str, bool]:
        """An edit made by another process and a comment posted through nginx, each read back
        through nginx right after, with nginx holding the page before."""
        path, shown = self.paths["article"], {}
        pk = int(path.split("/")[2])
        changes = {
            "edit": (
                lambda: subprocess.run(
                    [sys.executable, "-m", "newsdesk", "shell", "-c", EDIT.format(pk=pk)],
                    env=self.env,
                    check=True,
                    capture_output=True,
                ),
                "ベンチ中に書き直した見出し",
            ),
            "comment": (
                lambda: httpx.post(
                    f"http://127.0.0.1:{self.cache_port}/api/articles/{pk}/comments",
                    json={"body": "ベンチ中のコメント"},
                ).raise_for_status(),
                "ベンチ中のコメント",
            ),
        }
        for name, (change, text) in changes.items():
            deadline = time.monotonic() + 10  # a purge 2 s after the last change may come first
            while self.get(self.cache_port, path).headers["X-Cache-Status"] != "HIT":
                if time.monotonic() > deadline:
                    raise SystemExit("nginx does not keep the article page")
                time.sleep(0.1)
            change()
            shown[name] = text in self.get(self.cache_port, path).text
        return shown

    def close(self) -> None:
        if self.proxy is not None:
            nginx.stop(self.proxy)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="newsdesk serve's worker processes")
    parser.add_argument(
        "--static-open-files",
        action="store_true",
        help="the static nginx keeps its files open (open_file_cache)",
    )
    args = parser.parse_args()
    if not (nginx.available() and Path(WRK).exists()):
        raise SystemExit("needs nginx, libnginx-mod-http-cache-purge and wrk (apt-get install ...)")
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    run = Run(folder, args.workers, args.static_open_files)
    try:
        if not run.same_bytes():
            raise SystemExit("the three do not answer the same bytes")
        print(f"{os.cpu_count()} CPUs, wrk -c {args.connections}, {args.rounds} rounds of {args.seconds:g} s")
        print(f"{'page':8} {'mode':22} {'requests/s':>11} {'p99 ms':>8}")
        for page in run.paths:
            results: dict[str, list[tuple[float, float, int]]] = {mode: [] for mode in MODES}
            # nginx's CPU time per request, static and behind: what decides their ratio where nginx,
            # not wrk beside it on the same cores, is what runs out first (a faster machine).
            cpu: dict[str, list[float]] = {mode: [] for mode in MODES[1:]}
            for number in range(args.rounds):
                order = MODES[number % 3 :] + MODES[: number % 3]  # each mode goes first in turn
                for mode in order:
                    httpx.get(run.url(mode, page), timeout=30)  # nginx's cache filled, not measured
                    before = cpu_seconds(run.proxy.pid)
                    results[mode].append(wrk(run.url(mode, page), args.seconds, args.connections))
                    if mode in cpu:
                        cpu[mode].append((cpu_seconds(run.proxy.pid) - before) * 1e6 / results[mode][-1][2])
            for mode in MODES:
                rate = statistics.median(r for r, _, _ in results[mode])
                p99 = statistics.median(p for _, p, _ in results[mode])
                print(f"{page:8} {mode:22} {rate:11,.0f} {p99:8.2f}")
            ratios = [
                statistics.median(
                    mine[0] / static[0] for mine, static in zip(results[mode], results[MODES[1]], strict=True)
                )
                for mode in (MODES[0], MODES[2])
            ]
            print(
                f"{page:8} alone/static {ratios[0]:.2f} (goal >= 0.25), behind/static {ratios[1]:.2f} (goal >= 0.90)"
            )
            static_us, behind_us = (statistics.median(cpu[mode]) for mode in MODES[1:])
            print(
                f"{page:8} nginx CPU per request: static {static_us:.1f} us, behind {behind_us:.1f} us "
                f"(static/behind {static_us / behind_us:.2f}: the ratio where nginx is the limit)"
            )
        shown = run.changes_show_at_once()
        print(
            "shown through nginx on the next request:",
            ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in shown.items()),
        )
    finally:
        run.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
