"""Whole-pipeline throughput beside plain trafilatura.extract, in one run.

Ours, per page: decode, extract (trafilatura plus our checks), store the article, its raw input
and stage rows in SQLite (WAL), run the pipeline stages (images off: no image is fetched), then tokenize with SudachiPy and
summarize the body (the summarizer splits it into sentences) (what the summarize stage does once a page is in Japanese).
Baseline, per page: ``trafilatura.extract(html)`` alone.

Two passes over the pages. *First sight*: every page's outlet is new to the site (the evaluation
pages come from 126 sites), so each page of a new site also makes its outlet. *Known outlets*: the
articles of the first pass deleted, the same pages again, as on a site that has run for a while
(its feeds' outlets stored): the throughput the goal is about.

    .venv/bin/python bench/ingest.py [--data DIR] [--limit N] [--stored N]

``--stored N`` first fills the database with N made-up articles, so what grows with the archive
(finding an earlier copy of the page, say) shows up in the figures.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DATA_DIR = tempfile.mkdtemp(prefix="newsdesk-bench-")
atexit.register(shutil.rmtree, DATA_DIR, ignore_errors=True)
os.environ["NEWSDESK_DATA_DIR"] = DATA_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
os.environ["NEWSDESK_QUEUE_URL"] = "immediate"
os.environ["NEWSDESK_IMAGES"] = "false"  # the benchmark measures ingest with images off

import django  # noqa: E402

django.setup()

import trafilatura  # noqa: E402
from django.core.management import call_command  # noqa: E402
from metric import DEFAULT_DATA, load_pages  # noqa: E402

from newsdesk.articles.models import Article  # noqa: E402
from newsdesk.japanese.summarize import summarize  # noqa: E402
from newsdesk.japanese.tokens import tokenize  # noqa: E402
from newsdesk.pipeline import intake, stages  # noqa: E402
from newsdesk.sources.models import Outlet  # noqa: E402


def ours(page) -> int | None:
    """The article's id (None: the page has none)."""
    [result] = intake.ingest(intake.Upload(page.id, page.html.encode()), intake.Options(url=page.url))
    article = result.article
    if article is None:  # a page with no article: refused, as in production
        return None
    tokenize("\n".join(article.paragraphs))
    summarize(article.paragraphs, title=article.original_title)  # splits into sentences first
    return article.pk


def store_filler(count: int) -> None:
    outlet = Outlet.objects.create(name="Filler Times", domain="filler.example")
    Article.objects.bulk_create(
        (
            Article(
                outlet=outlet,
                url=f"https://filler.example/{n}",
                source_url=f"https://filler.example/{n}?from=feed",
                original_title=f"Filler article {n}",
                paragraphs=["A made-up paragraph of about the length of a real one. " * 10] * 8,
                content_hash=f"{n:064x}",
            )
            for n in range(count)
        ),
        batch_size=1000,
    )


def baseline(page) -> None:
    trafilatura.extract(page.html)


def timed(pages, keep) -> tuple[dict[str, float], dict[str, float], int]:
    """CPU and wall seconds of each side; ``keep`` gets each of our article ids."""
    # The two run page by page in turn, so load from elsewhere on the machine falls on both alike.
    cpu = {"trafilatura.extract": 0.0, "newsdesk pipeline": 0.0}
    wall = dict(cpu)
    for page in pages:
        for name, function in (("trafilatura.extract", baseline), ("newsdesk pipeline", ours)):
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            result = function(page)
            cpu[name] += time.process_time() - started_cpu
            wall[name] += time.perf_counter() - started_wall
            if name == "newsdesk pipeline":
                keep(result)
    return cpu, wall, len(pages)


def ratio(timings) -> float:
    cpu, _, _ = timings
    return cpu["trafilatura.extract"] / cpu["newsdesk pipeline"]


def report(label: str, timings) -> None:
    cpu, wall, count = timings
    print(f"{label}:")
    for name in cpu:
        print(f"  {name:<22} {count / wall[name]:7.1f} pages/s wall   {count / cpu[name]:7.1f} pages/s CPU")
    print(
        f"  ratio (ours / baseline throughput): wall {wall['trafilatura.extract'] / wall['newsdesk pipeline']:.2f}, "
        f"CPU {ratio(timings):.2f}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--stored", type=int, default=0, help="articles in the database before the run")
    args = parser.parse_args(argv)
    pages = load_pages(args.data)[: args.limit or None]
    call_command("migrate", verbosity=0)
    store_filler(args.stored)
    # One-off work out of the timings, on both sides, as a worker does it when it starts
    # (stages.warm_up: SudachiPy's dictionary, trafilatura's and htmldate's first calls and tables,
    # scikit-learn's import), and trafilatura's first call for the baseline.
    stages.warm_up()
    baseline(pages[0])

    print(f"{len(pages)} pages, {args.stored} articles stored before")
    made: list[int | None] = []
    first = timed(pages, made.append)
    report("first sight", first)
    Article.objects.filter(pk__in=[pk for pk in made if pk]).delete()
    known = timed(pages, lambda pk: None)
    report("known outlets", known)
    print(
        f"  goal (issue 13): known outlets >= 0.60; first sight {ratio(first):.2f}, known {ratio(known):.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
