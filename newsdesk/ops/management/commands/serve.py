import os
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from newsdesk.ops.database import ensure_ready
from newsdesk.ops.processes import refuse_port_in_use
from newsdesk.ops.static import collect_static_if_changed

# The access log leaves out the client address (granian's %(addr)s): no raw IP is kept at rest,
# logs included. The query string is left out too (search terms are the reader's).
ACCESS_LOG_FORMAT = '[%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms'

# Threads per worker process that run requests (granian's --blocking-threads; its own default for
# WSGI is hundreds). Few: requests here are CPU-bound, a process runs Python on one thread at a
# time anyway, and every thread holds a SQLite connection that contends for the write lock. With
# 2 workers on 2 cores, 16 concurrent posters got ~830 comments/s at 1.5 ms of server CPU each
# with 1 thread, ~630/s at 2.1 ms (p99 3-4x longer) with 4. Two, not one: an admin login's
# password check holds its thread ~0.4 s, and at most one runs per process
# (NEWSDESK_LOGIN_CONCURRENCY), so the other thread goes on serving readers; with one thread, 4
# parallel wrong logins took the comment API's median from ~7 ms to ~1 s (bench/login.py). A
# request that waits (for the write lock while another process writes, on a slow query) holds up
# those queued behind its thread. `--threads` raises it, e.g. on PostgreSQL, whose round trips
# leave the interpreter free. Figures in docs/decisions.md.
BLOCKING_THREADS = 2


# Seconds a new worker gets to import Django and the site before the old one stops, and seconds
# an old worker gets to finish the requests it is answering. On Linux each granian worker listens
# on a socket of its own (SO_REUSEPORT): were the old one to stop before the new one listens,
# connections would be refused. A start takes 1-2 s here, up to 6 s on a machine under full load.
RELOAD_WARM_UP = 10.0
RELOAD_GRACE = 30


class Command(BaseCommand):
    help = (
        "Run the production web server (granian, WSGI). SIGHUP replaces its workers one by one "
        "without dropping a request (after an upgrade or a settings change)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=settings.NEWSDESK["WEB_WORKERS"])
        parser.add_argument(
            "--threads", type=int, default=BLOCKING_THREADS, help="threads per worker that run requests"
        )

    def handle(self, *args, host, port, workers, threads, **options):
        # A port in use is refused, not shared with the server already there (granian binds with
        # SO_REUSEPORT: two servers, perhaps on two databases, would answer by turns).
        refuse_port_in_use(host, port)
        try:
            # Comment rate limits and thread pages need the cache: find out now, not per request.
            cache.set("newsdesk:serve", 1, timeout=1)
        except Exception as exc:  # each backend fails its own way (OSError, Redis, ...)
            raise CommandError(f"キャッシュに書き込めません（NEWSDESK_CACHE_URL）: {exc}") from exc
        # On SQLite the database is brought up to date; on PostgreSQL serving is refused until the
        # operator runs `newsdesk migrate` (NotReady, shown by newsdesk.cli without a traceback).
        if done := ensure_ready():
            self.stderr.write(done)
        collect_static_if_changed()  # only when the files changed since the last start
        self.stdout.write(
            f"http://{host}:{port}/ で待ち受けます（granian、ワーカー {workers}、スレッド {threads}）"
        )
        self.stdout.flush()
        # exec so that signals from the terminal or a supervisor reach granian directly. Its
        # workers end when it does, even by SIGKILL (newsdesk/ops/wsgi.py), so a restart on the
        # same port never shares it with orphans (granian binds with SO_REUSEPORT).
        access_log = settings.NEWSDESK["ACCESS_LOG"]
        os.execv(sys.executable, [sys.executable, *granian_args(host, port, workers, threads, access_log)])


def granian_args(
    host: str, port: int, workers: int, threads: int = BLOCKING_THREADS, access_log: bool = True
) -> list[str]:
    return [
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--no-ws",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        # A worker that dies (killed for memory, a crash) is replaced, as gunicorn did; without
        # this granian shuts the whole server down. A replacement dying within 5.5 s still does.
        "--respawn-failed-workers",
        # On SIGHUP granian starts a new worker, gives it RELOAD_WARM_UP seconds to load Django,
        # then stops the old one, which finishes the requests it holds for up to RELOAD_GRACE
        # seconds; so for each worker in turn.
        "--respawn-interval",
        str(RELOAD_WARM_UP),
        "--workers-kill-timeout",
        str(RELOAD_GRACE),
        "--blocking-threads",
        str(threads),
        *(["--access-log", "--access-log-fmt", ACCESS_LOG_FORMAT] if access_log else []),
        "newsdesk.ops.wsgi:application",
    ]
