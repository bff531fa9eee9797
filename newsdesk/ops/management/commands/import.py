from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from newsdesk.ops.exchange import ImportFailure, import_lines


class Command(BaseCommand):
    help = "Restore an export (JSON Lines) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                articles, site = import_lines(stream)
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"UTF-8 の JSON Lines ではありません: {exc.reason}") from exc
        except ImportFailure as exc:
            raise CommandError(str(exc)) from exc
        # Cached thread pages and rate limits belong to the rows that were here before: the
        # restored threads start their versions again, so old pages would come back.
        cache.clear()
        self.stdout.write(f"記事 {articles} 件とサイト全体のデータ {site} 件を読み込みました")
