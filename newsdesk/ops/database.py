"""The site's database as a command finds it: set up, behind on migrations, or unreachable.

``newsdesk.cli`` asks :func:`ensure_ready` before running a command that reads or writes the site
(the list, with the reason for each, is ``newsdesk.cli.SITE_COMMANDS``). On SQLite, the default, the
database is a file of this user's own: its first command sets it up (and a command after an upgrade
brings it up to date), so a new user's first ``newsdesk ingest`` or ``newsdesk status`` simply
works. On PostgreSQL the command stops and names ``newsdesk migrate`` instead: a shared database
changes its schema when its operator decides (after a backup, with the servers at the new
version), not as a side effect of whichever command happens to run first.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

MIGRATE = "newsdesk migrate"


class NotReady(Exception):
    """The database cannot be used as it is; the message says what to do (no traceback needed)."""


def not_ready_message(count: int) -> str:
    return (
        f"データベースの準備ができていません（未適用のマイグレーションが {count} 件あります）。"
        f"先に `{MIGRATE}` を実行してください。"
    )


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database still lacks (all of them when it was never set up).
    Reads only: a missing migrations table counts as nothing applied."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def ensure_ready(alias: str = DEFAULT_DB_ALIAS) -> str:
    """Make sure the database has every migration before a command uses it.

    SQLite: applies what is missing (one process at a time) and returns a line for the operator
    saying so, or "" when nothing was missing. Other databases: raises NotReady naming
    ``newsdesk migrate``. An unreachable database raises NotReady with the reason.
    """
    from django.db import OperationalError

    connection = connections[alias]
    try:
        count = pending_migrations(alias)
    except OperationalError as exc:
        raise NotReady(f"データベースに接続できません（NEWSDESK_DATABASE_URL）: {exc}") from exc
    if not count:
        return ""
    if connection.vendor != "sqlite":
        raise NotReady(not_ready_message(count))
    where = connection.settings_dict["NAME"]
    with _sqlite_lock(where):
        count = pending_migrations(alias)  # another command may have done it meanwhile
        if not count:
            return ""
        new = "django_migrations" not in connection.introspection.table_names()
        call_command("migrate", database=alias, interactive=False, verbosity=0)
    if new:
        return f"データベースを作成しました: {where}"
    return f"データベースを更新しました（マイグレーション {count} 件を適用）: {where}"


def migrate(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Apply every missing migration. On SQLite one process at a time: `newsdesk demo` starts a
    server and a worker together, and two first commands of a new site may run at once; the second
    finds the work done instead of failing on a table that now exists."""
    connection = connections[alias]
    with _sqlite_lock(connection.settings_dict["NAME"] if connection.vendor == "sqlite" else ""):
        call_command("migrate", database=alias, interactive=False, verbosity=0)


@contextlib.contextmanager
def _sqlite_lock(database: str | os.PathLike) -> Iterator[None]:
    """An exclusive lock on the folder that holds the SQLite file (no file of its own to leave behind)."""
    folder = Path(database).parent if database and str(database) != ":memory:" else None
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no lock
        fcntl = None  # type: ignore[assignment]
    if folder is None or fcntl is None or not folder.is_dir():
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
