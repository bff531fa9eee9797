"""Background upkeep of the search index."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from newsdesk.search import tokens
from newsdesk.search.backends import get_backend


@db_periodic_task(crontab(minute="*/5"))
def refresh_entity_tokens() -> None:
    """An entity whose names an editor changed gets tokens for its new names (searches use its old
    names' OR meanwhile): see ``newsdesk.search.tokens``."""
    backend = get_backend()
    if backend.entity_tokens:
        tokens.refresh_stale(backend)
