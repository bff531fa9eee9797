"""Whole-pipeline throughput beside plain trafilatura.extract, in one run.

Ours, per page: decode, extract (trafilatura plus our checks), store the article, its raw input
and stage rows in SQLite (WAL), run the pipeline stages, then split sentences, tokenize with
SudachiPy and summarize the body (what the summarize stage does once a page is in Japanese).
Baseline, per page: ``trafilatura.extract(html)`` alone.

    .venv/bin/python bench/ingest.py [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["NEWSDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="newsdesk-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
os.environ["NEWSDESK_QUEUE_URL"] = "immediate"

import django  # noqa: E402

django.setup()

import trafilatura  # noqa: E402
from django.core.management import call_command  # noqa: E402
from metric import DEFAULT_DATA, load_pages  # noqa: E402

from newsdesk.ingest import pipeline, service  # noqa: E402
from newsdesk.ingest.document import IngestError  # noqa: E402
from newsdesk.ingest.models import RawInput  # noqa: E402
from newsdesk.japanese.sentences import split_sentences  # noqa: E402
from newsdesk.japanese.summarize import summarize  # noqa: E402
from newsdesk.japanese.tokens import tokenize, warm_up  # noqa: E402


def ours(page) -> None:
    try:
        stored = service.ingest_bytes(
            page.html.encode(), kind=RawInput.Kind.FILE, location=page.id, url=page.url
        )
    except IngestError:
        return
    article = pipeline.run(stored.article)
    text = "\n".join(article.paragraphs)
    split_sentences(text)
    tokenize(text)
    summarize(article.paragraphs, title=article.original_title)


def baseline(page) -> None:
    trafilatura.extract(page.html)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    pages = load_pages(args.data)[: args.limit or None]
    call_command("migrate", verbosity=0)
    warm_up()
    baseline(pages[0])  # import-time work out of the timings

    timings = {}
    for name, function in (("trafilatura.extract", baseline), ("newsdesk pipeline", ours)):
        started = time.perf_counter()
        for page in pages:
            function(page)
        timings[name] = time.perf_counter() - started
    base, mine = timings["trafilatura.extract"], timings["newsdesk pipeline"]
    print(f"{len(pages)} pages")
    for name, seconds in timings.items():
        print(f"  {name:<22} {len(pages) / seconds:7.1f} pages/s  ({seconds:.2f} s)")
    print(f"  ratio (ours / baseline throughput): {base / mine:.2f}   goal >= 0.50")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
