"""Small ROUGE-1/2/L implementation (F-scores) for Japanese text.

Two tokenizations:

* ``char_tokens``: every non-space character is a token (the usual choice for Japanese);
* ``word_tokens``: tokens from the project's Sudachi tokenizer (mode C surfaces, no whitespace).

The candidate (several sentences/bullets) and the reference are each scored as one token sequence
(sentences concatenated); ROUGE-L is the LCS-based F1 over those sequences. Scores are in [0, 1];
:func:`average` gives per-article macro averages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rouge:
    r1: float
    r2: float
    rl: float

    def __sub__(self, other: Rouge) -> Rouge:
        return Rouge(self.r1 - other.r1, self.r2 - other.r2, self.rl - other.rl)


def char_tokens(text: str) -> list[str]:
    return [c for c in text if not c.isspace()]


def word_tokens(text: str) -> list[str]:
    from newsdesk.japanese.tokens import tokenize

    return [t.surface for t in tokenize(text)]


def _f1(overlap: int, cand: int, ref: int) -> float:
    if overlap == 0 or cand == 0 or ref == 0:
        return 0.0
    p, r = overlap / cand, overlap / ref
    return 2 * p * r / (p + r)


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(cand: Sequence[str], ref: Sequence[str], n: int) -> float:
    c, r = _ngrams(cand, n), _ngrams(ref, n)
    return _f1(sum((c & r).values()), sum(c.values()), sum(r.values()))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(cand: Sequence[str], ref: Sequence[str]) -> float:
    return _f1(lcs_length(cand, ref), len(cand), len(ref))


def score(candidate: str | Iterable[str], reference: str, tokens: Callable[[str], list[str]]) -> Rouge:
    """ROUGE-1/2/L F of ``candidate`` (a text or its sentences) against ``reference``."""
    if not isinstance(candidate, str):
        candidate = "\n".join(candidate)
    cand, ref = tokens(candidate), tokens(reference)
    return Rouge(rouge_n(cand, ref, 1), rouge_n(cand, ref, 2), rouge_l(cand, ref))


def average(scores: Sequence[Rouge]) -> Rouge:
    if not scores:
        return Rouge(0.0, 0.0, 0.0)
    k = len(scores)
    return Rouge(sum(s.r1 for s in scores) / k, sum(s.r2 for s in scores) / k, sum(s.rl for s in scores) / k)
