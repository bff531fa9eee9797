"""Running the stages after extraction on one article, each idempotent.

A stage returns the state it leaves the article in; its state and last error are kept in a
PipelineStage row so editors and `newsdesk status` see where every article stands.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.pipeline import stages as configured

logger = logging.getLogger(__name__)
State = PipelineStage.State


def _apply(article: Article, row: PipelineStage, changed: set[str]) -> bool:
    """Runs one stage in memory; True when the row changed. Retryable failures propagate."""
    if row.name == configured.EXTRACT and row.state != State.DONE:
        # An article exists only once its input was extracted: a row left pending (an article
        # typed into the admin's old add form) must not hold every later stage back for good.
        row.state, row.error = State.DONE, ""
        return True
    if row.state == State.DONE or row.name not in configured.stages():
        return False
    row.attempts += 1
    try:
        row.state, fields = configured.stage(row.name).run(article)
    except Exception as exc:  # any stage failure is recorded so the article waits in review
        logger.exception("stage %s failed for article %s", row.name, article.pk)
        row.state, row.error = State.FAILED, f"{type(exc).__name__}: {exc}"
        if getattr(exc, "retryable", False):
            raise
        return True
    changed.update(fields)
    row.error = configured.waiting_message(row.name) if row.state == State.WAITING else ""
    return True


def _settle_status(article: Article, publish: bool, rows) -> None:
    if article.status in (Article.Status.PUBLISHED, Article.Status.REJECTED):
        return
    # The wish stored at ingest counts once: at the first settling, which a resumed pipeline
    # reaches too. An article an editor then holds in review is never published by a rerun.
    publish = publish or article.publish_when_ready
    article.publish_when_ready = False
    blocked = any(row.state != State.DONE for row in rows)
    if publish and not blocked and not article.needs_translation:
        article.publish()
    else:
        article.status = Article.Status.REVIEW


def _save(article: Article, rows: list[PipelineStage], changed: set[str]) -> None:
    now = timezone.now()
    # Rows left alike (most often every stage done at its first attempt) in one UPDATE each,
    # not one per stage: a page's ingest wrote seven.
    alike: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for row in rows:
        row.updated_at = now
        alike[(row.state, row.error, row.attempts)].append(row.pk)
    with transaction.atomic():
        article.save(
            update_fields=[*changed, "status", "site_published_at", "publish_when_ready", "updated_at"]
        )
        for (state, error, attempts), pks in alike.items():
            PipelineStage.objects.filter(pk__in=pks).update(
                state=state, error=error, attempts=attempts, updated_at=now
            )


def _rows(article: Article, known: list[PipelineStage] | None = None) -> dict[str, PipelineStage]:
    rows = {row.name: row for row in (known if known is not None else article.stages.all())}
    for name in configured.stage_names():
        if name not in rows:  # articles stored before a stage was added to the pipeline
            done = {"state": State.DONE} if name == configured.EXTRACT else {}
            rows[name], _ = PipelineStage.objects.get_or_create(article=article, name=name, defaults=done)
    return rows


def run_stage(article: Article, name: str) -> str:
    """Runs one stage and stores its outcome (the queue runs stages one task at a time)."""
    row = _rows(article)[name]
    changed: set[str] = set()
    try:
        if _apply(article, row, changed):
            _save(article, [row], changed)
    except Exception:
        _save(article, [row], changed)
        raise
    return row.state


def settle(article: Article, publish: bool = False) -> None:
    """Moves a processed article to review, or publishes it when asked and nothing is missing."""
    _settle_status(article, publish, article.stages.all())
    _save(article, [], set())


def run(article: Article, publish: bool = False, made: list[PipelineStage] | None = None) -> Article:
    """Runs the stages still to do, in order, and stores the article and its stages in one write.
    ``made``: the article's stage rows when the caller has just made them (not read again)."""
    rows = _rows(article, made)
    changed: set[str] = set()
    ran: list[PipelineStage] = []
    try:
        for name in configured.stage_names():
            if rows[name].state != State.DONE:
                ran.append(rows[name])  # before running it, so a failure that raises is stored too
            _apply(article, rows[name], changed)
            if rows[name].state != State.DONE:
                break
        _settle_status(article, publish, rows.values())
    finally:
        _save(article, ran, changed)
    return article


def rerun(article: Article, stages: list[str] | None = None, publish: bool = False) -> Article:
    """Runs chosen stages again (all that are not done, by default), e.g. after an editor's edit."""
    rows = article.stages.all() if stages else article.stages.exclude(state=State.DONE)
    rows.filter(name__in=stages or configured.stage_names()).exclude(name=configured.EXTRACT).update(
        state=State.PENDING, error=""
    )
    return run(article, publish)
