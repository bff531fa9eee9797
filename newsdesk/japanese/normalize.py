"""Normalising Japanese text: NFKC with offsets back into the original, case and kana folding.

Matching (search, the gazetteer, tag keywords) runs over normalised text while what is shown is cut
from the original, so :func:`nfkc_with_offsets` says where each normalised character came from.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

__all__ = [
    "fold",
    "is_hiragana",
    "is_katakana",
    "nfkc_casefold",
    "nfkc_with_offsets",
    "normalize",
    "search_form",
]

# Voiced and semi-voiced sound marks, combining and half-width: NFKC joins them to the kana before
# them (ｶﾞ -> ガ), so they are normalised together with that kana and share its offset.
_SOUND_MARKS = frozenset("\u3099\u309a\uff9e\uff9f")
# Hiragana ぁ..ゖ and the iteration marks ゝゞ sit 0x60 below their katakana.
_HIRAGANA_TO_KATAKANA = {cp: cp + 0x60 for cp in (*range(0x3041, 0x3097), 0x309D, 0x309E)}


# Letters that are no combining marks yet compose with the letter before them: Hangul's vowel and
# final jamo (ᄀ + ᅡ = 가) and a few vowel and length signs of Indic and other scripts (ே + ா = ொ).
# NFKC of a whole text joins them, so they are normalised with the letter before them too.
# tests/fuzz/test_fuzz_japanese.py checks this list against the Unicode database.
_COMPOSE_WITH_PREVIOUS = frozenset(
    [chr(cp) for cp in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))]
    + [
        chr(cp)
        for cp in (
            0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E,
            0x0D57, 0x0DCF, 0x0DDF, 0x0FB5, 0x0FB7, 0x102E, 0x1B35, 0x11127, 0x1133E, 0x11357,
            0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930,
        )
    ]
)  # fmt: skip


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each base character together with what combines with it: its marks, and a
    letter that composes with it."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (
            text[j] in _SOUND_MARKS or text[j] in _COMPOSE_WITH_PREVIOUS or unicodedata.combining(text[j])
        ):
            j += 1
        yield i, j
        i = j


def nfkc_with_offsets(text: str, *, lower: bool = False, kana: bool = False) -> tuple[str, list[int]]:
    """NFKC of ``text`` (lower-cased too with ``lower``, hiragana folded to katakana with ``kana``:
    then the result is :func:`search_form`) and, for every character of the result, the
    offset of the original character it came from, plus one final entry, ``len(text)``, so that the
    end of a match at the end of the result maps too."""
    parts: list[str] = []
    offsets: list[int] = []
    for start, end in _segments(text):
        piece = unicodedata.normalize("NFKC", text[start:end])
        if kana:
            piece = piece.translate(_HIRAGANA_TO_KATAKANA)
        parts.append(piece)
        # Lower case can lengthen a piece (İ -> i̇), so the offsets count the lower-cased piece.
        offsets.extend([start] * len(piece.lower() if lower else piece))
    offsets.append(len(text))
    result = "".join(parts)
    # Lower case of the whole, as search_form does: a Σ ending a word is ς, which the piece alone
    # cannot tell (only Σ looks at its neighbours, and it stays one character either way).
    return (result.lower() if lower else result), offsets


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


def search_form(text: str) -> str:
    """:func:`fold`, then lower case: what search indexes and queries compare (ﾗｻﾞﾛ = らざろ = ラザロ,
    ＮＡＴＯ = nato). Folding kana never changes a length, so offsets from :func:`nfkc_with_offsets`
    (``lower=True, kana=True``) map it back into the original."""
    return fold(text).lower()


def is_hiragana(ch: str) -> bool:
    """Whether ``ch`` is a hiragana letter (ぁ to ゖ) or an iteration mark (ゝ ゞ)."""
    return "\u3041" <= ch <= "\u3096" or ch in "\u309d\u309e"


def is_katakana(ch: str) -> bool:
    """Whether ``ch`` is a full-width katakana letter (ァ to ヺ) or the long vowel mark ー."""
    return "\u30a1" <= ch <= "\u30fa" or ch == "ー"


def fold_word(word: str) -> str:
    """How a listed word (an NG word, a spam word) is compared: NFKC, case folded, no white space,
    hiragana as katakana (ばか, バカ and ﾊﾞｶ are one word)."""
    return "".join(unicodedata.normalize("NFKC", word).casefold().split()).translate(_HIRAGANA_TO_KATAKANA)


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class WordText:
    """A text to look for listed words in, as whole words, through width and kana folding.

    ``plain`` is the text NFKC'd, case folded and without white space (「死　ね」 is 死ね); ``folded``
    is the same with hiragana as katakana, of the same length, so a match in one is a span of the
    other. A match counts only when both of its edges are word edges: where white space was taken
    out (so 「b a d」 is still bad), the ends of the text, or else judged on ``plain`` (where the
    scripts are still apart) by the two characters that meet there:

    - katakana beside katakana is inside one word (カス in カステラ or ラスカス): no edge;
    - a letter or digit of ASCII beside another is inside one word (ass in class): no edge;
    - where hiragana meets anything, the edge must fall between two of SudachiPy's tokens: しね is
      a word in お前しね but not in わたしね, ばか in ばかだな but not in ばかり, which no rule on
      characters can tell apart (the tokenizer runs only for such a candidate);
    - anything else (kanji beside kanji, or a change of script such as katakana to kanji) is an
      edge: kanji compounds have no visible boundary, so a kanji word matches as a substring.
    """

    def __init__(self, text: str) -> None:
        kept: list[str] = []
        self.gaps: set[int] = set()  # where white space was taken out: always a word edge
        for ch in unicodedata.normalize("NFKC", text).casefold():
            if ch.isspace():
                self.gaps.add(len(kept))
            else:
                kept.append(ch)
        self.plain = "".join(kept)
        self.folded = self.plain.translate(_HIRAGANA_TO_KATAKANA)
        self._token_edges: set[int] | None = None

    def token_edges(self) -> set[int]:
        if self._token_edges is None:
            from newsdesk.japanese.tokens import tokenize

            edges = {0, len(self.plain)}
            for token in tokenize(self.plain):
                edges.update((token.begin, token.end))
            self._token_edges = edges
        return self._token_edges

    def is_edge(self, at: int) -> bool:
        """Whether a word may begin or end between ``plain[at - 1]`` and ``plain[at]``."""
        if at <= 0 or at >= len(self.plain) or at in self.gaps:
            return True
        before, after = self.plain[at - 1], self.plain[at]
        if is_katakana(before) and is_katakana(after):
            return False
        if _is_ascii_alnum(before) and _is_ascii_alnum(after):
            return False
        if is_hiragana(before) or is_hiragana(after):
            return at in self.token_edges()
        return True

    def contains(self, word: str) -> bool:
        """Whether ``word`` (already :func:`fold_word`-ed) stands in the text as a whole word."""
        if not word:
            return False
        start = self.folded.find(word)
        while start >= 0:
            if self.is_edge(start) and self.is_edge(start + len(word)):
                return True
            start = self.folded.find(word, start + 1)
        return False
