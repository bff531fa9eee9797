"""Polling the feeds editors registered: conditional GET, then the entries not seen before.

``poll`` is what both the queue's periodic task and the admin's 「今すぐ取得」 run: it checks each
feed, records the outcome on it (time, result, entries found, new entries, error) and sends the
new entries through the one way in (``intake.ingest``, queued).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from newsdesk.ingest import fetch as fetching
from newsdesk.ingest import service
from newsdesk.ingest.document import IngestError
from newsdesk.ingest.feeds import FeedEntry
from newsdesk.pipeline import intake
from newsdesk.sources.models import Source

Result = Source.Result
LEFT_FOR_NEXT_POLL = "新しい記事 {new:,} 件のうち {limit:,} 件を取り込みます。残りは次の取得で取り込みます"


@dataclass
class Check:
    """One feed checked: its new entry URLs and what was recorded on it."""

    source: Source
    urls: list[str] = field(default_factory=list)
    results: list[intake.Result] = field(default_factory=list)  # of ingesting ``urls``

    @property
    def failed(self) -> bool:
        return self.source.last_result == Result.ERROR


def check(source: Source) -> Check:
    """Fetches the source (conditionally) and records the outcome on it; the entry URLs no article
    has yet come back, at most ``FEED_MAX_ENTRIES`` (the rest are noted for the next poll). Never
    raises for a feed that cannot be fetched or read: the error is recorded."""
    source.last_polled_at = timezone.now()
    fields = [
        "last_polled_at",
        "last_result",
        "last_found",
        "last_new",
        "last_error",
        "etag",
        "last_modified",
    ]
    try:
        result = fetching.fetch(
            source.url, service.fetch_policy(), etag=source.etag, last_modified=source.last_modified
        )
        entries = _entries(result) if source.is_feed and not result.not_modified else []
    except IngestError as exc:  # not fetched, or not a feed one can read
        source.last_result, source.last_new, source.last_error = Result.ERROR, 0, str(exc)
        source.save(update_fields=fields)
        return Check(source)
    source.last_error = ""
    if result.not_modified:
        source.last_result, source.last_new = Result.UNCHANGED, 0
        source.save(update_fields=fields)
        return Check(source)
    source.etag, source.last_modified = result.etag, result.last_modified
    # Only links that are URLs: ``intake.ingest`` takes any other text for a path on this machine.
    urls = [entry.url for entry in entries if intake.is_url(entry.url)] if source.is_feed else [result.url]
    new = [url for url in dict.fromkeys(urls) if not service.find_existing(url=url)]
    limit = settings.NEWSDESK["FEED_MAX_ENTRIES"]
    if len(new) > limit:
        # Without the validators the next poll reads the feed whole again and takes the next ones.
        source.etag = source.last_modified = ""
        source.last_error = LEFT_FOR_NEXT_POLL.format(new=len(new), limit=limit)
        new = new[:limit]
    source.last_found, source.last_new = len(urls), len(new)
    source.last_result = Result.NEW if new else Result.NOTHING_NEW
    source.save(update_fields=fields)
    return Check(source, new)


def _entries(result: fetching.FetchResult) -> list[FeedEntry]:
    entries = service.feed_entries(result)
    if entries is None:
        raise IngestError("フィードではありません（RSS/Atom ではないページです）")
    return entries


def new_entries(source: Source) -> list[str]:
    """Entry URLs of the source's feed that no article has yet; records the poll on the source."""
    return check(source).urls


def poll_due_urls() -> list[str]:
    return [url for source in Source.objects.filter(active=True) for url in new_entries(source)]


def poll(sources: Iterable[Source] | None = None) -> list[Check]:
    """Checks ``sources`` (every active one by default) and queues their new entries."""
    checks = []
    for source in Source.objects.filter(active=True) if sources is None else sources:
        done = check(source)
        for url in done.urls:
            done.results += intake.ingest(url, intake.Options(enqueue=True))
        checks.append(done)
    return checks
