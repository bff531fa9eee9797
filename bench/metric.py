"""Page loading and scoring for the article-extraction benchmark (no Django).

The metric follows the data set's README: tokens are the matches of ``\\w+``; each page is scored
on 4-gram token shingles counted as multisets (true positives = the smaller count of each shingle);
precision and recall are averaged over pages (each page weighs the same) and F1 is the harmonic mean
of the two averages. Japanese pages (ground truth written with kana) are scored on character
5-grams of the ``\\w+`` characters instead, since ``\\w+`` swallows whole Japanese clauses.
A text shorter than one shingle counts as one shingle of what it has, as in the benchmark's own code.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "article-extraction-benchmark"

TOKEN_RE = re.compile(r"\w+")
KANA_RE = re.compile(r"[\u3040-\u30ff]")
WORD_NGRAM = 4
CHAR_NGRAM = 5


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    truth: str

    @property
    def japanese(self) -> bool:
        return is_japanese(self.truth)


def is_japanese(text: str) -> bool:
    """Kana make up a noticeable share of the text (Chinese has none, English next to none)."""
    kana = len(KANA_RE.findall(text))
    return kana >= 20 and kana >= 0.05 * len(text)


def load_pages(data_dir: Path | str = DEFAULT_DATA) -> list[Page]:
    """Every labelled page of the benchmark, in a stable order (by id)."""
    data_dir = Path(data_dir)
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = data_dir / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        item = truth[page_id]
        pages.append(Page(page_id, item.get("url", ""), html, item.get("articleBody", "")))
    return pages


def _windows(seq: list[str] | str, n: int) -> Iterator[tuple[str, ...] | str]:
    if not seq:
        return
    for i in range(max(1, len(seq) - n + 1)):
        yield seq[i : i + n] if isinstance(seq, str) else tuple(seq[i : i + n])


def shingles(text: str, japanese: bool = False) -> Counter:
    tokens = TOKEN_RE.findall(text or "")
    if japanese:
        return Counter(_windows("".join(tokens), CHAR_NGRAM))
    return Counter(_windows(tokens, WORD_NGRAM))


def page_scores(truth: str, predicted: str, japanese: bool = False) -> tuple[float, float]:
    """(precision, recall) of one page. No output: precision 0; nothing to find: recall 1."""
    want = shingles(truth, japanese)
    got = shingles(predicted, japanese)
    tp = sum((want & got).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    precision = tp / n_got if n_got else 0.0
    recall = tp / n_want if n_want else 1.0
    return precision, recall


@dataclass(frozen=True)
class Score:
    f1: float
    precision: float
    recall: float
    pages: int


def score(pairs: Iterable[tuple[Page, str]]) -> Score:
    """Average precision and recall over pages; F1 is the harmonic mean of the averages."""
    precisions, recalls = [], []
    for page, predicted in pairs:
        p, r = page_scores(page.truth, predicted, page.japanese)
        precisions.append(p)
        recalls.append(r)
    if not precisions:
        return Score(0.0, 0.0, 0.0, 0)
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(f1, p, r, len(precisions))


# --- metadata: headline, authors, date --------------------------------------------------------------

# Curly and angled quotes, primes and the like read as the straight quote they stand for.
_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})
_SPACES = re.compile(r"\s+")
_AUTHOR_NOISE = re.compile(r"^(?:by|text by|written by)\s+|[.,]", re.I)


def load_metadata(data_dir: Path | str = DEFAULT_DATA) -> dict[str, dict]:
    """``metadata.json`` of the benchmark (id -> title, site_name, authors, published, ...); {} if absent."""
    path = Path(data_dir) / "metadata.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def norm_title(text: str) -> str:
    """A headline for exact comparison: NFKC, one kind of quote, runs of spaces as one space."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return _SPACES.sub(" ", text).strip()


def norm_author(text: str) -> str:
    """An author's name for set comparison: NFKC, case-folded, no "By", dots or commas, spaces squashed."""
    text = _AUTHOR_NOISE.sub("", unicodedata.normalize("NFKC", text or "").casefold().translate(_QUOTES))
    return _SPACES.sub(" ", text).strip()


def title_ok(truth: str, got: str) -> bool:
    return norm_title(truth) == norm_title(got)


def authors_ok(truth: Iterable[str], got: Iterable[str]) -> bool:
    """The same set of names (order and case aside)."""
    return {norm_author(a) for a in truth if a.strip()} == {norm_author(a) for a in got if a.strip()}


def date_ok(truth: str | None, got: date | None, slack_days: int = 1) -> bool:
    """Within ``slack_days`` of the labelled date (``YYYY-MM-DD``); no date is right only where none
    is labelled."""
    if not truth:
        return got is None
    return got is not None and abs((got - date.fromisoformat(truth)).days) <= slack_days
