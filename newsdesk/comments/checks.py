"""Start-up checks for what comment posting needs of the database."""

import sqlite3

from django.conf import settings
from django.core import checks

# store.py numbers and stores a comment with UPDATE/INSERT ... RETURNING.
SQLITE_RETURNING = (3, 35, 0)


@checks.register(checks.Tags.database)
def sqlite_has_returning(app_configs=None, **kwargs):
    uses_sqlite = any(db["ENGINE"] == "django.db.backends.sqlite3" for db in settings.DATABASES.values())
    if uses_sqlite and sqlite3.sqlite_version_info < SQLITE_RETURNING:
        return [
            checks.Error(
                f"SQLite {sqlite3.sqlite_version} cannot post comments: RETURNING needs 3.35 or later.",
                hint="Use a Python built with a newer SQLite, or PostgreSQL (NEWSDESK_DATABASE_URL).",
                id="newsdesk.E001",
            )
        ]
    return []
