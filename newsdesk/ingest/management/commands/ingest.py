import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from newsdesk.ingest import pipeline, service, tasks
from newsdesk.ingest.document import IngestError


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
        inputs = service.expand_paths(inputs)
        if url and (len(inputs) != 1 or service.is_url(inputs[0])):
            raise CommandError("--url は保存したファイル1つにだけ指定できます")
        if not inputs:
            raise CommandError("取り込むファイルが見つかりません（.html .htm .txt）")
        failures: list[tuple[str, str]] = []
        counts = {"created": 0, "existing": 0, "queued": 0}
        bar = tqdm(total=len(inputs), unit="件", file=sys.stderr, disable=None, leave=False)
        for item in inputs:
            try:
                lines = self._one(item, url, publish, enqueue, counts)
            except IngestError as exc:
                failures.append((item, str(exc)))
                lines = [f"error\t{item}\t{exc}"]
            for line in lines:
                bar.write(line, file=self.stderr._out if line.startswith("error") else self.stdout._out)
            bar.update()
        bar.close()
        summary = f"取り込み {counts['created']} 件、既存 {counts['existing']} 件、キュー {counts['queued']} 件、失敗 {len(failures)} 件"
        self.stderr.write(summary)
        for item, message in failures:
            self.stderr.write(f"  失敗: {item}: {message}")
        if failures:
            raise CommandError(f"{len(failures)} 件の入力を取り込めませんでした", returncode=1)

    def _one(self, item: str, url: str, publish: bool, enqueue: bool, counts: dict) -> list[str]:
        if service.is_url(item):
            if existing := service.find_existing(url=item):
                counts["existing"] += 1
                return [f"{existing.pk}\texisting\t{item}"]
            if enqueue:
                tasks.fetch_task(item, publish)
                counts["queued"] += 1
                return [f"-\tqueued\t{item}"]
            result = service.fetch_url(item)
            entries = service.feed_entries(result)
            if entries is None:
                return [self._finish(service.ingest_fetched(result, item), item, publish, enqueue, counts)]
            lines = []
            for entry in entries:
                try:
                    lines += self._one(entry, "", publish, enqueue, counts)
                except IngestError as exc:
                    lines.append(f"error\t{entry}\t{exc}")
            return lines
        stored = service.ingest_file(Path(item), url=url)
        return [self._finish(stored, item, publish, enqueue, counts)]

    def _finish(self, stored: service.Stored, item: str, publish: bool, enqueue: bool, counts: dict) -> str:
        if not stored.created:
            counts["existing"] += 1
            return f"{stored.article.pk}\texisting\t{item}"
        counts["created"] += 1
        if enqueue:
            tasks.enqueue_stages(stored.article, publish)
        else:
            pipeline.run(stored.article, publish)
        return f"{stored.article.pk}\t{stored.article.status}\t{item}"
