"""Huey tasks: fetching and each pipeline stage, so several workers share the work."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from newsdesk.articles.models import STAGES, Article, PipelineStage
from newsdesk.ingest import pipeline, service
from newsdesk.ingest.document import IngestError
from newsdesk.sources.polling import poll_due_urls

logger = logging.getLogger(__name__)


def _retries() -> int:
    return settings.NEWSDESK["FETCH_RETRIES"]


@db_task(retries=_retries(), retry_delay=5, retry_backoff=2)
def fetch_task(url: str, publish: bool = False) -> list[int]:
    """Fetches a URL (a page or a feed) and queues the stages of what it stored.

    Passing network failures raise, so Huey retries them with a growing delay; anything else is
    final and logged.
    """
    try:
        result = service.fetch_url(url)
        entries = service.feed_entries(result)
        if entries is not None:
            for entry in entries:
                if not service.find_existing(url=entry):
                    fetch_task(entry, publish)
            return []
        stored = service.ingest_fetched(result, url)
    except IngestError as exc:
        if getattr(exc, "retryable", False):
            raise
        logger.warning("ingest of %s failed: %s", url, exc)
        return []
    if stored.created:
        stage_task(stored.article.pk, STAGES[1], publish)
    return [stored.article.pk]


@db_task()
def stage_task(article_id: int, name: str, publish: bool = False) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return
    state = pipeline.run_stage(article, name)
    position = STAGES.index(name)
    if state == PipelineStage.State.DONE and position + 1 < len(STAGES):
        stage_task(article_id, STAGES[position + 1], publish)
    else:
        pipeline.settle(article, publish)


def enqueue_stages(article: Article, publish: bool = False) -> None:
    stage_task(article.pk, STAGES[1], publish)


@db_periodic_task(crontab(minute="*/15"))
def poll_sources() -> None:
    """Feeds editors registered are polled every 15 minutes; new entries are fetched as URLs."""
    for url in poll_due_urls():
        fetch_task(url)
