"""Taking over work a killed process left unfinished, each piece by one taker only.

An ingest or a worker killed mid-pipeline leaves its article ``new`` with stages pending.
``sweep`` (the worker's ``resume_interrupted`` task, beside the requeueing of admin ingest items
left 処理中) finds such articles that have not moved for ``RESUME_AFTER_SECONDS`` and resumes them. An
article is ``new`` until the pipeline settles it (to review or published), and every stage's
outcome is saved with the article, so its ``updated_at`` is the time of its last progress.

Taking is an UPDATE that matches the ``updated_at`` the taker read: of two sweeps (two workers, or
a sweep and a second ``newsdesk ingest``) that saw the same stopped article, one takes it, and the
other's UPDATE matches nothing. The taker queues the first stage still pending; the stage chain
runs each later stage once and settles the article. A second ingest of the same input finishes at
once an article nothing has touched since it was stored (``untouched``: its ingest was killed);
one that a worker or a resumer touched is left to them, or to the sweep once it stops moving.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.pipeline import runner
from newsdesk.pipeline.stages import EXTRACT, stage_names

State = PipelineStage.State

RESUMED = "途中で止まっていた処理を再開し、終えました"
RESUMED_QUEUED = "途中で止まっていた処理の続きをキューに入れました"
IN_PROGRESS = "処理の途中です（止まったままなら、ワーカーが続きを処理します）"
STORED_WITHIN = timedelta(seconds=1)  # between an article's creation and its first save


def _after() -> timedelta:
    return timedelta(seconds=settings.NEWSDESK["RESUME_AFTER_SECONDS"])


def cutoff() -> datetime:
    """Work that has not moved since this time is taken as interrupted."""
    return timezone.now() - _after()


def unfinished(article: Article) -> bool:
    """Whether the pipeline has yet to settle the article (a stage to run, or the move to review)."""
    return article.status == Article.Status.NEW


def untouched(article: Article) -> bool:
    """Whether nothing happened to the article since it was stored: an ingest that runs the stages
    itself writes them once, at the end, so a killed one leaves its article so. A queued stage
    that finished leaves its row done, and a taker (``claim``) comes ``RESUME_AFTER_SECONDS`` or
    more after the last change, so saves the article later than the margin after its creation."""
    if article.updated_at - article.created_at >= min(STORED_WITHIN, _after()):
        return False
    progressed = article.stages.exclude(name=EXTRACT).exclude(state=State.PENDING, attempts=0)
    return not progressed.exists()


def claim(article: Article, before: datetime | None = None) -> bool:
    """Takes the article for one resumer: True unless it moved since it was read (or, with
    ``before``, since that time)."""
    if before is not None and article.updated_at >= before:
        return False
    now = timezone.now()
    taken = Article.objects.filter(pk=article.pk, status=Article.Status.NEW, updated_at=article.updated_at)
    if not taken.update(updated_at=now):
        return False
    article.updated_at = now
    return True


def continue_stages(article: Article, publish: bool = False) -> None:
    """Queues the article's first stage still pending (the chain runs the rest), or settles it when
    the stage it stopped at had already failed or waits for an editor."""
    # Imported here: the task module imports this one, to run ``sweep`` in the worker.
    from newsdesk.pipeline.tasks import stage_task

    states = dict(article.stages.values_list("name", "state"))
    first = next((name for name in stage_names() if states.get(name, State.PENDING) != State.DONE), None)
    if first is not None and states.get(first, State.PENDING) == State.PENDING:
        stage_task(article.pk, first, publish)
    else:
        runner.settle(article, publish)


def sweep(before: datetime) -> int:
    """Resumes the articles whose pipeline stopped before ``before``; returns how many."""
    stopped = Article.objects.filter(status=Article.Status.NEW, updated_at__lt=before).order_by("pk")
    resumed = 0
    for article in stopped:
        if claim(article, before):
            continue_stages(article)
            resumed += 1
    return resumed
