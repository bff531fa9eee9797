"""Polling the feeds editors registered: conditional GET, then the entries not seen before."""

from __future__ import annotations

from django.utils import timezone

from newsdesk.ingest import fetch as fetching
from newsdesk.ingest import service
from newsdesk.sources.models import Source


def new_entries(source: Source) -> list[str]:
    """Entry URLs of the source's feed that no article has yet; records the poll on the source."""
    source.last_polled_at = timezone.now()
    try:
        result = fetching.fetch(
            source.url, service.fetch_policy(), etag=source.etag, last_modified=source.last_modified
        )
    except fetching.FetchError as exc:
        source.last_error = str(exc)
        source.save(update_fields=["last_polled_at", "last_error"])
        return []
    source.last_error = ""
    if not result.not_modified:
        source.etag, source.last_modified = result.etag, result.last_modified
    source.save(update_fields=["last_polled_at", "last_error", "etag", "last_modified"])
    if result.not_modified:
        return []
    urls = service.feed_entries(result) if source.is_feed else [result.url]
    return [url for url in urls or [] if not service.find_existing(url=url)]


def poll_due_urls() -> list[str]:
    return [url for source in Source.objects.filter(active=True) for url in new_entries(source)]
