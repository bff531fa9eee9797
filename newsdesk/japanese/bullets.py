"""Checks on a list of summary bullets against its article: where each bullet comes from, whether
the list follows the article's order, and which bullets open by pointing back at a sentence the
reader has not been shown.

Bullets are placed by the article's sentences (:func:`split_sentences` over the paragraphs joined
by line breaks, the numbering :func:`newsdesk.japanese.summarize.usable_sentences` uses too): a
bullet taken from the text (perhaps without its opening connective) is found in its sentence; a
bullet written in other words (an LLM's) is placed at the sentence most like it (character-bigram
TF-IDF cosine), or nowhere when no sentence is like it enough.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from .openers import back_pointing_opener
from .sentences import split_sentences

__all__ = ["article_sentences", "source_positions", "in_article_order", "dangling_openers"]

# Below this similarity a reworded bullet is not placed anywhere (it is then ignored by the order
# check rather than guessed at).
_MIN_SIMILARITY = 0.2
_NOT_ALNUM = re.compile(r"[\W_]+")


def article_sentences(paragraphs: Sequence[str] | str) -> list[str]:
    text = paragraphs if isinstance(paragraphs, str) else "\n".join(p for p in paragraphs if p)
    return split_sentences(text)


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())


def _bigrams(text: str) -> Counter:
    chars = _key(text)
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def source_positions(bullets: Sequence[str], paragraphs: Sequence[str] | str) -> list[int | None]:
    """For each bullet, the index of the article sentence it comes from (``None``: not placed)."""
    sentences = article_sentences(paragraphs)
    keys = [_key(s) for s in sentences]
    positions: list[int | None] = []
    vectors: list[dict[str, float]] | None = None
    idf: dict[str, float] = {}
    for bullet in bullets:
        key = _key(bullet)
        exact = next((i for i, k in enumerate(keys) if key and key in k), None) if key else None
        if exact is not None:
            positions.append(exact)
            continue
        if vectors is None:
            tfs = [_bigrams(s) for s in sentences]
            df: Counter = Counter()
            for tf in tfs:
                df.update(tf.keys())
            n = len(sentences)
            idf = {k: math.log((n + 1) / (d + 0.5)) for k, d in df.items()}
            vectors = [{k: (1 + math.log(v)) * idf[k] for k, v in tf.items()} for tf in tfs]
        bv = {k: (1 + math.log(v)) * idf[k] for k, v in _bigrams(bullet).items() if k in idf}
        bn = math.sqrt(sum(x * x for x in bv.values()))
        best, best_sim = None, _MIN_SIMILARITY
        for i, sv in enumerate(vectors):
            sn = math.sqrt(sum(x * x for x in sv.values()))
            if not bn or not sn:
                continue
            sim = sum(x * sv.get(k, 0.0) for k, x in bv.items()) / (bn * sn)
            if sim > best_sim:
                best, best_sim = i, sim
        positions.append(best)
    return positions


def in_article_order(positions: Sequence[int | None]) -> bool:
    """Whether the placed bullets follow the article (bullets not placed are left out)."""
    placed = [p for p in positions if p is not None]
    return all(a <= b for a, b in zip(placed, placed[1:], strict=False))


def dangling_openers(bullets: Sequence[str], positions: Sequence[int | None]) -> list[int]:
    """Indexes of the bullets that open with a back-pointing word (:mod:`.openers`) although the
    bullet before them is not the sentence right before them in the article (their antecedent)."""
    dangling = []
    for k, bullet in enumerate(bullets):
        if back_pointing_opener(bullet) is None:
            continue
        here, before = positions[k], positions[k - 1] if k else None
        if here is None or before is None or before != here - 1:
            dangling.append(k)
    return dangling
