import secrets
import subprocess
import sys

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsdesk.ops.samples import load_samples


class Command(BaseCommand):
    help = "Set up the demo: migrate, load the sample articles, run the web server and a worker on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="only prepare the database")

    def handle(self, *args, port, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        loaded = load_samples()
        created = sum(stored.created for stored in loaded)
        self.stdout.write(f"サンプル記事 {len(loaded)} 件（新規 {created} 件）")
        self._editor_account(port)
        if no_serve:
            return
        newsdesk = [sys.executable, "-m", "newsdesk"]
        worker = subprocess.Popen([*newsdesk, "worker"])
        try:
            subprocess.run([*newsdesk, "serve", "--host", "127.0.0.1", "--port", str(port)], check=False)
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _editor_account(self, port: int):
        users = get_user_model().objects
        if users.filter(username="editor").exists():
            self.stdout.write(
                "編集画面: http://127.0.0.1:8000/admin/ （ユーザー editor、パスワードは初回表示のもの）"
            )
            return
        password = secrets.token_urlsafe(9)
        users.create_superuser("editor", password=password)
        self.stdout.write(f"編集画面: http://127.0.0.1:{port}/admin/ ユーザー editor / パスワード {password}")
