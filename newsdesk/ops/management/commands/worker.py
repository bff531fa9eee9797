from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a background worker (Huey consumer) for the pipeline queue."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=settings.HUEY["consumer"]["workers"])

    def handle(self, *args, workers, **options):
        call_command("run_huey", workers=workers, worker_type="thread")
