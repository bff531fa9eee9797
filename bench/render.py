"""Cold render times of the reader pages as the archive grows: 100,000 articles beside 1,000.

    .venv/bin/python bench/render.py [--sizes 1000 100000] [--rounds 30]
        [--database-url postgres://postgres@127.0.0.1:5432/render_bench] [--keep DIR]

Each size gets its own process and database (SQLite in a temporary data dir; with
``--database-url``, the PostgreSQL database of that name with ``_<size>`` appended, dropped and
made again), filled by ``bench/renderdata.py``. ``--keep DIR`` keeps the databases there and
reuses them on the next run. The pages are rendered in-process through Django's whole handler
and middleware (the test ``Client``), with newsdesk's page cache off (``NEWSDESK_CACHE_URL=
locmem://``: the page cache never keeps pages in a per-process cache), so every request renders.
The rankings are computed once before timing, as the worker does after each flush of page views
(their refresh is timed on its own); the processes take turns, one round of every page each, so
both see the same moments of a shared machine. Printed: p50 and p95 per page at each size, their
ratio, and the queries each page runs. Goal: the article and front pages under 30 ms at p50 with
100,000 articles.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# Rendered after a write that moves the listings' counts (newsdesk/site/listings.py), which
# are counted again; the other pages read the kept counts, as most renders do.
AFTER_CHANGE = "first after a change: "


def pages(fixed: dict) -> dict[str, str]:
    return {
        "article: recent": f"/articles/{fixed['recent']}/",
        "article: in a 60-article story": f"/articles/{fixed['in_big_story']}/",
        "article: 300 comments": f"/articles/{fixed['big_thread']}/",
        "article: with comments": f"/articles/{fixed['with_comments']}/",
        "article: mid-archive": f"/articles/{fixed['older']}/",
        "front page (latest)": "/",
        "latest, page 2": "/?page=2",
        "popular": "/popular/",
        "recommended": "/recommended/",
        "story (60 articles)": f"/stories/{fixed['big_story']}/",
        "story list": "/stories/",
        "storyline (12 stories)": f"/storylines/{fixed['storyline']}/",
        "storyline list": "/storylines/",
        "outlet": f"/outlets/{fixed['outlet']}/",
        "entity (in a third of articles)": f"/entities/{fixed['entity']}/",
        "entity (in 1 in 1,000 articles)": f"/entities/{fixed['rare_entity']}/",
        "tag (most used)": f"/tags/{fixed['tag']}/",
        "tag list": "/tags/",
        AFTER_CHANGE + "front page": "/",
        AFTER_CHANGE + "entity (in a third)": f"/entities/{fixed['entity']}/",
        AFTER_CHANGE + "story list": "/stories/",
        AFTER_CHANGE + "tag list": "/tags/",
    }


def _database_url(base: str, size: int) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path}_{size}"))


def _make_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        # pg_trgm needs a character type that knows Japanese letters (docs/decisions.md).
        connection.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )


def child(size: int, workdir: Path, database_url: str) -> None:
    """Fills (or reuses) one database, then answers the parent's ``round`` and ``queries`` lines."""
    os.environ.update(
        NEWSDESK_DATA_DIR=str(workdir),
        NEWSDESK_DATABASE_URL=database_url,
        NEWSDESK_CACHE_URL="locmem://",
        NEWSDESK_QUEUE_URL="immediate",
        NEWSDESK_IMAGES="false",
        NEWSDESK_RANKING_CACHE_SECONDS="86400",
        DJANGO_SETTINGS_MODULE="newsdesk.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import renderdata
    from newsdesk.site import listings, rankings

    stamp = workdir / "fixed.json"
    started = time.perf_counter()
    call_command("migrate", verbosity=0)  # a kept database gets the indexes added since
    if not stamp.exists():
        stamp.write_text(json.dumps(renderdata.fill(size)))
    fixed = json.loads(stamp.read_text())
    filled = time.perf_counter() - started
    started = time.perf_counter()
    rankings.refresh()
    refresh_ms = (time.perf_counter() - started) * 1000
    client = Client(HTTP_HOST="localhost")
    urls = pages(fixed)
    for url in urls.values():  # templates compiled, connections open
        assert client.get(url).status_code == 200, url
    print(json.dumps({"fill_s": round(filled, 1), "ranking_refresh_ms": round(refresh_ms, 1)}), flush=True)

    def render(name: str, url: str) -> None:
        if name.startswith(AFTER_CHANGE):
            listings.move()
        client.get(url)

    def warm() -> None:
        """Counts the listings again after the last round's moves, as the first renders would."""
        for name, url in urls.items():
            if not name.startswith(AFTER_CHANGE):
                client.get(url)

    for line in sys.stdin:
        warm()
        if line.strip() == "round":
            times = {}
            for name, url in urls.items():
                started, cpu = time.perf_counter(), time.process_time()
                render(name, url)
                times[name] = (time.perf_counter() - started, time.process_time() - cpu)
            print(json.dumps(times), flush=True)
        elif line.strip() == "queries":
            counts = {}
            for name, url in urls.items():
                with CaptureQueriesContext(connection) as captured:
                    render(name, url)
                counts[name] = len(captured)
            print(json.dumps(counts), flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 100_000])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", default="", help="PostgreSQL base URL; empty: SQLite")
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder and reuse them")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workdir, args.database_url)
        return

    root = args.keep or Path(tempfile.mkdtemp(prefix="newsdesk-render-"))
    processes = []
    for size in args.sizes:
        workdir = root / f"size-{size}"
        database_url = _database_url(args.database_url, size) if args.database_url else ""
        if database_url and not (workdir / "fixed.json").exists():
            _make_postgres_database(database_url)
        (workdir / "static").mkdir(parents=True, exist_ok=True)  # WhiteNoise warns without it
        command = [sys.executable, __file__, "--child", str(size), "--workdir", str(workdir)]
        command += ["--database-url", database_url]
        processes.append(
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        )
    for size, process in zip(args.sizes, processes, strict=True):
        print(f"{size:,} articles: {process.stdout.readline().strip()}", flush=True)

    def ask(process, command: str) -> dict:
        process.stdin.write(command + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    times: list[dict[str, list[float]]] = [{} for _ in processes]
    cpu: list[dict[str, list[float]]] = [{} for _ in processes]
    for _ in range(args.rounds):
        for index, process in enumerate(processes):
            for name, (seconds, cpu_seconds) in ask(process, "round").items():
                times[index].setdefault(name, []).append(seconds * 1000)
                cpu[index].setdefault(name, []).append(cpu_seconds * 1000)
    queries = [ask(process, "queries") for process in processes]
    for process in processes:
        process.stdin.close()
        process.wait()

    small, large = args.sizes
    print(f"\n{args.rounds} rounds; ms; database: {'PostgreSQL' if args.database_url else 'SQLite'}")
    print(f"| page | {small:,}: p50 / p95 (CPU p50) | {large:,}: p50 / p95 (CPU p50) | ratio p50 | queries |")
    print("| --- | --- | --- | --- | --- |")
    for name in times[0]:
        cells = [
            f"{statistics.median(t[name]):.1f} / {percentile(t[name], 0.95):.1f} ({statistics.median(c[name]):.1f})"
            for t, c in zip(times, cpu, strict=True)
        ]
        ratio = statistics.median(times[1][name]) / statistics.median(times[0][name])
        print(f"| {name} | {cells[0]} | {cells[1]} | {ratio:.2f} | {queries[0][name]} / {queries[1][name]} |")


if __name__ == "__main__":
    main()
