"""System check: pg_trgm finds no trigrams in Japanese on a database whose LC_CTYPE is C.

pg_trgm keeps only the characters that the database's character classification calls letters or
digits. Under LC_CTYPE ``C`` (or ``POSIX``) no Japanese character is one, so every Japanese
document has no trigrams and nothing is found. ``C.UTF-8`` (glibc) classifies them and works.
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

SAMPLE = "金正恩"
HINT = (
    "Create the database with a UTF-8 character type, e.g. "
    "CREATE DATABASE newsdesk TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' "
    "(or ja_JP.UTF-8 / en_US.UTF-8), then migrate and run `newsdesk reindex`."
)


def ctype_problem(connection) -> str | None:
    """Why pg_trgm cannot index Japanese on this PostgreSQL connection, or None when it can."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lc_ctype')")
        ctype = cursor.fetchone()[0]
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            cursor.execute("SELECT cardinality(show_trgm(%s))", [SAMPLE])
            if cursor.fetchone()[0] == 0:
                return f"pg_trgm finds no trigrams in Japanese text: the database's LC_CTYPE is {ctype!r}."
            return None
    if ctype.upper() in {"C", "POSIX"}:
        return f"The database's LC_CTYPE is {ctype!r}: pg_trgm would find no trigrams in Japanese text."
    return None


@register(Tags.database)
def check_trigram_ctype(app_configs=None, databases=None, **kwargs):
    messages = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        try:
            problem = ctype_problem(connection)
        except DatabaseError:
            continue  # no database to ask (yet): other checks report that
        if problem:
            messages.append(
                Warning(f"Japanese search will find nothing. {problem}", hint=HINT, id="newsdesk.search.W001")
            )
    return messages
