from django.core.management.base import BaseCommand, CommandError

from newsdesk.ops.exchange import ImportFailure, import_lines


class Command(BaseCommand):
    help = "Restore an export (JSON Lines) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                count = import_lines(stream)
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"UTF-8 の JSON Lines ではありません: {exc.reason}") from exc
        except ImportFailure as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} 件を読み込みました")
