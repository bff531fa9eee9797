"""Polling the feeds editors registered: conditional GET, then the entries not seen before.

``poll`` is what both the queue's periodic task and the admin's 「今すぐ取得」 run: it checks each
feed, records the outcome on it (time, result, entries found, new entries, error) and sends the
new entries through the one way in (``intake.ingest``, queued).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from newsdesk.ingest import fetch as fetching
from newsdesk.ingest import service
from newsdesk.pipeline import intake
from newsdesk.sources.models import Source

Result = Source.Result


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
    has yet come back. Never raises for a fetch failure: the error is recorded."""
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
    except fetching.FetchError as exc:
        source.last_result, source.last_new, source.last_error = Result.ERROR, 0, str(exc)
        source.save(update_fields=fields)
        return Check(source)
    source.last_error = ""
    if result.not_modified:
        source.last_result, source.last_new = Result.UNCHANGED, 0
        source.save(update_fields=fields)
        return Check(source)
    source.etag, source.last_modified = result.etag, result.last_modified
    urls = (service.feed_entries(result) or []) if source.is_feed else [result.url]
    new = [url for url in dict.fromkeys(urls) if not service.find_existing(url=url)]
    source.last_found, source.last_new = len(urls), len(new)
    source.last_result = Result.NEW if new else Result.NOTHING_NEW
    source.save(update_fields=fields)
    return Check(source, new)


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
