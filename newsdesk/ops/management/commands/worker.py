from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsdesk.pipeline.tasks import resume_interrupted


class Command(BaseCommand):
    help = "Run a background worker (Huey consumer) for the pipeline queue."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=settings.HUEY["consumer"]["workers"])

    def handle(self, *args, workers, **options):
        # What a killed worker left unfinished is taken over as this one starts, not minutes later.
        resume_interrupted()
        call_command("run_huey", workers=workers, worker_type="thread")
