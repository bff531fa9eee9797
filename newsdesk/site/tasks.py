"""Huey tasks of the reader site: page-view counts move from the cache to the database, and the
rankings that read them are recomputed."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from newsdesk.site import pageviews, rankings


@db_periodic_task(crontab(minute=f"*/{settings.NEWSDESK['VIEW_FLUSH_MINUTES']}"))
def flush_views() -> None:
    """Every few minutes: 特に人気 sees views at most this late, and a lost cache loses no more.
    The rankings are recomputed here rather than by a page that finds them expired: cached pages
    are rendered only when something changed, so the refresh is what changes them."""
    pageviews.flush()
    rankings.refresh()
