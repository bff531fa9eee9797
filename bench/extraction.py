"""Score newsdesk's HTML extraction against plain trafilatura on the article-extraction benchmark.

    .venv/bin/python bench/extraction.py [--data DIR] [--repeat N] [--worst K]

Both extractors run in the same process on the same pages; see bench/metric.py for the metric.
Our output is ``extract_html(...).paragraphs`` joined with newlines; a page that raises IngestError
counts as empty output. Speed is pages per second of CPU time on one core, the two extractors taking turns page by page
(the best of ``--repeat`` runs).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from bench.metric import DEFAULT_DATA, Page, Score, load_pages, page_scores, score  # noqa: E402
from newsdesk.ingest.document import IngestError  # noqa: E402
from newsdesk.ingest.html import extract_html  # noqa: E402


def ours(page: Page) -> str:
    try:
        return "\n".join(extract_html(page.html, page.url).paragraphs)
    except IngestError:
        return ""


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark directory")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per extractor (best kept)")
    parser.add_argument("--worst", type=int, default=0, help="list the K pages where we score worst")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
