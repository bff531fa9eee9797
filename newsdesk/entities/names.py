"""Names in Japanese text, for the "entities" stage; pure functions, no database.

* :class:`Gazetteer` finds known names (and aliases) by longest match over NFKC-normalised text, so
  金正恩, ラザロ・グループ and 朝鮮中央通信 stay whole. Katakana and ASCII names only match at word
  boundaries (タイ is not found in タイミング, UN not in UNESCO); ASCII names match case-sensitively;
  a name written with ・ also matches without it or with ＝.
* :func:`proper_nouns` takes the tokenizer's proper nouns (固有名詞) outside the spans already matched,
  joining consecutive ones (佐藤 + 一郎, ジョン・スミス) into candidate names.

Offsets are always into the original text: matching runs over normalised text, display uses the
original.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.japanese.normalize import is_katakana, nfkc_with_offsets

if TYPE_CHECKING:
    from newsdesk.japanese.tokens import Token

__all__ = ["Span", "Gazetteer", "proper_nouns"]


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "'-")


@dataclass(frozen=True)
class Span:
    key: int | str  # an entity id (gazetteer) or a candidate's kind
    begin: int
    end: int
    surface: str


class Gazetteer:
    """Names of known entities, matched longest first over normalised text."""

    def __init__(self, names: list[tuple[int, str]]) -> None:
        self._names: dict[str, int] = {}
        for key, name in names:
            for variant in self._variants(name):
                self._names.setdefault(variant, key)
        # Sorted by length so a longer name is always tried before any name inside it.
        self._ordered = sorted(self._names, key=len, reverse=True)

    @staticmethod
    def _variants(name: str) -> set[str]:
        base, _ = nfkc_with_offsets(name.strip())
        if not base:
            return set()
        variants = {base}
        if "・" in base:
            variants |= {base.replace("・", ""), base.replace("・", "=")}
        return variants

    def __len__(self) -> int:
        return len(self._names)

    @staticmethod
    def _bounded(text: str, begin: int, end: int) -> bool:
        first, last = text[begin], text[end - 1]
        before = text[begin - 1] if begin > 0 else ""
        after = text[end] if end < len(text) else ""
        if is_katakana(first) and before and is_katakana(before):
            return False
        if is_katakana(last) and after and is_katakana(after):
            return False
        if _is_ascii_word(first) and before and _is_ascii_word(before):
            return False
        return not (_is_ascii_word(last) and after and (_is_ascii_word(after) and after not in "'-"))

    def find(self, text: str) -> list[Span]:
        """Non-overlapping matches, longest names first, in text order."""
        norm, where = nfkc_with_offsets(text)
        taken = [False] * len(norm)
        found: list[tuple[int, int, int]] = []
        for name in self._ordered:
            start = norm.find(name)
            while start >= 0:
                end = start + len(name)
                if not any(taken[start:end]) and self._bounded(norm, start, end):
                    found.append((start, end, self._names[name]))
                    for k in range(start, end):
                        taken[k] = True
                start = norm.find(name, start + 1)
        spans = []
        for start, end, key in sorted(found):
            begin, stop = where[start], where[end]
            spans.append(Span(key, begin, stop, text[begin:stop]))
        return spans


# Proper nouns from the tokenizer

_KIND_BY_POS = {"人名": "person", "地名": "place"}
_JOINERS = frozenset("・＝=")
# A run of nouns ending like this is a name (東亜エネルギー研究所, 韓国ガス公社, 与那国島).
_PLACE_ENDINGS = (
    "県",
    "市",
    "町",
    "村",
    "島",
    "港",
    "地方",
    "州",
    "区",
    "江",
    "湾",
    "海峡",
    "半島",
    "空港",
    "特区",
    "諸島",
)
_ORG_ENDINGS = (
    "研究所",
    "研究院",
    "研究会",
    "センター",
    "大学",
    "フォーラム",
    "協会",
    "工業会",
    "銀行",
    "証券",
    "公社",
    "機構",
    "事務局",
    "本部",
    "漁協",
    "財団",
    "鉄道",
    "電力",
    "評論",
    "通信",
    "新聞",
    "グループ",
    "パートナーズ",
)
# Government bodies are named with common nouns only (金融委員会, 海洋水産部, 気象庁).
_GOVERNMENT_ENDINGS = ("省", "庁", "部", "委員会", "署", "局", "院")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]+")


def _candidate_kind(pos: tuple[str, ...]) -> str:
    kind = _KIND_BY_POS.get(pos[2], "organisation")
    if kind == "place" and len(pos) > 3 and pos[3] == "国":
        return "country"
    return kind


def _is_proper(token: Token) -> bool:
    return token.pos1 == "名詞" and token.pos[1] == "固有名詞"


def _in_run(token: Token, run: list[Token]) -> bool:
    """Whether ``token`` continues a run of nouns that may form a name."""
    if token.pos1 == "名詞":
        if token.pos[2] == "副詞可能" or (token.pos[1] == "数詞" and not run):
            return False
        return not (run and run[-1].surface in _JOINERS and not all(map(is_katakana, token.surface)))
    if token.pos1 == "接尾辞" and token.pos[1] == "名詞的":
        return bool(run)
    return token.surface in _JOINERS and bool(run) and is_katakana(run[-1].surface[-1])


def _names_in_run(text: str, run: list[Token], is_known: Callable[[Token], bool]) -> list[Span]:
    while run and run[-1].surface in _JOINERS:
        run = run[:-1]
    if not run:
        return []
    begin, end = run[0].begin, run[-1].end
    surface = text[begin:end]
    inside_known = [is_known(t) for t in run]
    if len(run) >= 2 and not inside_known[-1]:
        markers = any(_is_proper(t) or is_katakana(t.surface[0]) or t.surface.isascii() for t in run)
        if surface.endswith(_PLACE_ENDINGS) and (markers or any(inside_known)):
            return [Span("place", begin, end, surface)]
        if surface.endswith(_ORG_ENDINGS) and (markers or any(inside_known)):
            return [Span("organisation", begin, end, surface)]
        if surface.endswith(_GOVERNMENT_ENDINGS):
            return [Span("organisation", begin, end, surface)]
    # Otherwise the names inside the run: proper nouns, acronyms, katakana joined by ・.
    spans: list[Span] = []
    group: list[Token] = []

    def close() -> None:
        while group and group[-1].surface in _JOINERS:
            group.pop()
        named = [t for t in group if _is_proper(t) or _ACRONYM.fullmatch(t.surface)]
        if named or any(t.surface in _JOINERS for t in group):
            # Katakana common nouns count only when joined by ・ (ジョン・スミス); else keep the names.
            if not any(t.surface in _JOINERS for t in group):
                while group and not (_is_proper(group[0]) or _ACRONYM.fullmatch(group[0].surface)):
                    group.pop(0)
                while group and not (_is_proper(group[-1]) or _ACRONYM.fullmatch(group[-1].surface)):
                    group.pop()
            surface = text[group[0].begin : group[-1].end]
            proper = next((t for t in group if _is_proper(t)), None)
            spans.append(
                Span(
                    _candidate_kind(proper.pos) if proper else "organisation",
                    group[0].begin,
                    group[-1].end,
                    surface,
                )
            )
        group.clear()

    for token, known in zip(run, inside_known, strict=True):
        katakana = all(map(is_katakana, token.surface))
        joined = bool(group) and group[-1].surface in _JOINERS
        nameish = _is_proper(token) or bool(_ACRONYM.fullmatch(token.surface)) or katakana
        if known or not nameish and not (token.surface in _JOINERS and group):
            close()
        elif token.surface in _JOINERS or joined or not group or nameish:
            group.append(token)
    close()
    return spans


def proper_nouns(text: str, skip: Sequence[Span] = ()) -> list[Span]:
    """Candidate names the gazetteer does not know, from the tokenizer: runs of proper nouns
    (佐藤 + 一郎), katakana names joined by ・ (ジョン・スミス), acronyms (JERA), and runs of nouns
    ending like an organisation or place (東亜エネルギー研究所, 韓国ガス公社, 与那国島, 金融委員会).
    Each has a guessed kind; names already matched (``skip``) are not proposed again."""
    from newsdesk.japanese.tokens import tokenize

    blocked = [(span.begin, span.end) for span in skip]
    known = {span.surface for span in skip}

    def is_known(token: Token) -> bool:
        return any(token.begin < end and begin < token.end for begin, end in blocked)

    out: list[Span] = []
    run: list[Token] = []
    for token in [*tokenize(text), None]:
        if token is not None and _in_run(token, run) and (not run or token.begin == run[-1].end):
            run.append(token)
            continue
        out.extend(_names_in_run(text, run, is_known))
        run = [token] if token is not None and _in_run(token, []) else []
    return [
        span
        for span in out
        if len(span.surface) > 1 and not span.surface.isdigit() and span.surface not in known
    ]
