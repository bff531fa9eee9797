"""Huey tasks of the reader site: page-view counts move from the cache to the database."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from newsdesk.site import pageviews


@db_periodic_task(crontab(minute=f"*/{settings.NEWSDESK['VIEW_FLUSH_MINUTES']}"))
def flush_views() -> None:
    """Every few minutes: 特に人気 sees views at most this late, and a lost cache loses no more."""
    pageviews.flush()
