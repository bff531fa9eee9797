"""Japanese tokenization with SudachiPy.

* One :class:`sudachipy.Dictionary` per process, created lazily on first use (loading takes a few
  hundred milliseconds) and shared; one tokenizer per (thread, split mode), because a Sudachi
  tokenizer must not be used from two threads at once.
* Sudachi rejects inputs over 49,149 UTF-8 bytes; :func:`tokenize` cuts long texts at line breaks and
  sentence ends (hard cuts only as a last resort) and fixes up the offsets, so any length works.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from typing import Literal

from .sentences import split_sentences

__all__ = ["Token", "tokenize", "content_words", "get_tokenizer", "warm_up", "MAX_CHUNK_BYTES"]

Mode = Literal["A", "B", "C"]

# Sudachi's hard limit is 49,149 bytes; stay well below it.
MAX_CHUNK_BYTES = 16_000

_dictionary = None
_dictionary_lock = threading.Lock()
_local = threading.local()


class Token:
    """One morpheme. Its readings are looked up when first asked for: most callers need only one or
    two of them, and building them all for every morpheme cost as much as the tokenizing itself."""

    __slots__ = ("_morpheme", "_offset", "surface")

    def __init__(self, morpheme, offset: int, surface: str) -> None:
        self._morpheme, self._offset, self.surface = morpheme, offset, surface

    def __repr__(self) -> str:
        return f"Token({self.surface!r}, {self.pos1})"

    @property
    def normalized(self) -> str:
        """Sudachi's normalized form (表記ゆれ unified, inflection to base form)."""
        return self._morpheme.normalized_form()

    @property
    def dictionary_form(self) -> str:
        return self._morpheme.dictionary_form()

    @property
    def pos(self) -> tuple[str, ...]:
        """6-level part of speech, e.g. ("名詞", "固有名詞", "人名", "姓", "*", "*")."""
        return _pos(self._morpheme.part_of_speech_id())

    @property
    def begin(self) -> int:
        """Character offset into the text given to tokenize()."""
        return self._offset + self._morpheme.begin()

    @property
    def end(self) -> int:
        return self._offset + self._morpheme.end()

    @property
    def pos1(self) -> str:
        return self.pos[0]


def _get_dictionary():
    global _dictionary
    if _dictionary is None:
        with _dictionary_lock:
            if _dictionary is None:
                from sudachipy import Dictionary

                _dictionary = Dictionary()
    return _dictionary


def get_tokenizer(mode: Mode = "C"):
    """The calling thread's Sudachi tokenizer for ``mode`` (created on first use)."""
    cache = getattr(_local, "tokenizers", None)
    if cache is None:
        cache = _local.tokenizers = {}
    tok = cache.get(mode)
    if tok is None:
        from sudachipy import SplitMode

        tok = cache[mode] = _get_dictionary().tokenizer(getattr(SplitMode, mode))
    return tok


def warm_up() -> None:
    """Load the dictionary now (e.g. at worker start) instead of on the first request."""
    get_tokenizer("C").tokenize("準備")


_LINES = re.compile(r"[^\n]+")


def _chunks(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Yield (offset, piece) covering the lines of ``text``, every piece at most ``limit`` UTF-8 bytes.

    Lines are tokenized one by one (a token never spans a line break); only a line over the limit
    is cut further, after sentence ends, so morphology is not disturbed.
    """
    for line in _LINES.finditer(text):
        piece = line.group()
        if len(piece) * 4 <= limit or len(piece.encode("utf-8")) <= limit:
            yield line.start(), piece
        else:
            yield from ((line.start() + offset, part) for offset, part in _cut_long_line(piece, limit))


def _cut_long_line(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Pieces of one long line, cut after sentence ends; a single sentence over the limit by size."""
    # prefix[i] = UTF-8 size of text[:i]
    prefix = [0]
    for ch in text:
        prefix.append(prefix[-1] + len(ch.encode("utf-8")))
    cuts: list[int] = []
    pos = 0
    for sentence in split_sentences(text):
        at = text.find(sentence, pos)
        if at >= 0:
            pos = at + len(sentence)
            cuts.append(pos)
    cuts.append(len(text))
    start = 0
    last_ok = 0
    for cut in cuts:
        while prefix[cut] - prefix[start] > limit:
            if last_ok > start:
                yield start, text[start:last_ok]
                start = last_ok
                continue
            # hard cut: the longest prefix under the limit
            end = start + 1
            while end < cut and prefix[end + 1] - prefix[start] <= limit:
                end += 1
            yield start, text[start:end]
            start = last_ok = end
        last_ok = cut
    if start < len(text):
        yield start, text[start:]


def tokenize(text: str, mode: Mode = "C") -> list[Token]:
    """Tokenize ``text``; whitespace-only tokens are dropped."""
    if not text:
        return []
    tok = get_tokenizer(mode)
    out: list[Token] = []
    for offset, piece in _chunks(text, MAX_CHUNK_BYTES):
        for m in tok.tokenize(piece):
            surface = m.surface()
            if not surface.strip():
                continue
            out.append(Token(m, offset, surface))
    return out


@functools.cache
def _pos(pos_id: int) -> tuple[str, ...]:
    # A few hundred distinct tags: looking each up once saves building a tuple per token.
    return tuple(_get_dictionary().pos_of(pos_id))


_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞"})
_SKIP_POS2 = frozenset({"数詞", "非自立可能", "代名詞"})
_STOP = frozenset(
    """
    為る 居る 有る 成る 言う 云う 思う 見る 来る 行く 出来る 呉れる 貰う 行う 良い 無い 事 物 所 時 方 為
    """.split()  # noqa: SIM905
)


def content_words(text: str, mode: Mode = "C") -> list[str]:
    """Normalized base forms of the nouns, verbs and adjectives in ``text``.

    No particles, auxiliaries, symbols, numbers, pronouns or light verbs (する, いる, ある, なる ...).
    ASCII words are lower-cased.
    """
    words: list[str] = []
    for t in tokenize(text, mode):
        if t.pos1 not in _CONTENT_POS or (len(t.pos) > 1 and t.pos[1] in _SKIP_POS2):
            continue
        word = t.normalized or t.surface
        if word in _STOP or not any(c.isalnum() for c in word):
            continue
        words.append(word.lower() if word.isascii() else word)
    return words
