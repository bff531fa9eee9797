"""The one way in: every input, from the command line, the admin, the feed poller or the queue.

``ingest(item)`` takes a URL (a page or a feed), a file or folder path, pasted text or uploaded
bytes, with its options (the original URL of a single saved page or pasted text, publish when
ready, enqueue), and returns one ``Result`` per article: created, existing, queued, or failed with
its message in Japanese. A feed gives one result per entry (at most ``FEED_MAX_ENTRIES``, those
left over reported as a failure) and a folder one per file; one bad entry or file fails alone, the
others go on. An article stored before whose pipeline an interrupted ingest left unfinished is
finished now (``existing``, ``resumed``).

With ``enqueue`` a URL is fetched by a worker (``queued``), and the stages of what is stored now
run on the queue; without it everything runs here, before ``ingest`` returns. ``queue_url`` and
``queue_entry`` hand URLs to a queue that keeps each in a row first (newsdesk/pipeline/batches.py):
a worker killed mid-fetch then leaves the URL for the sweep, where a bare queued task is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from newsdesk.articles.models import Article
from newsdesk.ingest import service
from newsdesk.ingest.document import IngestError
from newsdesk.ingest.feeds import FeedEntry
from newsdesk.ingest.models import RawInput
from newsdesk.pipeline import resume, runner
from newsdesk.pipeline.stages import stage_names

INPUT_SUFFIXES = {".html", ".htm", ".txt"}
EMPTY_FEED = "フィードに記事が見つかりませんでした"
NO_LINK = "フィードの記事に http/https のリンクがないため取り込めません"
TOO_MANY = (
    "フィードの記事が多すぎます: {total:,} 件のうち最初の {limit:,} 件だけを取り込み、"
    "残り {left:,} 件は取り込んでいません（上限 NEWSDESK_FEED_MAX_ENTRIES）"
)
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True)
class Pasted:
    """Text copied from a browser page, chrome and all."""

    text: str
    label: str = "貼り付けたテキスト"


@dataclass(frozen=True)
class Upload:
    """A saved page sent from the browser: its file name and bytes."""

    name: str
    data: bytes


Input = str | Path | Pasted | Upload


@dataclass(frozen=True)
class Options:
    url: str = ""  # the original address of a single saved page or pasted text
    publish: bool = False  # publish as soon as nothing needs an editor
    enqueue: bool = False
    # With enqueue, how a URL is queued (None: a bare fetch task).
    queue_url: Callable[[str], None] | None = None
    # How a feed's entries not stored yet are queued, each for a worker of its own (None: taken here,
    # or, with enqueue, queued as any URL).
    queue_entry: Callable[[str], None] | None = None


@dataclass
class Result:
    input: str
    status: str  # created | existing | queued | failed
    article: Article | None = None
    message: str = ""
    resumed: bool = False  # an existing article whose interrupted pipeline this ingest took over

    CREATED = "created"
    EXISTING = "existing"
    QUEUED = "queued"
    FAILED = "failed"


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def expand(item: Input) -> Sequence[Input]:
    """A folder becomes the article files inside it (recursively); anything else stays as it is."""
    if isinstance(item, (str, Path)) and not is_url(str(item)) and Path(item).is_dir():
        # Not only regular files: a device or a FIFO named like a page fails on its own line.
        return sorted(
            p for p in Path(item).rglob("*") if p.suffix.lower() in INPUT_SUFFIXES and not p.is_dir()
        )
    return [item]


def label(item: Input) -> str:
    if isinstance(item, Pasted):
        return item.label
    if isinstance(item, Upload):
        return item.name
    return str(item)


def ingest(item: Input, options: Options = Options()) -> list[Result]:
    """One result per article that ``item`` holds; never raises for a bad input."""
    results: list[Result] = []
    for one in expand(item):
        try:
            results += _ingest_one(one, options)
        except IngestError as exc:
            results.append(Result(label(one), Result.FAILED, message=str(exc)))
    return results


def _ingest_one(item: Input, options: Options) -> list[Result]:
    if isinstance(item, str) and is_url(item):
        if existing := service.find_existing(url=item):
            return [_existing(existing, item, options)]
        if options.enqueue:
            if options.queue_url is not None:
                options.queue_url(item)
            else:
                # Imported here: the task module imports this one, to run the fetch in the worker.
                from newsdesk.pipeline.tasks import fetch_task

                fetch_task(item, options.publish)
            return [Result(item, Result.QUEUED)]
        return fetch_and_store(item, options)
    if isinstance(item, Pasted):
        if not item.text.strip():
            raise IngestError("貼り付けたテキストが空です")
        data, kind, location = item.text.encode(), RawInput.Kind.TEXT, item.label
    elif isinstance(item, Upload):
        data, kind, location = item.data, RawInput.Kind.FILE, item.name
    else:
        data, kind, location = service.read_file(Path(item)), RawInput.Kind.FILE, str(item)
    stored = service.ingest_bytes(
        data, kind=kind, location=location, url=options.url, stages=stage_names(), publish=options.publish
    )
    return [_finish(stored, label(item), options)]


def fetch_and_store(url: str, options: Options) -> list[Result]:
    """Fetches ``url`` now: a feed's entries go through ``ingest`` one by one, a page is stored.
    Fetch failures raise (the queue retries the passing ones)."""
    fetched = service.fetch_url(url)
    entries = service.feed_entries(fetched)
    if entries is not None:
        return _feed(url, entries, options)
    stored = service.ingest_bytes(
        fetched.content,
        kind=RawInput.Kind.URL,
        location=url,
        url=fetched.url,
        charset=fetched.charset,
        stages=stage_names(),
        publish=options.publish,
    )
    return [_finish(stored, url, options)]


def _feed(url: str, entries: list[FeedEntry], options: Options) -> list[Result]:
    """The first ``FEED_MAX_ENTRIES`` entries through ``ingest``. An empty feed, an entry without a
    link and the entries left over are failures: nothing a feed holds is dropped unsaid."""
    if not entries:
        return [Result(url, Result.FAILED, message=EMPTY_FEED)]
    limit = settings.NEWSDESK["FEED_MAX_ENTRIES"]
    results: list[Result] = []
    for entry in entries[:limit]:
        if options.queue_entry is not None and is_url(entry.url) and not service.find_existing(url=entry.url):
            options.queue_entry(entry.url)
            results.append(Result(entry.url, Result.QUEUED))
        elif is_url(entry.url):
            results += ingest(entry.url, options)
        else:  # no link, or one like javascript:, which ``ingest`` would take for a path here
            label = entry.url or f"{url}（{entry.title or '無題'}）"
            results.append(Result(label, Result.FAILED, message=NO_LINK))
    if len(entries) > limit:
        left = len(entries) - limit
        results.append(
            Result(url, Result.FAILED, message=TOO_MANY.format(total=len(entries), limit=limit, left=left))
        )
    return results


def _existing(article: Article, item: str, options: Options) -> Result:
    """An article stored before: its pipeline finished here when an interrupted ingest left it
    unfinished (``resume``), else as it is."""
    if not resume.unfinished(article):
        return Result(item, Result.EXISTING, article)
    if options.enqueue:
        # Queued work may still be on its way: only work that has stopped is taken over.
        if not resume.claim(article, resume.cutoff()):
            return Result(item, Result.EXISTING, article, message=resume.IN_PROGRESS)
        resume.continue_stages(article, options.publish)
        return Result(item, Result.EXISTING, article, message=resume.RESUMED_QUEUED, resumed=True)
    # Asked for now: finished here, unless a worker or a resumer is at it and has not stopped.
    if not resume.claim(article, None if resume.untouched(article) else resume.cutoff()):
        return Result(item, Result.EXISTING, article, message=resume.IN_PROGRESS)
    runner.run(article, options.publish)
    return Result(item, Result.EXISTING, article, message=resume.RESUMED, resumed=True)


def _finish(stored: service.Stored, item: str, options: Options) -> Result:
    if not stored.created:
        return _existing(stored.article, item, options)
    if options.enqueue:
        from newsdesk.pipeline.tasks import enqueue_stages

        enqueue_stages(stored.article, options.publish)
    else:
        runner.run(stored.article, options.publish, stored.stages)
    return Result(item, Result.CREATED, stored.article)
