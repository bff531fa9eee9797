"""One machine to many, measured: PostgreSQL, Redis, two web processes and two workers.

Every part runs as its own process with production settings (``newsdesk.settings``, NEWSDESK_*),
each with a data folder of its own as on separate machines: what they share is PostgreSQL (the
bench creates and drops its own database), Redis (the cache and the queue, on database numbers of
their own, flushed at the start), the secret key and the folder of stored images
(NEWSDESK_MEDIA_DIR). The site ingests generated Japanese articles (samples, see
``bench/clusterfeed.py``) from RSS feeds on a local server, the product's way:
``newsdesk ingest <feed URLs> --enqueue --publish``: each feed URL is written as an ingest item and
queued; a worker fetches the feed and writes and queues an item for each entry; a worker takes an
entry's item, fetches the page, stores it, runs its stages and publishes it. Meanwhile readers load the front
page, article pages and story pages (most of them the newest ones), and posters post comments
through the JSON API, half of the clients on each web process.

Once half of the articles are stored, the first lead-image request a worker makes is held by the
feed server, and that worker is killed with SIGKILL while it waits: it dies mid-pipeline, in the
images stage of that article, its other thread wherever it was (perhaps mid-fetch: the URL is in
its item's row, so nothing is lost). The other worker drains the queue; the articles still
``new`` then are the interrupted ones, and the items left 処理中 with them. The resume sweep takes
both over once they have not moved for NEWSDESK_RESUME_AFTER_SECONDS: the worker runs the sweep
when it starts and every 5 minutes, and the bench queues the same task (``resume_interrupted``)
after the drain, standing in for the 5-minute tick. The setting is 300 s here (1800 by default,
10 s with --quick).

Then the same readers and posters run against the same site with no ingest (before and after the
ingest, ``--seconds`` each): the baseline, so the ratios say what ingest costs the readers. The
round before is the one to compare with. Last the readers alone, with nobody posting (a comment
makes its article's page and the rankings render again).

Checks, from the database: every served article stored once (by URL and content hash) and
published, the interrupted ones included; every article's stage rows all ``done`` with
``attempts == 1`` (the interrupted articles are listed with their rows before and after); every
acknowledged comment (201/202, its article and number) stored with its body, no number or body
twice; what the stories, entities, search and images stages wrote agrees with their rows; the
sweeps took as many articles as were interrupted; no traceback in any process's log. Exits 1 when
a check fails.

    .venv/bin/python bench/cluster.py                 # 1,000 articles, 16 readers, 16 posters
    .venv/bin/python bench/cluster.py --quick         # a small smoke run (40 articles)

Needs PostgreSQL (trust auth for postgres on 127.0.0.1:5432) and Redis on 127.0.0.1:6379; see
--database-url and --redis-url.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import queue as queue_module
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
import clusterfeed  # noqa: E402
from loadclient import Connection  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "newsdesk_cluster_bench"  # created and dropped by the bench (--database-name)
CACHE_DB, QUEUE_DB = 13, 14
QUEUE_KEY = "huey.redis.newsdesk"  # RedisHuey's list for the queue named "newsdesk"
QUIET_SECONDS = 5  # nothing queued and no stage row moved this long: the queue is drained
FEED_SIZE = 100
HOT_SHARE, HOT_ARTICLES, HOT_STORIES = 0.7, 30, 10  # entries per feed, under NEWSDESK_FEED_MAX_ENTRIES (200)
WORKER_AGENT = "newsdesk-cluster-bench/{name}"
RESUMED = re.compile(r"resumed (\d+) interrupted article\(s\), requeued (\d+) ingest item\(s\)")
COMMENT_LINES = [
    "現地の人の声がもっと知りたいです。",
    "数字の出どころが気になります。続報を待ちます。",
    "去年も似た話がありましたね。",
    "日本への影響はどうなるのでしょうか。",
    "分かりやすい記事でした。",
    "地元の友人も同じことを言っていました。",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


# Processes


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path


class Cluster:
    """The database, the queue and cache, and the newsdesk processes, started and stopped."""

    def __init__(self, args) -> None:
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="newsdesk-cluster-"))
        base = urlsplit(args.database_url)
        self.admin_url = args.database_url
        self.database = args.database_name
        self.database_url = urlunsplit(base._replace(path=f"/{self.database}"))
        self.cache_url = f"{args.redis_url.rstrip('/')}/{CACHE_DB}"
        self.queue_url = f"{args.redis_url.rstrip('/')}/{QUEUE_DB}"
        self.web_ports = [free_port(), free_port()]
        self.processes: dict[str, Process] = {}
        self.shared = {
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
            "NEWSDESK_DATABASE_URL": self.database_url,
            "NEWSDESK_CACHE_URL": self.cache_url,
            "NEWSDESK_QUEUE_URL": self.queue_url,
            "NEWSDESK_SECRET_KEY": secrets.token_urlsafe(50),
            "NEWSDESK_MEDIA_DIR": str(self.folder / "media"),  # one shared folder, as several machines need
            "NEWSDESK_SITE_URL": f"http://127.0.0.1:{self.web_ports[0]}",
            # Bench settings, each said in the report:
            "NEWSDESK_FETCH_ALLOW_PRIVATE": "true",  # the feed server is on 127.0.0.1
            "NEWSDESK_RESUME_AFTER_SECONDS": str(args.resume_after),
            "NEWSDESK_COMMENT_RATE_THREAD": "100000000/1",  # rate limits out of the posters' way
            "NEWSDESK_COMMENT_RATE_SITE": "100000000/1",
            "NEWSDESK_ACCESS_LOG": "false",
        }

    def env(self, name: str, **extra: str) -> dict[str, str]:
        inherited = {
            key: value
            for key, value in os.environ.items()
            if key != "DJANGO_SETTINGS_MODULE" and not key.startswith("NEWSDESK_")
        }
        data = self.folder / name
        data.mkdir(exist_ok=True)
        return {**inherited, **self.shared, "NEWSDESK_DATA_DIR": str(data), **extra}

    def setup_stores(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            # pg_trgm needs a character type that knows Japanese letters (docs/decisions.md).
            admin.execute(
                f"CREATE DATABASE \"{self.database}\" TEMPLATE template0 LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
            )
        for url in (self.cache_url, self.queue_url):
            redis.Redis.from_url(url).flushdb()

    def newsdesk(self, name: str, *args: str, timeout: float = 300, **extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "newsdesk", *args],
            env=self.env(name, **extra),
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise SystemExit(f"newsdesk {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self, name: str, *args: str, **extra: str) -> Process:
        log = self.folder / f"{name}.log"
        with open(log, "wb") as out:
            popen = subprocess.Popen(
                [sys.executable, "-m", "newsdesk", *args],
                env=self.env(name, **extra),
                cwd=self.folder,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: killed with every process it starts
            )
        self.processes[name] = Process(name, popen, log)
        return self.processes[name]

    def start_all(self) -> None:
        for n, port in enumerate(self.web_ports, 1):
            self.start(f"web{n}", "serve", "--port", str(port), "--workers", "1")
        for n in (1, 2):
            name = f"worker{n}"
            self.start(name, "worker", NEWSDESK_USER_AGENT=WORKER_AGENT.format(name=name))
        deadline = time.monotonic() + 180
        for n, port in enumerate(self.web_ports, 1):
            process = self.processes[f"web{n}"]
            while True:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                    break
                except httpx.TransportError:
                    if process.popen.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(
                            f"web{n} did not start:\n{process.log.read_text()[-3000:]}"
                        ) from None
                    time.sleep(0.3)

    def kill(self, name: str) -> None:
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGKILL)
        process.popen.wait(timeout=30)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.popen.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.popen.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait(timeout=15)

    def drop(self) -> None:
        with contextlib.suppress(Exception), psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        for url in (self.cache_url, self.queue_url):
            with contextlib.suppress(Exception):
                redis.Redis.from_url(url).flushdb()
        shutil.rmtree(self.folder, ignore_errors=True)

    def log_lines(self, name: str) -> list[str]:
        return self.processes[name].log.read_text(errors="replace").splitlines()


# The feed server


class FeedSite:
    def __init__(self, articles: int, seed_articles: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.seed = clusterfeed.generate(seed_articles, self.base, "seed", seed=1)
        self.pages = clusterfeed.generate(articles, self.base, "a", seed=2)
        photos = clusterfeed.images()
        documents: dict[str, tuple[bytes, str]] = {}
        self.feeds: dict[str, list[str]] = {"seed": [], "main": []}
        for kind, pages in (("seed", self.seed), ("main", self.pages)):
            for start in range(0, len(pages), FEED_SIZE):
                name = f"{kind}-{start // FEED_SIZE + 1}"
                path = f"/feeds/{name}.xml"
                documents[path] = (
                    clusterfeed.feed(pages[start : start + FEED_SIZE], self.base, name),
                    "application/rss+xml",
                )
                self.feeds[kind].append(self.base + path)
            for page in pages:
                documents[urlsplit(page.url).path] = (page.html, "text/html; charset=utf-8")
                image = urlsplit(page.url).path.replace("/news/", "/img/").replace(".html", ".jpg")
                documents[image] = (photos[hash(image) % len(photos)], "image/jpeg")
        self.trap = clusterfeed.Trap()
        agents = tuple(WORKER_AGENT.format(name=f"worker{n}") for n in (1, 2))
        self.process = multiprocessing.get_context("fork").Process(
            target=clusterfeed.serve, args=(self.port, documents, self.trap, agents), daemon=True
        )
        self.process.start()
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(self.base + "/robots.txt", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the feed server did not start"
                time.sleep(0.1)

    def stop(self) -> None:
        self.trap.released.set()
        self.process.terminate()
        self.process.join(timeout=10)


# Readers and posters


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    reads: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    read_status: Counter = field(default_factory=Counter)
    posts: list[float] = field(default_factory=list)
    post_status: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)

    @property
    def read_latencies(self) -> list[float]:
        return [value for values in self.reads.values() for value in values]

    def summary(self) -> dict:
        reads, posts = self.read_latencies, self.posts
        return {
            "seconds": round(self.seconds, 1),
            "reads": len(reads),
            "reads_per_s": len(reads) / self.seconds if self.seconds else 0.0,
            "read_p50_ms": percentile(reads, 0.5) * 1000,
            "read_p99_ms": percentile(reads, 0.99) * 1000,
            "by_page": {
                kind: {"n": len(v), "p50_ms": percentile(v, 0.5) * 1000, "p99_ms": percentile(v, 0.99) * 1000}
                for kind, v in sorted(self.reads.items())
            },
            "read_status": dict(self.read_status),
            "comments": len(posts),
            "comments_per_s": len(posts) / self.seconds if self.seconds else 0.0,
            "comment_p50_ms": percentile(posts, 0.5) * 1000,
            "comment_p99_ms": percentile(posts, 0.99) * 1000,
            "post_status": dict(self.post_status),
            "errors": dict(self.errors),
        }


def merged(name: str, phases: list[Phase]) -> Phase:
    total = Phase(name, seconds=sum(phase.seconds for phase in phases))
    for phase in phases:
        for kind, values in phase.reads.items():
            total.reads[kind] += values
        total.posts += phase.posts
        total.read_status.update(phase.read_status)
        total.post_status.update(phase.post_status)
        total.errors.update(phase.errors)
    return total


class Load:
    """Readers and posters on an asyncio loop in a thread of their own; ids of published articles
    and their stories are read from the database every second."""

    def __init__(self, ports: list[int], readers: int, posters: int, database_url: str) -> None:
        self.ports, self.readers, self.posters = ports, readers, posters
        self.database_url = database_url
        self.articles: list[int] = []
        self.stories: list[int] = []
        self.acknowledged: list[tuple[int, int, str, int]] = []  # article, number, body, status
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.phase: Phase | None = None

    def refresh(self, db) -> None:
        # Newest first: most readers and posters go where the news is (HOT_SHARE of them to the
        # newest HOT_ARTICLES articles and HOT_STORIES stories), the others anywhere.
        self.articles = [
            row[0]
            for row in db.execute(
                "SELECT id FROM articles_article WHERE status = 'published' "
                "ORDER BY site_published_at DESC, id DESC"
            )
        ]
        self.stories = [
            row[0]
            for row in db.execute(
                "SELECT m.story_id FROM stories_storymembership m "
                "JOIN articles_article a ON a.id = m.article_id WHERE a.status = 'published' "
                "GROUP BY m.story_id ORDER BY max(a.site_published_at) DESC, m.story_id DESC"
            )
        ]

    @staticmethod
    def pick(rng: random.Random, ids: list[int], hot: int) -> int:
        return rng.choice(ids[:hot] if rng.random() < HOT_SHARE else ids)

    def start(self, name: str) -> None:
        self.phase, self.stop = Phase(name), threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self.thread.start()

    def finish(self) -> Phase:
        assert self.thread is not None and self.phase is not None
        self.stop.set()
        self.thread.join(timeout=60)
        return self.phase

    def run(self, name: str, seconds: float) -> Phase:
        self.start(name)
        time.sleep(seconds)
        return self.finish()

    async def _main(self) -> None:
        phase = self.phase
        assert phase is not None
        with psycopg.connect(self.database_url, autocommit=True) as db:
            self.refresh(db)
            started = time.perf_counter()
            refresher = asyncio.create_task(self._refresh(db))
            await asyncio.gather(
                *(self._reader(n, phase) for n in range(self.readers)),
                *(self._poster(n, phase) for n in range(self.posters)),
            )
            phase.seconds = time.perf_counter() - started
            refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refresher

    async def _refresh(self, db) -> None:
        while True:
            await asyncio.sleep(1)
            await asyncio.to_thread(self.refresh, db)

    async def _reader(self, n: int, phase: Phase) -> None:
        rng = random.Random(f"reader-{phase.name}-{n}")
        connection = Connection("127.0.0.1", self.ports[n % len(self.ports)])
        while not self.stop.is_set():
            roll = rng.random()
            if roll < 0.6 and self.articles:
                kind, target = "article", f"/articles/{self.pick(rng, self.articles, HOT_ARTICLES)}/"
            elif roll < 0.8 and self.stories:
                kind, target = "story", f"/stories/{self.pick(rng, self.stories, HOT_STORIES)}/"
            else:
                kind, target = "front", "/"
            started = time.perf_counter()
            try:
                response = await connection.request("GET", target)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                phase.errors[f"read {type(exc).__name__}"] += 1
                connection.close()
                await asyncio.sleep(0.05)
                continue
            phase.reads[kind].append(time.perf_counter() - started)
            phase.read_status[f"{kind} {response.status}"] += 1
        connection.close()

    async def _poster(self, n: int, phase: Phase) -> None:
        rng = random.Random(f"poster-{phase.name}-{n}")
        # Each poster from its own loopback address: the site sees 16 sources, as with 16 readers.
        source = f"127.0.{(n + 1) // 250}.{(n + 1) % 250 + 2}"
        connection = Connection("127.0.0.1", self.ports[n % len(self.ports)], source)
        count = 0
        while not self.stop.is_set():
            if not self.articles:
                await asyncio.sleep(0.2)
                continue
            article = self.pick(rng, self.articles, HOT_ARTICLES)
            count += 1
            body = f"{rng.choice(COMMENT_LINES)}（{phase.name} 投稿者{n} {count}件目）"
            started = time.perf_counter()
            try:
                response = await connection.request(
                    "POST", f"/api/articles/{article}/comments", {"name": "", "body": body}
                )
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                phase.errors[f"post {type(exc).__name__}"] += 1
                connection.close()
                await asyncio.sleep(0.05)
                continue
            phase.post_status[response.status] += 1
            if response.status in (201, 202):
                phase.posts.append(time.perf_counter() - started)
                self.acknowledged.append((article, json.loads(response.body)["no"], body, response.status))
        connection.close()


# The ingest, the kill and the resume


@dataclass
class Ingest:
    started: float = 0.0
    stored_at: float | None = None  # every article stored
    armed_at: float | None = None  # half of them stored: the trap set for the kill
    killed: str = ""
    killed_at: float | None = None
    trapped: str = ""  # the page whose image request the killed worker waited on
    drained_at: float | None = None
    interrupted: dict[int, dict[str, tuple[str, int]]] = field(default_factory=dict)  # as found at drain
    sweep_queued_at: float | None = None
    settled_at: float | None = None
    published: list[tuple[float, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    idle: dict[int, float] = field(default_factory=dict)  # the longest each article went without moving


def status_counts(db) -> Counter:
    return Counter(
        dict(db.execute("SELECT status, count(*) FROM articles_article GROUP BY status").fetchall())
    )


def stage_rows(db, ids) -> dict[int, dict[str, tuple[str, int]]]:
    rows: dict[int, dict[str, tuple[str, int]]] = defaultdict(dict)
    for article, name, state, attempts in db.execute(
        "SELECT article_id, name, state, attempts FROM articles_pipelinestage WHERE article_id = ANY(%s)",
        (list(ids),),
    ):
        rows[article][name] = (state, attempts)
    return dict(rows)


def wait_published(db, total: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while status_counts(db)["published"] < total:
        if time.monotonic() > deadline:
            raise SystemExit(f"the seed articles were not all published: {dict(status_counts(db))}")
        time.sleep(0.5)


def sweeps(cluster: Cluster) -> list[tuple[int, int]]:
    """(articles resumed, ingest items requeued) of every sweep the workers logged."""
    return [
        (int(found[1]), int(found[2]))
        for name in cluster.processes
        if name.startswith("worker")
        for line in cluster.log_lines(name)
        if (found := RESUMED.search(line))
    ]


def stalled(db, since) -> list[int]:
    """Articles not settled that have not moved since ``since`` (a database time)."""
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM articles_article WHERE status = 'new' AND updated_at < %s", (since,)
        )
    ]


def run_ingest(cluster: Cluster, site: FeedSite, db, total: int, timeout: float) -> Ingest:
    """Queues the feeds, kills one worker mid-pipeline once half of the articles are stored, and
    waits until every article is stored and has settled (none left ``new``).

    The interrupted articles are those still ``new`` once the surviving worker has drained the
    queue. Should a sweep (the worker's 5-minute tick) take them before that, they are those that
    had not moved since the kill just before they could be taken (RESUME_AFTER_SECONDS after it):
    an article merely waiting in the queue has moved since, unless its wait is that long."""
    report = Ingest(started=time.monotonic())
    after = cluster.args.resume_after
    queued = redis.Redis.from_url(cluster.queue_url)
    cluster.newsdesk("ops", "ingest", "--enqueue", "--publish", *site.feeds["main"])
    deadline = report.started + timeout
    quiet_since, last_progress = None, None
    killed_db, swept_before, snapshot = None, 0, None
    while True:
        now = time.monotonic()
        counts = status_counts(db)
        stored = sum(counts.values())
        report.published.append((now - report.started, counts["published"]))
        for pk, idle in db.execute(
            "SELECT id, extract(epoch FROM now() - updated_at) FROM articles_article WHERE status = 'new'"
        ):
            report.idle[pk] = max(report.idle.get(pk, 0.0), float(idle))
        if stored == total and report.stored_at is None:
            report.stored_at = now
        if stored >= total // 2 and report.armed_at is None:
            report.armed_at = now
            site.trap.armed.set()  # the next lead-image request waits for the kill
        if report.armed_at is not None and not report.killed:
            try:
                agent, path = site.trap.caught.get(timeout=0.2)
            except queue_module.Empty:
                if now - report.armed_at > 60:
                    report.problems.append(
                        "no worker asked for a lead image once half of the articles were stored: no kill"
                    )
                    report.killed, report.killed_at = "none", now
                    site.trap.released.set()
            else:
                report.killed, report.trapped = agent.rsplit("/", 1)[1], path
                cluster.kill(report.killed)  # SIGKILL while it waits on the image
                report.killed_at = time.monotonic()
                killed_db = db.execute("SELECT now()").fetchone()[0]
                swept_before = len(sweeps(cluster))
                site.trap.released.set()
        if killed_db is not None and snapshot is None and now >= report.killed_at + after - 1:
            snapshot = stage_rows(db, stalled(db, killed_db))
        if report.killed_at is not None and report.drained_at is None:
            # Drained: nothing queued and no stage row moved for a while.
            progress = db.execute("SELECT max(updated_at) FROM articles_pipelinestage").fetchone()[0]
            if queued.llen(QUEUE_KEY) == 0 and progress == last_progress:
                quiet_since = quiet_since or now
                if now - quiet_since >= QUIET_SECONDS:
                    report.drained_at = now
                    if len(sweeps(cluster)) == swept_before or snapshot is None:
                        report.interrupted = stage_rows(db, stalled(db, killed_db) if killed_db else [])
                    else:  # a tick's sweep came first
                        report.interrupted = snapshot
                        report.notes.append(
                            "a sweep of the worker's own took the interrupted articles before the drain"
                        )
            else:
                quiet_since, last_progress = None, progress
        if (
            report.drained_at is not None
            and report.sweep_queued_at is None
            and (counts["new"] or stored < total)  # an article stopped, or a fetch
            and now >= report.killed_at + after + 1
        ):
            # What the worker's 5-minute tick queues: the surviving worker takes the stopped articles.
            task = "from newsdesk.pipeline.tasks import resume_interrupted; resume_interrupted()"
            cluster.newsdesk("ops", "shell", "-c", task)
            report.sweep_queued_at = time.monotonic()
        if stored == total and not counts["new"] and report.drained_at is not None:
            report.settled_at = time.monotonic()
            return report
        if now > deadline:
            report.problems.append(f"not settled after {timeout:.0f} s: {dict(counts)}")
            report.settled_at = now
            return report
        time.sleep(0.5)


# Checks


def check(
    cluster: Cluster, site: FeedSite, db, load: Load, ingest: Ingest, stages: list[str]
) -> tuple[list[str], dict]:
    failures: list[str] = []
    facts: dict = {}
    served = {page.url for page in site.seed + site.pages}
    articles = db.execute("SELECT id, source_url, url, content_hash, status FROM articles_article").fetchall()
    by_source = Counter(row[1] for row in articles)
    facts["articles"] = len(articles)
    if len(articles) != len(served):
        failures.append(f"{len(articles)} articles stored for {len(served)} served pages")
    if missing := served - set(by_source):
        failures.append(f"{len(missing)} served pages never stored, e.g. {sorted(missing)[:3]}")
    for column, index in (("source URL", 1), ("canonical URL", 2), ("content hash", 3)):
        twice = [value for value, n in Counter(row[index] for row in articles).items() if n > 1]
        if twice:
            failures.append(f"{len(twice)} {column}s stored more than once, e.g. {twice[:3]}")
    statuses = Counter(row[4] for row in articles)
    facts["statuses"] = dict(statuses)
    interrupted = set(ingest.interrupted)
    facts["interrupted_status"] = {row[0]: row[4] for row in articles if row[0] in interrupted}
    # Interrupted ones too: the wish to publish is kept with the article, not only in the lost task.
    unpublished = {row[0]: row[4] for row in articles if row[4] != "published"}
    if unpublished:
        failures.append(f"{len(unpublished)} articles not published: {dict(list(unpublished.items())[:5])}")

    rows = stage_rows(db, [row[0] for row in articles])
    if ingest.trapped:
        page = site.base + ingest.trapped.replace("/img/", "/news/").replace(".jpg", ".html")
        facts["trapped_article"] = next((row[0] for row in articles if row[1] == page), None)
        if facts["trapped_article"] not in interrupted:
            failures.append(
                f"the article whose image the killed worker waited on ({page}) was not interrupted"
            )
    facts["interrupted_after"] = {pk: rows.get(pk, {}) for pk in sorted(interrupted)}
    odd = {}
    for pk, *_ in articles:
        found = rows.get(pk, {})
        if sorted(found) != sorted(stages):
            odd[pk] = found
            continue
        allowed = {1, 2} if pk in interrupted else {1}
        if any(state != "done" or attempts not in allowed for state, attempts in found.values()):
            odd[pk] = found
    if odd:
        failures.append(
            f"{len(odd)} articles whose stages are not each done once: {dict(list(odd.items())[:3])}"
        )
    twice = {
        pk: [n for n, (_, a) in found.items() if a == 2] for pk, found in rows.items() if pk in interrupted
    }
    facts["stages_run_twice"] = {pk: names for pk, names in twice.items() if names}
    if ingest.killed and ingest.killed != "none" and not interrupted:
        failures.append(
            "the killed worker left no article interrupted (the trap did not hold it mid-pipeline)"
        )

    # Comments: every acknowledged one stored as acknowledged; nothing twice.
    stored = db.execute("SELECT article_id, number, body, status FROM comments_comment").fetchall()
    by_key = {(row[0], row[1]): row[2] for row in stored}
    facts["comments_acknowledged"] = len(load.acknowledged)
    facts["comments_stored"] = len(stored)
    facts["comments_held"] = sum(1 for *_, status in load.acknowledged if status == 202)
    lost = [(a, no) for a, no, body, _ in load.acknowledged if by_key.get((a, no)) != body]
    if lost:
        failures.append(f"{len(lost)} acknowledged comments not stored as acknowledged, e.g. {lost[:3]}")
    if len(by_key) != len(stored):
        failures.append(f"{len(stored) - len(by_key)} comment numbers used twice in a thread")
    bodies = Counter(row[2] for row in stored)
    if twice_bodies := [body for body, n in bodies.items() if n > 1]:
        failures.append(f"{len(twice_bodies)} comment bodies stored twice, e.g. {twice_bodies[:2]}")
    if len(stored) != len(load.acknowledged):
        facts["comments_stored_unacknowledged"] = len(stored) - len(load.acknowledged)

    # What the stages write: counts that a stage run twice (or half) would put out of step.
    documents = db.execute("SELECT df FROM stories_termstat WHERE feature = -1").fetchone()
    signatures = db.execute("SELECT count(*) FROM stories_articlesignature").fetchone()[0]
    if (documents[0] if documents else 0) != signatures:
        failures.append(f"stories: document count {documents} for {signatures} article signatures")
    off = db.execute(
        "SELECT s.id, s.article_count, count(m.id) FROM stories_story s "
        "LEFT JOIN stories_storymembership m ON m.story_id = s.id GROUP BY s.id "
        "HAVING s.article_count <> count(m.id)"
    ).fetchall()
    if off:
        failures.append(f"{len(off)} stories whose article count differs from their articles: {off[:3]}")
    members = db.execute("SELECT count(*) FROM stories_storymembership").fetchone()[0]
    facts["stories"] = db.execute("SELECT count(*) FROM stories_story").fetchone()[0]
    if members != len(articles) or signatures != len(articles):
        failures.append(
            f"stories: {members} memberships, {signatures} signatures for {len(articles)} articles"
        )
    for table in ("entities_figure", "entities_event"):
        repeated = db.execute(
            f"SELECT count(*) FROM (SELECT article_id, position FROM {table} "
            "GROUP BY article_id, position HAVING count(*) > 1) t"
        ).fetchone()[0]
        if repeated:
            failures.append(f"{table}: {repeated} (article, position) pairs stored twice")
    bands = db.execute(
        "SELECT count(*) FROM (SELECT article_id, band FROM stories_duplicateband "
        "GROUP BY article_id, band HAVING count(*) > 1) t"
    ).fetchone()[0]
    if bands:
        failures.append(f"stories_duplicateband: {bands} (article, band) pairs stored twice")
    indexed = db.execute("SELECT count(*) FROM search_searchdocument").fetchone()[0]
    if indexed != statuses["published"]:
        failures.append(f"search: {indexed} documents for {statuses['published']} published articles")
    images = Counter(
        "stored" if stored_file else (error or "no file")
        for stored_file, error in db.execute("SELECT page_file, error FROM images_articleimage")
    )
    facts["images"] = dict(images)
    if images["stored"] != len(articles):
        failures.append(f"lead images: {dict(images)} for {len(articles)} articles")

    # The processes: readers and posters got no server error; the logs hold no traceback.
    for name in cluster.processes:
        lines = cluster.log_lines(name)
        tracebacks = sum("Traceback" in line for line in lines)
        if tracebacks:
            failures.append(f"{name}: {tracebacks} tracebacks in its log ({cluster.processes[name].log})")
    left = db.execute(
        "SELECT count(*) FROM pipeline_intakeitem WHERE status IN ('pending', 'processing')"
    ).fetchone()[0]
    if left:
        failures.append(f"{left} ingest items left unfinished")
    swept = sweeps(cluster)
    facts["sweeps"] = swept
    taken = sum(articles for articles, _ in swept)
    if ingest.interrupted and taken < len(ingest.interrupted):
        failures.append(f"the sweep resumed {taken} articles, {len(ingest.interrupted)} were interrupted")
    if taken > len(ingest.interrupted):
        failures.append(
            f"the sweep took {taken} articles for interrupted; {len(ingest.interrupted)} were "
            "(articles still waiting in the queue were taken too)"
        )
    return failures, facts


# Report


def describe(phase: Phase) -> str:
    s = phase.summary()
    return (
        f"reads {s['reads_per_s']:.1f}/s p50 {s['read_p50_ms']:.0f} ms p99 {s['read_p99_ms']:.0f} ms; "
        f"comments {s['comments_per_s']:.1f}/s p99 {s['comment_p99_ms']:.0f} ms"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=1000, help="articles ingested under load (default 1000)"
    )
    parser.add_argument(
        "--seed-articles", type=int, help="published before the load starts (default 5%%, at least 8)"
    )
    parser.add_argument(
        "--seconds", type=float, default=20, help="length of each baseline round (two: before and after)"
    )
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--posters", type=int, default=16)
    parser.add_argument(
        "--resume-after",
        type=int,
        default=300,
        help="NEWSDESK_RESUME_AFTER_SECONDS (the product's default is 1800); it must exceed the longest "
        "wait of a task in the queue, or the sweep takes waiting articles for interrupted ones",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds the ingest may take to settle")
    parser.add_argument(
        "--quick", action="store_true", help="a small smoke run: 40 articles, 4 readers, 4 posters"
    )
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="an existing database to connect to for creating and dropping the bench's own",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379",
        help=f"Redis; databases {CACHE_DB} and {QUEUE_DB} are used and flushed",
    )
    parser.add_argument("--database-name", default=DATABASE, help="the bench's own database (dropped first)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the database and the process logs")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.readers, args.posters = min(args.articles, 40), 4, 4
        args.seconds, args.resume_after, args.timeout = 4, 10, min(args.timeout, 120)
    seed_articles = args.seed_articles or max(8, args.articles // 20)
    total = seed_articles + args.articles

    cluster = Cluster(args)
    site = None
    began = time.monotonic()
    try:
        cluster.setup_stores()
        cluster.newsdesk("ops", "migrate", "-v0")
        shown = "from newsdesk.pipeline.stages import stage_names; print(*stage_names())"
        stages = cluster.newsdesk("ops", "shell", "-c", shown).splitlines()[-1].split()
        site = FeedSite(args.articles, seed_articles)
        cluster.start_all()
        print(
            f"started: web {cluster.web_ports}, 2 workers, feed server {site.base}  ({time.monotonic() - began:.0f} s)",
            flush=True,
        )

        with psycopg.connect(cluster.database_url, autocommit=True) as db:
            cluster.newsdesk("ops", "ingest", "--enqueue", "--publish", *site.feeds["seed"])
            wait_published(db, seed_articles, timeout=300)
            print(f"seed: {seed_articles} articles published  ({time.monotonic() - began:.0f} s)", flush=True)
            load = Load(cluster.web_ports, args.readers, args.posters, cluster.database_url)
            before = load.run("baseline-1", args.seconds)
            print(f"baseline, before: {describe(before)}", flush=True)

            load.start("ingest")
            ingest = run_ingest(cluster, site, db, total, args.timeout)
            during = load.finish()
            print(f"during ingest: {describe(during)}", flush=True)
            after = load.run("baseline-2", args.seconds)
            print(f"baseline, after: {describe(after)}", flush=True)
            # Not a baseline: the same readers with nobody posting, so the page cache keeps its pages.
            readers_only = None
            if not args.quick:
                alone = Load(cluster.web_ports, args.readers, 0, cluster.database_url)
                readers_only = alone.run("readers-only", args.seconds)
                print(f"readers alone: {describe(readers_only)}", flush=True)
            time.sleep(1)  # the last comments' transactions
            failures, facts = check(cluster, site, db, load, ingest, stages)
            failures = ingest.problems + failures
    finally:
        cluster.stop()
        if site is not None:
            site.stop()
        if not args.keep:
            cluster.drop()

    baseline = merged("baseline", [before, after])
    rounds = {"before": before, "after": after}
    if readers_only is not None:
        rounds["readers alone, no posters, no ingest"] = readers_only
    result = report(args, seed_articles, ingest, during, baseline, rounds, facts, failures, cluster)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    return 1 if failures else 0


def report(args, seed_articles, ingest, during, baseline, rounds, facts, failures, cluster) -> dict:
    start = ingest.started
    interrupted = len(ingest.interrupted)
    everything = ingest.settled_at - start
    rest_at = next(
        (t for t, n in ingest.published if n >= seed_articles + args.articles - interrupted), everything
    )
    d, b = during.summary(), baseline.summary()
    print()
    print(
        f"cluster: PostgreSQL, Redis (cache db {CACHE_DB}, queue db {QUEUE_DB}), 2 web processes "
        f"(newsdesk serve --workers 1 each), 2 workers (2 threads each); "
        f"NEWSDESK_RESUME_AFTER_SECONDS={args.resume_after}, comment rate limits raised, "
        f"NEWSDESK_FETCH_ALLOW_PRIVATE=true, access log off"
    )
    print(
        f"ingest: {args.articles} articles from {len(range(0, args.articles, FEED_SIZE))} feeds "
        f"(+{seed_articles} seed), {args.readers} readers, {args.posters} posters"
    )
    first = next((t for t, n in ingest.published if n > seed_articles), everything)
    print(f"  first of them published after {first:.1f} s")
    stored = (
        f"after {ingest.stored_at - start:.1f} s" if ingest.stored_at else "NEVER (see the failures below)"
    )
    print(
        f"  all {args.articles} stored {stored}; "
        f"all but the interrupted published after {rest_at:.1f} s "
        f"({(args.articles - interrupted) / rest_at:.2f} articles/s through the whole pipeline)"
    )
    if ingest.killed_at:
        print(
            f"  killed {ingest.killed} (SIGKILL) at {ingest.killed_at - start:.1f} s, waiting on {ingest.trapped} "
            f"(article {facts.get('trapped_article')}); "
            f"queue drained at {(ingest.drained_at or start) - start:.1f} s"
        )
    for pk, rows in ingest.interrupted.items():
        pending = [
            f"{name}={state}/{attempts}" for name, (state, attempts) in rows.items() if state != "done"
        ]
        after_rows = facts.get("interrupted_after", {}).get(pk, {})
        final = facts.get("interrupted_status", {}).get(pk, "?")
        print(
            f"  interrupted: article {pk}, stopped with {' '.join(pending) or 'every stage done, not settled'}; "
            f"after the sweep {final}, stages (state/attempts) "
            f"{' '.join(f'{n}={s}/{a}' for n, (s, a) in sorted(after_rows.items()))}"
        )
    if "review" in facts.get("interrupted_status", {}).values():
        print(
            "  NOTE (product bug, not fixed here): the sweep resumes an article without the ingest's "
            "--publish (it is known only to the queued task that was lost), so it waits in review"
        )
    waited = max((v for pk, v in ingest.idle.items() if pk not in ingest.interrupted), default=0.0)
    print(
        f"  longest an article went without moving before it was published (waiting in the queue): "
        f"{waited:.0f} s; NEWSDESK_RESUME_AFTER_SECONDS must exceed it ({args.resume_after} here)"
    )
    queued = (
        f"queued by the bench at {ingest.sweep_queued_at - start:.1f} s"
        if ingest.sweep_queued_at
        else "none queued by the bench"
    )
    print(f"  sweeps in the worker logs (articles, ingest items): {facts.get('sweeps')}; {queued}")
    print(
        f"  every article settled after {everything:.1f} s ({args.articles / everything:.2f} articles/s, "
        "kill, wait and sweep included)"
    )
    print()
    print("| load | reads/s | read p50 | read p99 | comments/s | comment p99 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, s in (
        ("during ingest", d),
        ("no ingest (baseline)", b),
        *(
            (f"  baseline {name}" if name in ("before", "after") else name, phase.summary())
            for name, phase in rounds.items()
        ),
    ):
        print(
            f"| {label} | {s['reads_per_s']:.1f} | {s['read_p50_ms']:.0f} ms | {s['read_p99_ms']:.0f} ms | "
            f"{s['comments_per_s']:.1f} | {s['comment_p99_ms']:.0f} ms |"
        )

    def ratios(base: dict) -> dict:
        def share(key: str) -> float:
            return d[key] / base[key] if base[key] else float("nan")

        return {key: share(key) for key in ("reads_per_s", "read_p99_ms", "comments_per_s", "comment_p99_ms")}

    # Before: the site as the ingest found it, as it stays until the ingest publishes (the last
    # stages run last for every article at once). After: the site the ingest made.
    ratio = {
        "before": ratios(rounds["before"].summary()),
        "after": ratios(rounds["after"].summary()),
        "baseline": ratios(b),
    }
    for name, values in ratio.items():
        print(
            f"ratio during ingest / {name}: reads/s {values['reads_per_s']:.2f}, read p99 {values['read_p99_ms']:.2f}, "
            f"comments/s {values['comments_per_s']:.2f}, comment p99 {values['comment_p99_ms']:.2f}"
        )
    for label, s in (("during ingest", d), ("baseline", b)):
        pages = ", ".join(
            f"{k} {v['n']} p50 {v['p50_ms']:.0f} p99 {v['p99_ms']:.0f} ms" for k, v in s["by_page"].items()
        )
        print(f"  {label}: {pages}; statuses {s['read_status']} {s['post_status']} errors {s['errors']}")
    print(
        f"checks: {facts.get('articles')} articles {facts.get('statuses')}, {facts.get('stories')} stories, "
        f"images {facts.get('images')}; comments acknowledged {facts.get('comments_acknowledged')} "
        f"(held {facts.get('comments_held')}), stored {facts.get('comments_stored')}"
    )
    for note in ingest.notes:
        print(f"note: {note}")
    for failure in failures:
        print(f"FAILED: {failure}")
    print("all checks passed" if not failures else f"{len(failures)} checks failed")
    if args.keep:
        print(f"kept: database {cluster.database}, logs in {cluster.folder}")
    return {
        "articles": args.articles,
        "seed_articles": seed_articles,
        "stored_s": ingest.stored_at - start if ingest.stored_at else None,
        "first_published_s": first,
        "longest_wait_s": waited,
        "published_but_interrupted_s": rest_at,
        "settled_s": everything,
        "killed": ingest.killed,
        "interrupted": ingest.interrupted,
        "during": d,
        "baseline": b,
        "rounds": {name: phase.summary() for name, phase in rounds.items()},
        "ratio": ratio,
        "facts": facts,
        "failures": failures,
    }


if __name__ == "__main__":
    raise SystemExit(main())
