"""`newsdesk demo`: the site with the sample articles, its web server and a worker, started and
stopped together.

A port already in use is refused before anything is set up or started (granian binds with
SO_REUSEPORT and would otherwise share it with the server already there). The web server
(`newsdesk serve`, which becomes granian) and the worker are children of this process, in its
process group; SIGTERM, SIGINT (Ctrl-C) or SIGHUP stops both and waits until every process they
started, granian's workers included, has ended. Should this process itself be killed outright
(SIGKILL), both children are killed by the kernel with it, and granian's workers with granian
(newsdesk/ops/wsgi.py).
"""

import os
import secrets
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from newsdesk.ops import processes
from newsdesk.ops.database import migrate
from newsdesk.ops.samples import load_samples

HOST = "127.0.0.1"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Command(BaseCommand):
    help = (
        "Set up the demo: migrate, load the sample articles, run the web server and a worker on "
        "127.0.0.1:8000 (--port); Ctrl-C or SIGTERM stops both."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000); one in use is refused"
        )
        parser.add_argument("--no-serve", action="store_true", help="only prepare the database")

    def handle(self, *args, port, no_serve, **options):
        if not no_serve:
            processes.refuse_port_in_use(HOST, port)
        migrate()
        loaded = load_samples()
        created = sum(stored.created for stored in loaded)
        self.stdout.write(f"サンプル記事 {len(loaded)} 件（新規 {created} 件）")
        self._editor_account(port)
        self.stdout.write(f"データフォルダ: {settings.DATA_DIR}")
        if no_serve:
            return
        code = self._run(port)
        if code:
            sys.exit(code)

    def _run(self, port: int) -> int:
        """Run the worker and the server until a stop signal (0) or until either ends by itself (1)."""
        received: list[int] = []
        previous = {
            signum: signal.signal(signum, lambda signum, _: received.append(signum))
            for signum in STOP_SIGNALS
        }
        processes.adopt_orphans()  # granian's workers, once granian ends, are waited for here
        newsdesk = [sys.executable, "-m", "newsdesk"]
        commands = {
            "ワーカー": [*newsdesk, "worker"],
            "ウェブサーバー": [*newsdesk, "serve", "--host", HOST, "--port", str(port)],
        }
        preexec = processes.exit_with_this_process()
        # Short, share and feed links and canonical addresses name the port the demo serves on,
        # unless the site's address is set.
        env = {"NEWSDESK_SITE_URL": f"http://{HOST}:{port}", **os.environ}
        started: dict[str, subprocess.Popen] = {}
        try:
            self.stdout.write(f"デモを起動します: http://{HOST}:{port}/ （Ctrl-C で停止）")
            self.stdout.flush()
            for name, command in commands.items():
                if not received:
                    started[name] = subprocess.Popen(command, preexec_fn=preexec, env=env)
            while not received and all(child.poll() is None for child in started.values()):
                time.sleep(0.2)
            ended = {
                name: child.returncode for name, child in started.items() if child.returncode is not None
            }
        finally:
            self.stdout.write("停止しています…")
            self.stdout.flush()
            processes.stop(list(started.values()))
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if received:
            self.stdout.write("停止しました。")
            return 0
        for name, code in ended.items():
            self.stderr.write(f"{name}が終了しました（終了コード {code}）。デモを停止しました。")
        return 1

    def _editor_account(self, port: int):
        users = get_user_model().objects
        if users.filter(username="editor").exists():
            self.stdout.write(
                f"編集画面: http://{HOST}:{port}/admin/ （ユーザー editor、パスワードは初回表示のもの）"
            )
            return
        password = secrets.token_urlsafe(9)
        users.create_superuser("editor", password=password)
        self.stdout.write(f"編集画面: http://{HOST}:{port}/admin/ ユーザー editor / パスワード {password}")
