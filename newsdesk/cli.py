"""The `newsdesk` command: Django's management commands under one name.

Every command acts on one site, this user's (the data folder, ``newsdesk.conf.data_dir``), from
whichever folder it runs in. A command in SITE_COMMANDS gets its database ready first
(``newsdesk.ops.database.ensure_ready``): on SQLite a database never set up (or left behind by an
upgrade) is migrated then and there, with a line on stderr saying where it is; on PostgreSQL the
command stops with the instruction to run ``newsdesk migrate``. Any other command that still finds
the database lacking its tables gets that same instruction instead of a traceback.
"""

import os
import sys

# The commands that read or write the site's data, which get a ready database (see above), and why:
SITE_COMMANDS = frozenset(
    {
        "ingest",  # stores articles: a new user's first command
        "import",  # restores an export into an empty database, which it needs to have tables
        "export",  # reads every table; an empty site exports its seeded gazetteer and glossary
        "status",  # an unset site is one with no articles: the answer, not an error
        "translate",  # reads and writes articles
        "rerun",  # reads and writes articles and their stages
        "stories",  # reads stories and articles
        "reindex",  # reads articles, writes the search index tables
        "flushviews",  # writes page-view counts
        "worker",  # the queue's tasks write articles; a worker on a new site must not fail on each
        "run_huey",  # the same consumer under Django's name
        "createsuperuser",  # an editor account: often the first thing an operator does
        "changepassword",
        "loaddata",
        "dumpdata",
        "clearsessions",
        "shell",  # the models, as the site has them
    }
)
# Not in it: `demo` migrates by itself (on every database: it is a demo); `serve` gets the
# database ready itself, once it knows its port is free;
# `migrate` and the other migration tools (showmigrations, sqlmigrate, makemigrations, ...) act on
# the migrations themselves; `summarize`, `help`, `check`, `collectstatic`, `findstatic`,
# `diffsettings` and the like need no database and must not create one; `dbshell` and `flush` are
# raw tools an operator points at the database as it is.

HELP_FLAGS = frozenset({"-h", "--help", "--version"})


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    from newsdesk.ops.database import NotReady

    try:
        if _uses_site_database(args):
            _ensure_database()
        execute_from_command_line(["newsdesk", *args])
    except ImproperlyConfigured as exc:  # a NEWSDESK_* setting the operator can fix: no traceback
        sys.stderr.write(f"設定エラー: {exc}\n")
        sys.exit(2)
    except BrokenPipeError:  # `newsdesk status | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:  # Ctrl-C: the operator knows why it stopped
        sys.stderr.write("\n中断しました。\n")
        sys.exit(130)
    except NotReady as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(1)
    except DatabaseError:
        message = _not_set_up()
        if not message:
            raise
        sys.stderr.write(f"{message}\n")
        sys.exit(1)


def _uses_site_database(args: list[str]) -> bool:
    # --settings and --pythonpath are read by Django before it sets up: leave those runs to it.
    return (
        bool(args)
        and args[0] in SITE_COMMANDS
        and not any(arg in HELP_FLAGS or arg.startswith(("--settings", "--pythonpath")) for arg in args)
    )


def _ensure_database() -> None:
    import django

    from newsdesk.ops.database import ensure_ready

    django.setup()
    if done := ensure_ready():
        sys.stderr.write(f"{done}\n")
        sys.stderr.flush()


def _not_set_up() -> str:
    """The instruction to run `newsdesk migrate` when a command failed on a database that lacks
    migrations; "" when that is not why (the error is then shown as it is)."""
    from newsdesk.ops.database import not_ready_message, pending_migrations

    try:
        count = pending_migrations()
    except Exception:  # the database cannot even say: the original error is the one to see
        return ""
    return not_ready_message(count) if count else ""


if __name__ == "__main__":
    main()
