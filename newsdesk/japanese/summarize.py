"""Extractive summarizer for news articles (Japanese first, English tolerated).

The summary is a list of whole sentences taken verbatim from the article, most important first.

How sentences are scored (general rules for news copy, nothing tuned to particular articles):

0. *Headline.* When the caller passes ``title``, similarity to the headline (same TF-IDF space)
   is added to the score: the headline is the editor's own one-line summary.
1. *Usable sentences only.* A paragraph is split with :func:`split_sentences`. Fragments without a
   sentence terminator are image captions, headings, bylines or link labels (``＜関連記事＞``) and
   are skipped; so are questions (usually sub-headings such as 「……とは？」), bare quotations with
   no speaker (「……」), and sentences that are very short. Sentences over about 40 characters are
   penalised in proportion to their length: a bullet should be short.
2. *Position prior.* News is written in inverted-pyramid style: the earlier a usable sentence, the
   more likely it carries the lede.
3. *Centrality.* TF-IDF cosine between the sentence and the whole document, over character
   bigrams (NFKC, letters and digits only; IDF computed over the document's own sentences), so no
   tokenizer is needed and it runs in about a millisecond.
4. *Redundancy.* Maximal marginal relevance: each next pick is penalised by its similarity to the
   sentences already picked.
5. *Context.* Sentences that open with a connective or demonstrative pointing back to the previous
   sentence (しかし, これに対し, 同氏 ...) read badly as stand-alone bullets and get a small penalty.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .sentences import is_terminated, split_sentences

__all__ = ["summarize", "bullet_count", "usable_sentences", "Candidate", "MIN_BULLETS", "MAX_BULLETS"]

MIN_BULLETS = 5
MAX_BULLETS = 10

# Length limits in characters (Japanese counts; English sentences are scaled, see _length).
# Bullets read best when short: sentences over _LONG_CHARS are penalised in proportion.
_MIN_CHARS = 12
_LONG_CHARS = 40
_MAX_CHARS = 400

# Scoring weights.
_W_POSITION = 0.6
_W_CENTRALITY = 0.4
_W_TITLE = 0.4  # only when a headline is given
_POSITION_DECAY = 1.0  # prior = 1 / (1 + rank) ** decay, rank among usable sentences
_LENGTH_EXPONENT = 1.0
_MMR_LAMBDA = 0.3
_BACKREF_PENALTY = 0.9

_BACKREF = re.compile(
    r"^(しかし|だが|ただ|ただし|また|さらに|一方|これ|それ|この|その|こうした|そうした|同氏|同社|同国|同じ|"
    r"彼は|彼女は|彼らは|But |However|Also |He |She |They |It |This |That |These )"
)
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_NOT_ALNUM = re.compile(r"[\W_]+")
_QUOTE_ONLY = re.compile(r"^[「『“\"].*[」』”\"]$")


@dataclass(frozen=True, slots=True)
class Candidate:
    index: int  # position among all sentences of the article
    text: str


def _as_text(paragraphs: list[str] | str) -> str:
    if isinstance(paragraphs, str):
        return paragraphs
    return "\n".join(p for p in paragraphs if p)


def _length(sentence: str) -> float:
    """Length in 'Japanese characters': ASCII letters count a third (an English word ~ 2 kanji)."""
    return len(sentence) - len(_ASCII_LETTERS.findall(sentence)) * 2 / 3


def _usable(sentence: str) -> bool:
    s = sentence.strip()
    if not is_terminated(s):
        return False
    if s.rstrip("」』）)”\"' ").endswith(("？", "?")):
        return False
    if _QUOTE_ONLY.match(s) and s.count("「") <= 1 and s.count("『") <= 1:
        return False
    return _MIN_CHARS <= _length(s) <= _MAX_CHARS


def usable_sentences(paragraphs: list[str] | str) -> list[Candidate]:
    """The sentences that may become bullets, in document order; a repeated sentence counts once."""
    seen: set[str] = set()
    candidates = []
    for index, sentence in enumerate(split_sentences(_as_text(paragraphs))):
        key = unicodedata.normalize("NFKC", sentence)
        if _usable(sentence) and key not in seen:
            seen.add(key)
            candidates.append(Candidate(index, sentence))
    return candidates


def bullet_count(paragraphs: list[str] | str) -> int:
    """How many bullets an article deserves.

    5 for an ordinary article, one more for every 5 usable sentences beyond 10, at most 10; short
    texts get fewer (about half their usable sentences, at least 3 when they have that many), and
    never more than there are usable sentences.
    """
    return _bullet_count(len(usable_sentences(paragraphs)))


def _bullet_count(n: int) -> int:
    if n <= 3:
        return n
    if n < 10:
        return min(n, max(3, (n + 1) // 2))
    return max(MIN_BULLETS, min(MAX_BULLETS, MIN_BULLETS + (n - 10) // 5))


def _features(sentence: str) -> Counter:
    chars = _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", sentence).lower())
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def _cosine(a: dict, b: dict, na: float, nb: float) -> float:
    if not na or not nb:
        return 0.0
    if len(a) > len(b):
        a, b = b, a  # walk the shorter vector (a sentence against the whole document, say)
    weight = b.get
    return sum(x * weight(k, 0.0) for k, x in a.items()) / (na * nb)


def _norm(v: dict) -> float:
    return math.sqrt(sum(x * x for x in v.values()))


def summarize(
    paragraphs: list[str] | str, count: int | None = None, *, title: str | None = None
) -> list[str]:
    """Pick ``count`` sentences (default :func:`bullet_count`), most important first.

    ``title`` (the headline, optional) adds a similarity-to-headline feature.
    """
    candidates = usable_sentences(paragraphs)
    if not candidates:
        return []
    if count is None:
        count = _bullet_count(len(candidates))
    count = max(0, min(count, len(candidates)))
    if count == 0:
        return []

    tfs = [_features(c.text) for c in candidates]
    n = len(candidates)
    df: Counter = Counter()
    for tf in tfs:
        df.update(tf.keys())
    idf = {k: math.log((n + 1) / (d + 0.5)) for k, d in df.items()}
    vecs = [{k: (1 + math.log(v)) * idf[k] for k, v in tf.items()} for tf in tfs]
    norms = [_norm(v) for v in vecs]
    doc: dict = {}
    for v in vecs:
        for k, x in v.items():
            doc[k] = doc.get(k, 0.0) + x
    doc_norm = _norm(doc)
    centrality = [_cosine(v, doc, nv, doc_norm) for v, nv in zip(vecs, norms, strict=True)]
    top = max(centrality) or 1.0
    title_sim = [0.0] * n
    if title:
        tv = {k: (1 + math.log(v)) * idf[k] for k, v in _features(title).items() if k in idf}
        tn = _norm(tv)
        title_sim = [_cosine(v, tv, nv, tn) for v, nv in zip(vecs, norms, strict=True)]
    top_title = max(title_sim) or 1.0

    scores = []
    for rank, (cand, cent) in enumerate(zip(candidates, centrality, strict=True)):
        score = (
            _W_POSITION / (1 + rank) ** _POSITION_DECAY
            + _W_CENTRALITY * cent / top
            + _W_TITLE * title_sim[rank] / top_title
        )
        length = _length(cand.text)
        if length > _LONG_CHARS:
            score *= (_LONG_CHARS / length) ** _LENGTH_EXPONENT
        if _BACKREF.match(cand.text):
            score *= _BACKREF_PENALTY
        scores.append(score)

    # Maximal marginal relevance, with each candidate's highest similarity to the picks kept up to date.
    chosen: list[int] = []
    max_sim = [0.0] * n
    # The penalty lowers a score by at most (1 - λ) and one of the `count` best is always left, so
    # a sentence scoring below (1 - λ) times the count-th best can never be picked: skip it.
    floor = (1 - _MMR_LAMBDA) * sorted(scores, reverse=True)[count - 1]
    remaining = {i for i in range(n) if scores[i] >= floor}
    while remaining and len(chosen) < count:
        best = max(remaining, key=lambda i: (scores[i] * (1 - _MMR_LAMBDA * max_sim[i]), -i))
        chosen.append(best)
        remaining.discard(best)
        for i in remaining:
            sim = _cosine(vecs[i], vecs[best], norms[i], norms[best])
            if sim > max_sim[i]:
                max_sim[i] = sim
    return [candidates[i].text.strip() for i in chosen]
