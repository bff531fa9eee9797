"""Score the extractive summarizer against Lead-3 on an XL-Sum style JSONL file.

    .venv/bin/python bench/summary.py [--data FILE] [--per-article]

Each line of FILE is a JSON object with ``text`` and ``reference_summary``. In that data the body's
paragraphs (and captions) are joined by single spaces, so the text is first cut into paragraphs at
every space after a non-ASCII character that is followed by a non-ASCII character, a capital letter or
a digit (spaces inside English phrases stay), then
split into sentences with ``newsdesk.japanese.sentences.split_sentences``.

Systems, scored in the same run (ROUGE against ``reference_summary``):
* 3-bullet summary: ``newsdesk.japanese.summarize.summarize(paragraphs, 3, title=...)`` (the
  headline is available to the ingest pipeline too);
* the same without the headline (``title=None``);
* first 3 bullets of the full list: the default-length list (3-10 bullets), cut after three. Since
  the list follows the article and spans it, its head is not a "top 3": shown for comparison;
* Lead-3: the first three sentences of the text.

Prints ROUGE-1/2/L F (x100, macro-averaged over articles) at character level (every non-space
character a token) and at word level (Sudachi mode C tokens), the differences, then for the bullet
lists (the full default-length list and the 3-bullet summary, Lead-3 beside them):

* back-pointing openers: bullets that open with a word pointing back at an earlier sentence
  (``newsdesk.japanese.openers``: しかし、また、これは、同氏は ...) although the bullet before them
  is not that sentence (the sentence right before them in the article);
* lists out of article order;
* span: where the last bullet's sentence lies (its index + 1 over the article's sentences, mean),
  and the share of the article's k equal parts (k = the list's length, parts by sentence count)
  that hold a bullet (mean; 1.00 = one bullet in every part);

and the summarizer's speed.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from rouge import Rouge, average, char_tokens, score, word_tokens  # noqa: E402

from newsdesk.japanese.bullets import (  # noqa: E402
    article_sentences,
    dangling_openers,
    in_article_order,
    source_positions,
)
from newsdesk.japanese.summarize import summarize  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "xlsum-ja-dev" / "articles.jsonl"
_PARAGRAPH_SPACE = re.compile(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f]|[A-Z0-9])")


def to_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_SPACE.split(text) if p.strip()]


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fmt(r: Rouge) -> str:
    return f"{100 * r.r1:6.2f} {100 * r.r2:6.2f} {100 * r.rl:6.2f}"


@dataclass
class ListStats:
    """Back-pointing openers, order and span of the bullet lists of one system."""

    bullets: int = 0
    lists: int = 0
    dangling: int = 0
    out_of_order: int = 0
    unplaced: int = 0
    last: list[float] = field(default_factory=list)
    covered: list[float] = field(default_factory=list)

    def add(self, bullets: list[str], paragraphs: list[str]) -> None:
        if not bullets:
            return
        n = len(article_sentences(paragraphs))
        positions = source_positions(bullets, paragraphs)
        self.lists += 1
        self.bullets += len(bullets)
        self.dangling += len(dangling_openers(bullets, positions))
        self.out_of_order += not in_article_order(positions)
        placed = [p for p in positions if p is not None]
        self.unplaced += len(bullets) - len(placed)
        if placed:
            k = len(bullets)
            self.last.append((max(placed) + 1) / n)
            self.covered.append(len({p * k // n for p in placed}) / k)

    def row(self, label: str) -> str:
        last = statistics.mean(self.last) if self.last else 0.0
        covered = statistics.mean(self.covered) if self.covered else 0.0
        return (
            f"  {label:<30} {self.bullets:5d} {self.dangling:8d} {self.out_of_order:5d}/{self.lists:<3d}"
            f" {last:8.2f} {covered:8.2f}" + (f"  ({self.unplaced} not placed)" if self.unplaced else "")
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--per-article", action="store_true", help="print char-level R-1 per article")
    args = parser.parse_args(argv)

    articles = load(args.data)
    if not articles:
        print("no articles", file=sys.stderr)
        return 1

    summarize("準備。ウォームアップの文です。")  # warm-up (regex compilation etc.)
    word_tokens("準備")  # loads the Sudachi dictionary outside the timings

    systems = ("three", "three_nt", "head", "lead3")
    results: dict[str, dict[str, list[Rouge]]] = {
        level: {name: [] for name in systems} for level in ("char", "word")
    }
    lists = {"full": ListStats(), "three": ListStats(), "lead3": ListStats()}
    timings: list[float] = []
    for article in articles:
        paragraphs = to_paragraphs(article["text"])
        reference = article["reference_summary"]
        title = article.get("title")
        t0 = time.perf_counter()
        full = summarize(paragraphs, title=title)
        timings.append(time.perf_counter() - t0)
        candidates = {
            "three": summarize(paragraphs, 3, title=title),
            "three_nt": summarize(paragraphs, 3),
            "head": full[:3],
            "lead3": article_sentences(paragraphs)[:3],
        }
        for level, tokens in (("char", char_tokens), ("word", word_tokens)):
            for name, bullets in candidates.items():
                results[level][name].append(score(bullets, reference, tokens))
        lists["full"].add(full, paragraphs)
        lists["three"].add(candidates["three"], paragraphs)
        lists["lead3"].add(candidates["lead3"], paragraphs)
        if args.per_article:
            c_ours = results["char"]["three"][-1].r1
            c_lead = results["char"]["lead3"][-1].r1
            print(
                f"{article.get('article_id', '?'):>12}  ours {100 * c_ours:5.1f}  lead3 {100 * c_lead:5.1f}"
            )

    print(f"{len(articles)} articles from {args.data}")
    print("ROUGE F x100 (macro average)                 R-1    R-2    R-L")
    for level, label in (("char", "character level"), ("word", "word level (Sudachi C)")):
        avg = {name: average(results[level][name]) for name in systems}
        print(f"[{label}]")
        print(f"  3-bullet summary (count=3)          {fmt(avg['three'])}")
        print(f"  3-bullet summary, no headline       {fmt(avg['three_nt'])}")
        print(f"  first 3 bullets of the full list    {fmt(avg['head'])}")
        print(f"  Lead-3                              {fmt(avg['lead3'])}")
        print(f"  difference (3-bullet - Lead-3)      {fmt(avg['three'] - avg['lead3'])}")
        print(f"  difference (no headline)            {fmt(avg['three_nt'] - avg['lead3'])}")
        print(f"  difference (first 3 of list)        {fmt(avg['head'] - avg['lead3'])}")
    print("Bullet lists                    bullets back-ptg  out of order  last at  sections")
    print(lists["full"].row("full list (default length)"))
    print(lists["three"].row("3-bullet summary"))
    print(lists["lead3"].row("Lead-3 (for reference)"))
    ms = [1000 * t for t in timings]
    print(
        f"summarize(): mean {statistics.mean(ms):.2f} ms, median {statistics.median(ms):.2f} ms, "
        f"max {max(ms):.2f} ms per article (default length, after warm-up)"
    )
    if "lead" not in inspect.signature(summarize).parameters:
        print("(this summarize() has no lead= parameter)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
