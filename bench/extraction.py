"""Score newsdesk's HTML extraction against plain trafilatura on the article-extraction benchmark.

    .venv/bin/python bench/extraction.py [--data DIR] [--repeat N] [--worst K] [--misses]

Both extractors run in the same process on the same pages; see bench/metric.py for the metric.
Our output is ``extract_html(...).paragraphs`` joined with newlines; a page that raises IngestError
counts as empty output. Speed is pages per second of CPU time on one core, the two extractors taking turns page by page
(the best of ``--repeat`` runs).

Metadata (when the data has ``metadata.json``): headline, authors and date of our ``extract_html``
beside trafilatura's own ``extract_metadata``. A headline counts when it equals the labelled one
after NFKC, one kind of quote and squashed spaces; authors when the set of names is the same
(case, "By", dots and commas aside), scored on the pages with a byline, and separately how many
pages without one got a made-up author; a date when it is within one day of the labelled one.
``--misses`` prints every miss (for the terminal only: the labels stay out of the repository).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from bench.metric import (  # noqa: E402
    DEFAULT_DATA,
    Page,
    Score,
    authors_ok,
    date_ok,
    load_metadata,
    load_pages,
    page_scores,
    score,
    title_ok,
)
from newsdesk.ingest.document import ExtractedArticle, IngestError  # noqa: E402
from newsdesk.ingest.html import extract_html  # noqa: E402

# The article each page gave on the first (timed) run, kept for the metadata scores.
ARTICLES: dict[str, ExtractedArticle | None] = {}


def ours(page: Page) -> str:
    try:
        article = extract_html(page.html, page.url)
    except IngestError:
        ARTICLES.setdefault(page.id, None)
        return ""
    ARTICLES.setdefault(page.id, article)
    return "\n".join(article.paragraphs)


def plain_trafilatura(page: Page) -> str:
    return trafilatura.extract(page.html) or ""


def run_all(
    extractors: dict[str, Callable[[Page], str]], pages: list[Page], repeat: int
) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Outputs (first run) and pages/s of every extractor.

    The extractors take turns page by page (the order alternating), and the time counted is the
    process's CPU time, so a busy machine slows neither more than the other. pages/s is the best
    of ``repeat`` runs.
    """
    names = list(extractors)
    outputs: dict[str, list[str]] = {name: [] for name in names}
    speed = dict.fromkeys(names, 0.0)
    for round_ in range(repeat):
        spent = dict.fromkeys(names, 0.0)
        for i, page in enumerate(pages):
            for name in names if (i + round_) % 2 == 0 else reversed(names):
                start = time.process_time()
                text = extractors[name](page)
                spent[name] += time.process_time() - start
                if round_ == 0:
                    outputs[name].append(text)
        for name in names:
            speed[name] = max(speed[name], len(pages) / spent[name] if spent[name] else 0.0)
    return outputs, speed


@dataclass(frozen=True)
class Meta:
    """Headline, authors and publication day as one extractor reads them."""

    title: str
    authors: list[str]
    day: date | None


def our_meta(page: Page) -> Meta:
    article = ARTICLES.get(page.id)
    if article is None:
        return Meta("", [], None)
    authors = [a for a in article.author.split(", ") if a.strip()]
    day = article.published_at.date() if article.published_at else None
    return Meta(article.title, authors, day)


def trafilatura_meta(page: Page) -> Meta:
    doc = trafilatura.extract_metadata(page.html, default_url=page.url or None)
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    try:
        day = date.fromisoformat((doc.date or "")[:10]) if doc.date else None
    except ValueError:
        day = None
    return Meta(doc.title or "", authors, day)


def metadata_report(pages: list[Page], labels: dict[str, dict], show_misses: bool) -> None:
    """Title, author and date accuracy of both extractors on the labelled pages."""
    pages = [page for page in pages if page.id in labels]
    readers = {"newsdesk extract_html": our_meta, "trafilatura metadata": trafilatura_meta}
    readings = {name: [read(page) for page in pages] for name, read in readers.items()}
    with_byline = [i for i, page in enumerate(pages) if labels[page.id]["authors"]]
    dated = [i for i, page in enumerate(pages) if labels[page.id].get("published")]
    print(f"\nmetadata: {len(pages)} labelled pages ({len(with_byline)} with a byline, {len(dated)} dated)")
    print(f"{'extractor':<24} {'title':>9} {'authors':>9} {'no-byline ok':>13} {'date ±1d':>9}")
    for name, metas in readings.items():
        titles = sum(title_ok(labels[p.id]["title"], m.title) for p, m in zip(pages, metas, strict=True))
        authors = sum(authors_ok(labels[pages[i].id]["authors"], metas[i].authors) for i in with_byline)
        bare = [i for i in range(len(pages)) if i not in set(with_byline)]
        bare_ok = sum(not metas[i].authors for i in bare)
        dates = sum(date_ok(labels[pages[i].id]["published"], metas[i].day) for i in dated)
        print(
            f"{name:<24} {titles:>4}/{len(pages):<4} {authors:>4}/{len(with_byline):<4} "
            f"{bare_ok:>7}/{len(bare):<5} {dates:>4}/{len(dated):<4}"
        )
    if not show_misses:
        return
    ours_ = readings["newsdesk extract_html"]
    for page, meta in zip(pages, ours_, strict=True):
        label = labels[page.id]
        misses = []
        if not title_ok(label["title"], meta.title):
            misses.append(f"title   want {label['title']!r}\n           got  {meta.title!r}")
        if not authors_ok(label["authors"], meta.authors):
            misses.append(f"authors want {label['authors']!r} got {meta.authors!r}")
        if label.get("published") and not date_ok(label["published"], meta.day):
            misses.append(f"date    want {label['published']} got {meta.day}")
        if misses:
            print(f"- {page.id[:12]} {page.url}")
            for miss in misses:
                print(f"    {miss}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark directory")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per extractor (best kept)")
    parser.add_argument("--worst", type=int, default=0, help="list the K pages where we score worst")
    parser.add_argument("--misses", action="store_true", help="print every metadata miss of ours")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every page it discards

    pages = load_pages(args.data)
    if not pages:
        print(f"no pages found under {args.data}", file=sys.stderr)
        return 1
    # Warm both paths once (imports, lazy regex compilation, htmldate/dateparser set-up).
    ours(pages[0])
    plain_trafilatura(pages[0])

    extractors = {"newsdesk extract_html": ours, "trafilatura.extract": plain_trafilatura}
    outputs, speeds = run_all(extractors, pages, max(1, args.repeat))
    rows: list[tuple[str, Score, float]] = [
        (name, score(zip(pages, outputs[name], strict=True)), speeds[name]) for name in extractors
    ]

    japanese = sum(page.japanese for page in pages)
    print(f"{len(pages)} pages ({japanese} scored on character 5-grams as Japanese), data: {args.data}")
    print(f"{'extractor':<24} {'F1':>7} {'prec':>7} {'recall':>7} {'pages/s':>8}  (CPU time)")
    for name, result, speed in rows:
        print(f"{name:<24} {result.f1:>7.4f} {result.precision:>7.4f} {result.recall:>7.4f} {speed:>8.1f}")
    (_, _, our_speed), (_, _, base_speed) = rows
    print(f"speed ratio (ours / trafilatura): {our_speed / base_speed:.2f}")

    if args.worst:
        ranked = sorted(
            (2 * p * r / (p + r) if p + r else 0.0, p, r, page.id, page.url)
            for page, text in zip(pages, outputs["newsdesk extract_html"], strict=True)
            for p, r in [page_scores(page.truth, text, page.japanese)]
        )
        for f1, p, r, page_id, url in ranked[: args.worst]:
            print(f"  F1 {f1:.3f} P {p:.3f} R {r:.3f}  {page_id[:12]}  {url}")

    if labels := load_metadata(args.data):
        metadata_report(pages, labels, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
