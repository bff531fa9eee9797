import sys

from django.core.management.base import BaseCommand

from newsdesk.ops.exchange import export_lines


class Command(BaseCommand):
    help = "Write every article (with its raw inputs, stages and comments) as JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", default="-", metavar="FILE", help="file to write (default: stdout)"
        )

    def handle(self, *args, output, **options):
        if output == "-":
            count = export_lines(sys.stdout)
        else:
            with open(output, "w", encoding="utf-8") as stream:
                count = export_lines(stream)
        self.stderr.write(f"{count} 件を書き出しました")
