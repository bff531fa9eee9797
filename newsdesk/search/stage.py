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
from newsdesk.search.backends import get_backend
from newsdesk.search.backends.base import is_indexable

logger = logging.getLogger(__name__)


class IndexStage:
    name = "index"
    label = "検索索引"

    def run(self, article: Article) -> tuple[str, list[str]]:
        get_backend().index(article)
        return PipelineStage.State.DONE, []


def _keep_index_current(article: Article) -> bool:
    try:
        with transaction.atomic():  # a savepoint: a failure must not spoil the editor's save
            get_backend().index(article)
    except DatabaseError:
        logger.exception("could not update the search index for article %s", article.pk)
        return False
    return True


# Set on an article after each save: whether that save left it in the index.
SAVED_INDEXED = "_search_saved_indexed"


def article_saved(sender, instance: Article, created: bool = False, raw: bool = False, **kwargs) -> None:
    indexable = is_indexable(instance)
    # Nothing to remove for a row just inserted (every ingest saves one) or one this instance last
    # saved out of the index (the pipeline saves a new article several times before review).
    needed = indexable or not (created or getattr(instance, SAVED_INDEXED, True) is False)
    if needed and not _keep_index_current(instance):
        indexable = True  # failed, so unknown: the next save removes it again
    setattr(instance, SAVED_INDEXED, indexable)


def article_deleted(sender, instance: Article, **kwargs) -> None:
    try:
        with transaction.atomic():
            get_backend().delete(instance.pk)
    except DatabaseError:
        logger.exception("could not remove article %s from the search index", instance.pk)
