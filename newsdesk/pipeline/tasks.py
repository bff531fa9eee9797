"""Huey tasks: fetching and each pipeline stage, so several workers share the work."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.ingest.document import IngestError
from newsdesk.pipeline import batches, intake, resume, runner
from newsdesk.pipeline.polling import poll
from newsdesk.pipeline.stages import stage_names

logger = logging.getLogger(__name__)


@db_task(retries=settings.NEWSDESK["FETCH_RETRIES"], retry_delay=5, retry_backoff=2)
def fetch_task(url: str, publish: bool = False) -> list[int]:
    """Fetches a URL (a page or a feed): a feed's entries are queued as fetches of their own, a
    page's stages as stage tasks.

    Passing network failures raise, so Huey retries them with a growing delay; anything else is
    final and logged.
    """
    try:
        results = intake.fetch_and_store(url, intake.Options(publish=publish, enqueue=True))
    except IngestError as exc:
        if getattr(exc, "retryable", False):
            raise
        logger.warning("ingest of %s failed: %s", url, exc)
        return []
    for result in results:
        if result.status == intake.Result.FAILED:
            logger.warning("ingest of %s failed: %s", result.input, result.message)
    return [result.article.pk for result in results if result.article]


@db_task()
def intake_item_task(item_id: int) -> None:
    """One input from the admin's ingest page: its result is written to its row, never raised."""
    batches.process(item_id)


@db_task()
def stage_task(article_id: int, name: str, publish: bool = False) -> None:
    """Runs stage ``name`` and, in the same task, each stage after it while they complete; each
    stage's outcome is saved as it ends, so an interrupted task leaves the rest pending for the
    resume sweep. One task per article, not per stage: a task per stage went to the back of the
    queue each time, so a feed of 1,000 entries was published all at once at the end
    (bench/cluster.py) instead of article by article."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return
    names = stage_names()
    for each in names[names.index(name) :]:
        if runner.run_stage(article, each) != PipelineStage.State.DONE:
            break
    runner.settle(article, publish)


def enqueue_stages(article: Article, publish: bool = False) -> None:
    stage_task(article.pk, stage_names()[1], publish)


@db_periodic_task(crontab(minute="*/5"))
def resume_interrupted() -> None:
    """Work a killed process left unfinished (articles with stages pending, ingest items 処理中)
    is taken over; `newsdesk worker` queues this when it starts too."""
    before = resume.cutoff()
    articles, items = resume.sweep(before), batches.requeue_interrupted(before)
    if articles or items:
        logger.warning("resumed %s interrupted article(s), requeued %s ingest item(s)", articles, items)


@db_periodic_task(crontab(minute="*/15"))
def poll_sources() -> None:
    """Feeds editors registered are polled every 15 minutes; new entries go through the one way in
    (the admin's 「今すぐ取得」 runs the same ``poll``)."""
    poll()
