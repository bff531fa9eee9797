"""Extractive summarizer for news articles (Japanese first, English tolerated).

The summary is a list of sentences taken from the article (verbatim, or without an opening
connective), 3 to 10 by the article's length, that together span the article, in the order the
article tells them: a reader who goes down the list follows the story as written.

How sentences are scored (general rules for news copy, nothing tuned to particular articles):

0. *Headline.* When the caller passes ``title``, similarity to the headline (same TF-IDF space)
   is added to the score: the headline is the editor's own one-line summary.
1. *Usable sentences only.* A paragraph is split with :func:`split_sentences`. Fragments without a
   sentence terminator are image captions, headings, bylines or link labels (``＜関連記事＞``) and
   are skipped; so are questions (usually sub-headings such as 「……とは？」), bare quotations with
   no speaker (「……」), and sentences that are very short. Sentences over about 45 characters are
   penalised more than in proportion to their length: a bullet should be short.
2. *Position prior.* News is written in inverted-pyramid style: the earlier a usable sentence, the
   more likely it carries the lede.
3. *Centrality.* TF-IDF cosine between the sentence and the whole document, over character
   bigrams (NFKC, letters and digits only; IDF computed over the document's own sentences), so no
   tokenizer is needed and it runs in about a millisecond.

How they are picked:

4. *Redundancy.* Maximal marginal relevance: each next pick is penalised by its similarity to the
   sentences already picked, and to the lead (standfirst) when the caller passes ``lead``: the page
   shows the lead above the bullets. A sentence equal to a sentence of the lead is never picked.
5. *Coverage.* The usable sentences are cut into as many consecutive sections as there are
   bullets to pick; a sentence whose section already has a bullet counts for half, so the picks
   spread over the whole article before a section gets a second one (an important passage still
   can). The picks are then put back in the article's order.
6. *Standing alone.* A bullet is read without the sentences around it, so a sentence opening with
   a word that points back at the sentence before it (:mod:`.openers`) is used only as the next
   bullet after that sentence, verbatim; elsewhere it loses its opener when that is a connective
   (「しかし、」「また、」「一方、」: the rest means the same), and is not picked when it is a
   reference (「これは」「同氏は」「その後の」: it cannot stand alone).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import repeat
from operator import mul

from .openers import stand_alone
from .sentences import is_terminated, split_sentences

__all__ = ["summarize", "bullet_count", "usable_sentences", "Candidate", "MIN_BULLETS", "MAX_BULLETS"]

MIN_BULLETS = 3
MAX_BULLETS = 10

# Length limits in characters (Japanese counts; English sentences are scaled, see _length).
# Bullets read best when short: sentences over _LONG_CHARS are penalised by (_LONG_CHARS / length)
# ** _LENGTH_EXPONENT, more than in proportion to their length.
_MIN_CHARS = 12
_LONG_CHARS = 45
_MAX_CHARS = 400

# Scoring weights.
_W_POSITION = 0.6
_W_CENTRALITY = 0.4
_W_TITLE = 0.4  # only when a headline is given
_POSITION_DECAY = 1.0  # prior = 1 / (1 + rank) ** decay, rank among usable sentences
_LENGTH_EXPONENT = 1.5
_MMR_LAMBDA = 0.3
_SECTION_PENALTY = 0.5  # a sentence in a section that has a bullet already

_NOT_ASCII_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())
_NOT_ALNUM = re.compile(r"[\W_]+")
_QUOTE_ONLY = re.compile(r"^[「『“\"].*[」』”\"]$")


class _TfWeights(dict):
    """1 + log(count), the weight of a term counted ``count`` times in a sentence, computed once."""

    def __missing__(self, count: int) -> float:
        weight = self[count] = 1 + math.log(count)
        return weight


_TF_WEIGHT = _TfWeights()


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
    # The ASCII letters, counted in C: the other characters dropped, then the other bytes.
    letters = len(sentence.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTER))
    return len(sentence) - letters * 2 / 3


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
    return [candidate for candidate, _ in _usable_normalized(paragraphs)]


def _usable_normalized(paragraphs: list[str] | str) -> list[tuple[Candidate, str]]:
    """``usable_sentences`` with each sentence's NFKC form (normalised once, reused by the caller)."""
    seen: set[str] = set()
    candidates = []
    for index, sentence in enumerate(split_sentences(_as_text(paragraphs))):
        key = unicodedata.normalize("NFKC", sentence)
        if _usable(sentence) and key not in seen:
            seen.add(key)
            candidates.append((Candidate(index, sentence), key))
    return candidates


def bullet_count(paragraphs: list[str] | str) -> int:
    """How many bullets an article deserves.

    One for every 4 usable sentences, at least 3 (a short article) and at most 10 (a long one), and
    never more than there are usable sentences.
    """
    return _bullet_count(len(usable_sentences(paragraphs)))


def _bullet_count(n: int) -> int:
    return min(n, max(MIN_BULLETS, min(MAX_BULLETS, (n + 2) // 4)))


def _features(sentence: str) -> Counter:
    return _bigrams(_key(sentence))


def _bigrams(chars: str) -> Counter:
    """Character bigrams of a key (see ``_key``), counted, in the order they first occur."""
    return Counter(map(str.__add__, chars, chars[1:]))


def _cosine(a: dict, b: dict, na: float, nb: float) -> float:
    if not na or not nb:
        return 0.0
    if len(a) > len(b):
        a, b = b, a  # walk the shorter vector (a sentence against the whole document, say)
    # sum(x * b.get(k, 0.0) for k, x in a.items()), term by term in C
    return sum(map(mul, a.values(), map(b.get, a, repeat(0.0)))) / (na * nb)


def _norm(v: dict) -> float:
    return math.sqrt(sum(map(mul, v.values(), v.values())))


def _lead_keys(lead: str | None) -> list[str]:
    return [k for k in (_key(s) for s in split_sentences(lead or "")) if k]


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())


def _in_lead(key: str, lead_keys: list[str]) -> bool:
    """Whether the sentence of this key (``_key``) is one of the lead's (or part of one), ignoring
    punctuation and width."""
    return bool(key) and any(key in lead_key for lead_key in lead_keys)


def summarize(
    paragraphs: list[str] | str,
    count: int | None = None,
    *,
    title: str | None = None,
    lead: str | None = None,
) -> list[str]:
    """Pick ``count`` sentences (default :func:`bullet_count`) that span the article, in its order.

    ``title`` (the headline, optional) adds a similarity-to-headline feature. ``lead`` (the
    standfirst, shown above the bullets) is not repeated: a sentence equal to one of its sentences,
    or part of it, is never a bullet, and sentences like it count as already said.
    """
    lead_keys = _lead_keys(lead)
    # Each sentence's key (NFKC, lower case, letters and digits: see _key), made once for the lead
    # test and the features.
    keyed = [(c, _NOT_ALNUM.sub("", normalized.lower())) for c, normalized in _usable_normalized(paragraphs)]
    keyed = [(c, key) for c, key in keyed if not _in_lead(key, lead_keys)]
    candidates = [c for c, _ in keyed]
    if not candidates:
        return []
    if count is None:
        count = _bullet_count(len(candidates))
    count = max(0, min(count, len(candidates)))
    if count == 0:
        return []
    n = len(candidates)

    # What each sentence reads as on its own: without a droppable connective, or nothing (None)
    # when it opens with a reference (これは、同氏は ...) and so needs the sentence before it.
    alone: list[str | None] = []
    for cand in candidates:
        text = stand_alone(cand.text, named=f"{title or ''}\n{lead or ''}")
        alone.append(text if text is not None and _usable(text) else None)
    rank_of = {cand.index: rank for rank, cand in enumerate(candidates)}
    previous = [rank_of.get(cand.index - 1) for cand in candidates]  # the antecedent, if usable

    tfs = [_bigrams(key) for _, key in keyed]
    df: Counter = Counter()
    for tf in tfs:
        df.update(tf.keys())
    idf = {k: math.log((n + 1) / (d + 0.5)) for k, d in df.items()}
    # {k: (1 + math.log(v)) * idf[k] for k, v in tf.items()}, term by term in C
    vecs = [
        dict(
            zip(tf, map(mul, map(_TF_WEIGHT.__getitem__, tf.values()), map(idf.__getitem__, tf)), strict=True)
        )
        for tf in tfs
    ]
    norms = [_norm(v) for v in vecs]
    doc: dict = {}
    for v in vecs:
        for k, x in v.items():
            doc[k] = doc.get(k, 0.0) + x
    doc_norm = _norm(doc)
    centrality = [_cosine(v, doc, nv, doc_norm) for v, nv in zip(vecs, norms, strict=True)]
    top = max(centrality) or 1.0

    def similarity_to(text: str) -> list[float]:
        tv = {k: (1 + math.log(v)) * idf[k] for k, v in _features(text).items() if k in idf}
        tn = _norm(tv)
        return [_cosine(v, tv, nv, tn) for v, nv in zip(vecs, norms, strict=True)]

    title_sim = similarity_to(title) if title else [0.0] * n
    top_title = max(title_sim) or 1.0

    scores = []
    for rank, cand in enumerate(candidates):
        score = (
            _W_POSITION / (1 + rank) ** _POSITION_DECAY
            + _W_CENTRALITY * centrality[rank] / top
            + _W_TITLE * title_sim[rank] / top_title
        )
        length = _length(alone[rank] or cand.text)
        if length > _LONG_CHARS:
            score *= (_LONG_CHARS / length) ** _LENGTH_EXPONENT
        scores.append(score)

    # Coverage: the article is cut into `count` sections of equal numbers of usable sentences, and
    # a sentence in a section that already has a bullet counts for less, so the bullets spread over
    # the whole article before a section gets a second one.
    section = [rank * count // n for rank in range(n)]
    filled: set[int] = set()
    # Redundancy (maximal marginal relevance): each candidate's highest similarity to what the
    # reader already has, the lead included.
    max_sim = [0.0] * n
    if lead:
        max_sim = [max(0.0, s) for s in similarity_to(lead)]
    chosen: set[int] = set()
    remaining = set(range(n))
    picks: list[int] = []  # the chosen, in the order they were picked
    # max_sim[i] takes in the similarities to picks[:applied[i]] only: the rest are added when i
    # comes near the top (see below), not for every candidate after every pick.
    applied = [0] * n

    def key(i: int) -> tuple[float, int]:
        penalty = _SECTION_PENALTY if section[i] in filled else 1.0
        return (scores[i] * (1 - _MMR_LAMBDA * max_sim[i]) * penalty, -i)

    while remaining and len(chosen) < count:
        eligible = [i for i in remaining if alone[i] is not None or previous[i] in chosen]
        if not eligible:
            break
        # The eligible sentence of the highest key, as if every max_sim were up to date. A key made
        # with a max_sim still missing picks is an upper bound of the up-to-date one (a higher
        # similarity only lowers it, in floating point too), so the candidates are brought up to
        # date in the order of their bounds, until the next bound falls below the best key found:
        # the pick and every similarity it depends on are the same, most of them never computed.
        best, best_key = -1, (-math.inf, 0)
        for bound, i in sorted(((key(i), i) for i in eligible), reverse=True):
            if bound < best_key:
                break
            for picked in picks[applied[i] :]:
                sim = _cosine(vecs[i], vecs[picked], norms[i], norms[picked])
                if sim > max_sim[i]:
                    max_sim[i] = sim
            applied[i] = len(picks)
            if (up_to_date := key(i)) > best_key:
                best, best_key = i, up_to_date
        chosen.add(best)
        filled.add(section[best])
        remaining.discard(best)
        picks.append(best)

    bullets = []
    for i in sorted(chosen):
        # Verbatim after its antecedent; on its own otherwise (never None: see `eligible`).
        text = candidates[i].text if previous[i] in chosen else alone[i]
        bullets.append((text or candidates[i].text).strip())
    return bullets
