"""The two statements every comment post runs, written as SQL.

Posting is the one write readers make at scale (docs/benchmarks.md, "Comments under load").
Through the ORM a post took seven queries whose building cost about 8 ms of CPU against well under
1 ms of database work; here it is one read that answers every check and one short transaction that
numbers and stores the comment. Column values still go through each field's
``get_db_prep_save``, so SQLite and PostgreSQL get what the ORM would send them. RETURNING needs
SQLite 3.35 or later (Python 3.11 on Debian 12 has 3.40).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.db import connection, models, transaction
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.comments.models import Ban, Comment, Thread

__all__ = ["PostContext", "insert_numbered", "post_context"]


# A repeat is looked for among the poster's latest posts in the window, so the check costs the
# same however long the window or however many posts rate limits raised by hand let through.
DUPLICATE_LOOKBACK = 50


@dataclass(frozen=True)
class PostContext:
    """What a new post must be checked against, read in one query."""

    has_thread: bool
    locked: bool
    hold_all: bool
    banned: bool
    duplicate: bool


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _datetime(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


@cache
def _context_sql(vendor: str) -> str:
    # The WHERE clause is ArticleQuerySet.published(): published status, publication time reached.
    return f"""
        SELECT thread.article_id IS NOT NULL, COALESCE(thread.locked, FALSE),
               COALESCE(thread.hold_all, FALSE),
               EXISTS (SELECT 1 FROM {_table(Ban)} WHERE source_hash = %s AND until > %s),
               EXISTS (SELECT 1 FROM (SELECT body FROM {_table(Comment)}
                                      WHERE source_hash = %s AND created_at >= %s
                                      ORDER BY created_at DESC LIMIT {DUPLICATE_LOOKBACK}) recent
                       WHERE recent.body = %s)
        FROM {_table(Article)} article
        LEFT JOIN {_table(Thread)} thread ON thread.article_id = article.id
        WHERE article.id = %s AND article.status = %s AND article.site_published_at <= %s
    """


def post_context(
    article_id: int, source: str, body: str, now: dt.datetime, duplicate_since: dt.datetime
) -> PostContext | None:
    """The thread's state and the poster's standing at ``now``, or None when the article is not
    published (yet: publication is checked against the clock, whatever ``now`` says)."""
    low, high = connection.ops.integer_field_range(Article._meta.pk.get_internal_type())
    if not (low or 0) <= article_id <= (high or article_id):
        return None  # no row can have it, and the driver would refuse the number
    with connection.cursor() as cursor:
        cursor.execute(
            _context_sql(connection.vendor),
            [
                source,
                _datetime(now),
                source,
                _datetime(duplicate_since),
                body,
                article_id,
                Article.Status.PUBLISHED,
                _datetime(timezone.now()),
            ],
        )
        row = cursor.fetchone()
    return None if row is None else PostContext(*(bool(value) for value in row))


_THREAD_TURNS = threading.Lock()


@contextmanager
def _one_writer():
    """On SQLite, one comment write at a time across every process of this database.

    SQLite lets one transaction write at a time; a second writer is told "busy" and sleeps in the
    busy handler (1, 2, 5, 10 ... ms) before trying again, which on a busy thread cost more than
    the writes. Waiting on a lock file instead wakes the next writer as soon as the first is done.
    """
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        yield
        return
    lock = _lock_file(str(connection.settings_dict["NAME"]))
    # flock belongs to the open file, which this process's threads share: they take turns first.
    with _THREAD_TURNS:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@cache
def _lock_file(database: str):
    return open(f"{database}-comments.lock", "a")  # noqa: SIM115 (held for the process's life)


# Values of these field types go to the driver as they are; the others (dates, JSON) are adapted
# by their field, as the ORM would. Preparing every field costs more than the insert itself.
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.FloatField, models.ForeignKey)


@cache
def _insert_statements(vendor: str) -> tuple[list, str, str]:
    fields = [field for field in Comment._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    bump = (
        f"UPDATE {_table(Thread)} SET last_number = last_number + 1, version = version + 1 "
        "WHERE article_id = %s RETURNING last_number"
    )
    insert = f"INSERT INTO {_table(Comment)} ({columns}) VALUES ({placeholders}) RETURNING id"
    return [(field, isinstance(field, PLAIN_FIELDS)) for field in fields], bump, insert


def insert_numbered(comment: Comment, replies: list[int]) -> Comment:
    """Give ``comment`` the thread's next number and store it, in one short write transaction.

    The UPDATE takes the thread row's lock (PostgreSQL; SQLite's write lock is taken at BEGIN
    IMMEDIATE) until commit, so numbers are handed out one at a time: no gaps, no duplicates. The
    thread's version moves in the same statement, so every cached page of it goes stale at once.
    ``replies`` keeps only anchors to earlier posts. Raises IntegrityError when the number is taken
    (comments written around this module), Thread.DoesNotExist when the thread row is gone.
    """
    fields, bump, insert = _insert_statements(connection.vendor)
    with _one_writer(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(bump, [comment.article_id])
        if (row := cursor.fetchone()) is None:
            raise Thread.DoesNotExist(f"article {comment.article_id} has no thread (deleted meanwhile?)")
        comment.number = row[0]
        comment.replies_to = [reply for reply in replies if reply < comment.number]
        values = [getattr(comment, field.attname) for field, _ in fields]
        cursor.execute(
            insert,
            [
                value if plain else field.get_db_prep_save(value, connection)
                for (field, plain), value in zip(fields, values, strict=True)
            ],
        )
        comment.pk = cursor.fetchone()[0]
    comment._state.adding = False
    comment._state.db = "default"
    return comment
