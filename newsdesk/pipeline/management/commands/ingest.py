import sys
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from newsdesk.pipeline.batches import KeptQueue
from newsdesk.pipeline.intake import Options, Result, expand, ingest, is_url


class Command(BaseCommand):
    help = "Ingest HTML/text files, folders (recursively) and URLs; prints one line per input with the article id."

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--url", default="", help="original address of a saved file (one file only)")
        parser.add_argument("--publish", action="store_true", help="publish at once what needs no review")
        parser.add_argument(
            "--enqueue", action="store_true", help="only queue the work for `newsdesk worker`"
        )

    def handle(self, *args, inputs, url, publish, enqueue, **options):
        items = [one for item in inputs for one in expand(item)]
        if url and (len(items) != 1 or is_url(str(items[0]))):
            raise CommandError("--url は保存したファイル1つにだけ指定できます")
        if not items:
            raise CommandError("取り込むファイルが見つかりません（.html .htm .txt）")
        counts: Counter[str] = Counter()
        failures: list[Result] = []
        bar = tqdm(total=len(items), unit="件", file=sys.stderr, disable=None, leave=False)
        # Queued URLs are written first, so that a worker killed mid-fetch leaves them to the sweep.
        kept = KeptQueue(publish=publish) if enqueue else None
        for item in items:
            for result in ingest(item, Options(url=url, publish=publish, enqueue=enqueue, queue_url=kept)):
                counts[result.status] += 1
                counts["resumed"] += result.resumed
                if result.status == Result.FAILED:
                    failures.append(result)
                    bar.write(f"error\t{result.input}\t{result.message}", file=self.stderr._out)  # type: ignore[arg-type]  # _out: a TextIO, untyped in stubs
                else:
                    bar.write(self._line(result), file=self.stdout._out)  # type: ignore[arg-type]  # _out: a TextIO, untyped in stubs
            bar.update()
        bar.close()
        resumed = f"（うち処理を再開 {counts['resumed']} 件）" if counts["resumed"] else ""
        self.stderr.write(
            f"取り込み {counts[Result.CREATED]} 件、既存 {counts[Result.EXISTING]} 件{resumed}、"
            f"キュー {counts[Result.QUEUED]} 件、失敗 {len(failures)} 件"
        )
        for failure in failures:
            self.stderr.write(f"  失敗: {failure.input}: {failure.message}")
        if failures:
            raise CommandError(f"{len(failures)} 件の入力を取り込めませんでした", returncode=1)

    @staticmethod
    def _line(result: Result) -> str:
        if result.article is None:  # queued: the worker will fetch it
            return f"-\t{result.status}\t{result.input}"
        # An article whose interrupted pipeline this ingest finished shows where it stands now, as
        # a new one does, and the note that says so.
        plain = result.status == Result.EXISTING and not result.resumed
        status = "existing" if plain else result.article.status
        note = f"\t{result.message}" if result.message else ""
        return f"{result.article.pk}\t{status}\t{result.input}{note}"
