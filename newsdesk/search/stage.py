"""The pipeline's "index" stage, and the signals that keep the index current on every save.

``run(article)`` indexes a published article and removes any other (review, rejected) from the
index; it is idempotent. The pipeline runs it before it publishes, so the ``post_save`` signal on
Article does the indexing when the article is then saved published (by the pipeline or an editor
in the admin) and removes it when it is unpublished; ``pre_delete`` removes deleted articles (before the
cascade takes their search document, whose key finds the full-text rows).
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction

from newsdesk.articles.models import Article, PipelineStage

logger = logging.getLogger(__name__)


def run(article: Article) -> tuple[str, list[str]]:
    from newsdesk.search.backends import get_backend

    get_backend().index(article)
    return PipelineStage.State.DONE, []


def _keep_index_current(article: Article) -> None:
    from newsdesk.search.backends import get_backend

    try:
        with transaction.atomic():  # a savepoint: a failure must not spoil the editor's save
            get_backend().index(article)
    except DatabaseError:
        logger.exception("could not update the search index for article %s", article.pk)


def article_saved(sender, instance: Article, created: bool = False, raw: bool = False, **kwargs) -> None:
    from newsdesk.search.backends.base import is_indexable

    if created and not is_indexable(instance):
        return  # a row just inserted has nothing in the index to remove: every ingest saves one
    _keep_index_current(instance)


def article_deleted(sender, instance: Article, **kwargs) -> None:
    from newsdesk.search.backends import get_backend

    try:
        with transaction.atomic():
            get_backend().delete(instance.pk)
    except DatabaseError:
        logger.exception("could not remove article %s from the search index", instance.pk)
