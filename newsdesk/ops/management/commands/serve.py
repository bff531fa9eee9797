import os
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsdesk.ops.database import migrate
from newsdesk.ops.processes import refuse_port_in_use

# The access log leaves out the client address (granian's %(addr)s): no raw IP is kept at rest,
# logs included. The query string is left out too (search terms are the reader's).
ACCESS_LOG_FORMAT = '[%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms'

# Threads per worker process that run requests (granian's --blocking-threads; its own default for
# WSGI is hundreds). One: requests here are CPU-bound, a process runs Python on one thread at a
# time anyway, and every thread holds a SQLite connection that contends for the write lock. With
# 2 workers on 2 cores, 16 concurrent posters got ~830 comments/s at 1.5 ms of server CPU each
# with 1 thread, ~630/s at 2.1 ms (p99 3-4x longer) with 4. The price: a request that waits (for
# the write lock while another process writes, on a slow query) holds up the requests queued
# behind it in its process; with 4 threads reads go on meanwhile. `--threads` raises it, e.g. on
# PostgreSQL, whose round trips leave the interpreter free. Figures in docs/decisions.md.
BLOCKING_THREADS = 1


class Command(BaseCommand):
    help = "Migrate, collect static files, then run the production web server (granian, WSGI)."

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
        migrate()
        call_command("collectstatic", interactive=False, verbosity=0)
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
        "--blocking-threads",
        str(threads),
        *(["--access-log", "--access-log-fmt", ACCESS_LOG_FORMAT] if access_log else []),
        "newsdesk.ops.wsgi:application",
    ]
