import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, collect static files, then run the production web server (gunicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=settings.NEWSDESK["WEB_WORKERS"])

    def handle(self, *args, host, port, workers, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"http://{host}:{port}/ で待ち受けます（gunicorn、ワーカー {workers}）")
        # exec so that signals from the terminal or a supervisor reach gunicorn directly
        os.execv(sys.executable, [sys.executable, *gunicorn_args(host, port, workers)])


def gunicorn_args(host: str, port: int, workers: int) -> list[str]:
    # The access log leaves out the client address: no raw IP is kept at rest, logs included.
    return [
        "-m",
        "gunicorn",
        "newsdesk.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--access-logformat",
        '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
    ]
