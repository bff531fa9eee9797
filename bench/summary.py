"""Score the extractive summarizer against Lead-3 on an XL-Sum style JSONL file.

    .venv/bin/python bench/summary.py [--data FILE] [--per-article]

Each line of FILE is a JSON object with ``text`` and ``reference_summary``. In that data the body's
paragraphs (and captions) are joined by single spaces, so the text is first cut into paragraphs at
every space after a non-ASCII character that is followed by a non-ASCII character, a capital letter or
a digit (spaces inside English phrases stay), then
split into sentences with ``newsdesk.japanese.sentences.split_sentences``.

Systems, scored in the same run:
* ours: the first three bullets of ``newsdesk.japanese.summarize.summarize(paragraphs, title=...)``
  (the headline is available to the ingest pipeline too);
* ours without headline: the same with ``title=None``;
* Lead-3: the first three sentences of the text.

Prints ROUGE-1/2/L F (x100, macro-averaged over articles) at character level (every non-space
character a token) and at word level (Sudachi mode C tokens), the differences, and the
summarizer's speed.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from rouge import Rouge, average, char_tokens, score, word_tokens  # noqa: E402

from newsdesk.japanese.sentences import split_sentences  # noqa: E402
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

    results: dict[str, dict[str, list[Rouge]]] = {
        level: {"ours": [], "ours_nt": [], "lead3": []} for level in ("char", "word")
    }
    timings: list[float] = []
    for article in articles:
        paragraphs = to_paragraphs(article["text"])
        reference = article["reference_summary"]
        t0 = time.perf_counter()
        bullets = summarize(paragraphs, title=article.get("title"))
        timings.append(time.perf_counter() - t0)
        ours = bullets[:3]
        ours_nt = summarize(paragraphs)[:3]
        lead3 = split_sentences("\n".join(paragraphs))[:3]
        for level, tokens in (("char", char_tokens), ("word", word_tokens)):
            results[level]["ours"].append(score(ours, reference, tokens))
            results[level]["ours_nt"].append(score(ours_nt, reference, tokens))
            results[level]["lead3"].append(score(lead3, reference, tokens))
        if args.per_article:
            c_ours = results["char"]["ours"][-1].r1
            c_lead = results["char"]["lead3"][-1].r1
            print(
                f"{article.get('article_id', '?'):>12}  ours {100 * c_ours:5.1f}  lead3 {100 * c_lead:5.1f}"
            )

    print(f"{len(articles)} articles from {args.data}")
    print("ROUGE F x100 (macro average)          R-1    R-2    R-L")
    for level, label in (("char", "character level"), ("word", "word level (Sudachi C)")):
        ours = average(results[level]["ours"])
        ours_nt = average(results[level]["ours_nt"])
        lead = average(results[level]["lead3"])
        print(f"[{label}]")
        print(f"  ours (first 3 bullets)       {fmt(ours)}")
        print(f"  ours, no headline            {fmt(ours_nt)}")
        print(f"  Lead-3                       {fmt(lead)}")
        print(f"  difference (ours - Lead-3)   {fmt(ours - lead)}")
        print(f"  difference (no headline)     {fmt(ours_nt - lead)}")
    ms = [1000 * t for t in timings]
    print(
        f"summarize(): mean {statistics.mean(ms):.2f} ms, median {statistics.median(ms):.2f} ms, "
        f"max {max(ms):.2f} ms per article (bullet_count default, after warm-up)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
