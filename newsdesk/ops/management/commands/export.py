import sys

from django.core.management.base import BaseCommand

from newsdesk.ops.exchange import export_lines


class Command(BaseCommand):
    help = "Write the site-wide editorial data, then every article with all attached to it, as JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", default="-", metavar="FILE", help="file to write (default: stdout)"
        )

    def handle(self, *args, output, **options):
        if output == "-":
            articles, site = export_lines(sys.stdout)
        else:
            with open(output, "w", encoding="utf-8") as stream:
                articles, site = export_lines(stream)
        self.stderr.write(f"記事 {articles} 件とサイト全体のデータ {site} 件を書き出しました")
