import sys

from django.core.management.base import BaseCommand, CommandError

from newsdesk.summaries.backends import summarizer


class Command(BaseCommand):
    help = (
        "Summarize Japanese text from standard input: one bullet a line, in the order the text tells "
        "it (the bullets span the whole text)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sentences",
            type=int,
            default=None,
            metavar="N",
            help="number of bullets (default: 3-10 depending on length)",
        )

    def handle(self, *args, sentences, **options):
        if sentences is not None and sentences < 1:
            raise CommandError("--sentences は1以上にしてください")
        text = sys.stdin.read()
        if not text.strip():
            raise CommandError("標準入力に日本語の本文を渡してください")
        paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
        for bullet in summarizer().summarize(paragraphs, sentences):
            self.stdout.write(bullet)
