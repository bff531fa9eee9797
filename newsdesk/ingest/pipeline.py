"""The stages after extraction, each idempotent and callable on one article.

A stage returns the state it leaves the article in; its state and last error are kept in a
PipelineStage row so editors and `newsdesk status` see where every article stands.
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from newsdesk.articles.models import STAGES, Article, PipelineStage
from newsdesk.ingest.language import detect_language

logger = logging.getLogger(__name__)
State = PipelineStage.State


@functools.cache
def _backend(path: str):
    return import_string(path)()


def summarizer():
    return _backend(settings.NEWSDESK["SUMMARIZER"])


def detect(article: Article) -> str:
    if article.paragraphs:
        article.language = detect_language(article.original_title + "\n" + "\n".join(article.paragraphs))
    elif not article.language:
        article.language = detect_language(article.original_title)
    article.save(update_fields=["language", "updated_at"])
    return State.DONE


def translate(article: Article) -> str:
    if article.is_japanese:
        if not article.title:
            article.title = article.original_title
            article.save(update_fields=["title", "updated_at"])
        return State.DONE
    # Machine translation backends arrive with the translation issue; until then an editor's
    # translation (entered in the admin or carried by a curated page) completes this stage.
    return State.DONE if article.translation and article.title else State.WAITING


def summarize(article: Article) -> str:
    if article.summary:
        return State.DONE
    text = article.japanese_paragraphs
    if not text:
        return State.WAITING
    article.summary = summarizer().summarize(text, title=article.title)
    article.save(update_fields=["summary", "updated_at"])
    return State.DONE


STAGE_FUNCTIONS = {"language": detect, "translate": translate, "summarize": summarize}


def run_stage(article: Article, name: str) -> str:
    row, _ = PipelineStage.objects.get_or_create(article=article, name=name)
    if row.state == State.DONE or name not in STAGE_FUNCTIONS:
        return row.state
    row.attempts += 1
    try:
        with transaction.atomic():
            row.state, row.error = STAGE_FUNCTIONS[name](article), ""
    except Exception as exc:  # any stage failure is recorded so the article waits in review
        logger.exception("stage %s failed for article %s", name, article.pk)
        row.state, row.error = State.FAILED, f"{type(exc).__name__}: {exc}"
        row.save()
        if getattr(exc, "retryable", False):
            raise
        return row.state
    if row.state == State.WAITING:
        row.error = "翻訳待ち" if name == "translate" else "日本語の本文待ち"
    row.save()
    return row.state


def settle(article: Article, publish: bool = False) -> None:
    """Moves a freshly processed article to review, or publishes it when asked and nothing is missing."""
    if article.status in (Article.Status.PUBLISHED, Article.Status.REJECTED):
        return
    blocked = article.stages.exclude(state=State.DONE).exists()
    if publish and not blocked and not article.needs_translation:
        article.publish()
    else:
        article.status = Article.Status.REVIEW
    article.save(update_fields=["status", "site_published_at", "updated_at"])


def run(article: Article, publish: bool = False) -> Article:
    for name in STAGES:
        if run_stage(article, name) != State.DONE:
            break
    settle(article, publish)
    return article


def rerun(article: Article, stages: list[str] | None = None, publish: bool = False) -> Article:
    """Runs chosen stages again (all that are not done, by default), e.g. after an editor's edit."""
    rows = article.stages.all() if stages else article.stages.exclude(state=State.DONE)
    rows.filter(name__in=stages or STAGES).exclude(name="extract").update(state=State.PENDING, error="")
    return run(article, publish)
