"""Huey task: after an editor changes a tag's keywords or entities, recent articles are tagged again."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from huey.contrib.djhuey import db_task

from newsdesk.articles.models import Article
from newsdesk.tags import service
from newsdesk.tags.models import Tag

# Bounded so that a keyword edit costs seconds, not a pass over the whole archive; older articles
# are tagged again with `newsdesk rerun --all --stage tags`.
RETAG_DAYS = 90


def recent_articles():
    since = timezone.now() - dt.timedelta(days=RETAG_DAYS)
    return (
        Article.objects.exclude(status=Article.Status.REJECTED)
        .filter(Q(site_published_at__gte=since) | Q(created_at__gte=since))
        .order_by("pk")
    )


@db_task()
def retag_recent(tag_id: int) -> int:
    """Tags the articles of the last ``RETAG_DAYS`` days again for this one tag."""
    return service.retag(recent_articles(), Tag.objects.filter(pk=tag_id))
