"""Normalising Japanese text: NFKC with offsets back into the original, case and kana folding.

Matching (search, the gazetteer, tag keywords) runs over normalised text while what is shown is cut
from the original, so :func:`nfkc_with_offsets` says where each normalised character came from.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

__all__ = ["fold", "is_katakana", "nfkc_casefold", "nfkc_with_offsets", "normalize"]

# Voiced and semi-voiced sound marks, combining and half-width: NFKC joins them to the kana before
# them (ｶﾞ -> ガ), so they are normalised together with that kana and share its offset.
_SOUND_MARKS = frozenset("\u3099\u309a\uff9e\uff9f")
# Hiragana ぁ..ゖ and the iteration marks ゝゞ sit 0x60 below their katakana.
_HIRAGANA_TO_KATAKANA = {cp: cp + 0x60 for cp in (*range(0x3041, 0x3097), 0x309D, 0x309E)}


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each base character together with the marks that combine with it."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (text[j] in _SOUND_MARKS or unicodedata.combining(text[j])):
            j += 1
        yield i, j
        i = j


def nfkc_with_offsets(text: str, *, lower: bool = False) -> tuple[str, list[int]]:
    """NFKC of ``text`` (lower-cased too with ``lower``) and, for every character of the result, the
    offset of the original character it came from, plus one final entry, ``len(text)``, so that the
    end of a match at the end of the result maps too."""
    parts: list[str] = []
    offsets: list[int] = []
    for start, end in _segments(text):
        piece = unicodedata.normalize("NFKC", text[start:end])
        if lower:
            piece = piece.lower()
        parts.append(piece)
        offsets.extend([start] * len(piece))
    offsets.append(len(text))
    return "".join(parts), offsets


def normalize(text: str) -> str:
    """NFKC, then lower case: the form search indexes and queries (ＮＡＴＯ -> nato, ｶﾞｽ -> ガス)."""
    return unicodedata.normalize("NFKC", text).lower()


def nfkc_casefold(text: str) -> str:
    """NFKC, then case folding (ß -> ss): the form labels and titles are compared in."""
    return unicodedata.normalize("NFKC", text).casefold()


def fold(text: str) -> str:
    """Width and kana folding: NFKC (ﾗｻﾞﾛ -> ラザロ, ＡＩ -> AI), then hiragana to katakana (ばか -> バカ).

    Katakana is the folded form because every hiragana has a katakana twin, not the other way round
    (ヷ, ヺ). Case is left alone."""
    return unicodedata.normalize("NFKC", text).translate(_HIRAGANA_TO_KATAKANA)


def is_katakana(ch: str) -> bool:
    """Whether ``ch`` is a full-width katakana letter (ァ to ヺ) or the long vowel mark ー."""
    return "\u30a1" <= ch <= "\u30fa" or ch == "ー"
