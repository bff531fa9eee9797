"""Text handling shared by the search backends: folding, query terms, grams, snippets.

Documents and queries go through the same ``search_form`` (NFKC width folding, hiragana to
katakana, lower case), so ＮＡＴＯ finds NATO, ｶﾞ finds ガ and ﾗｻﾞﾛ or らざろ find ラザロ. Snippets
are cut from the original text, mapped through the folding.

A query is an AND of terms; each term is an OR of its alternatives: the term as typed, then the
other names of the gazetteer entity it names (``newsdesk.search.aliases``). ``Query.terms`` stays
what the reader typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsdesk.japanese.normalize import nfkc_with_offsets, search_form

MAX_TERMS = 8
MAX_QUERY_CHARS = 200


class QueryError(ValueError):
    """A query that cannot be searched (too long, too many terms); its message is for the reader."""


# The supplementary private use planes: entity tokens (``search.tokens``) are written with them,
# so no text or query holds them and a document cannot pose as naming an entity.
_PRIVATE = re.compile("[\U000f0000-\U0010ffff]")


def _folded(text: str) -> str:
    form = search_form(text)
    return _PRIVATE.sub("", form) if form and max(form) >= "\U000f0000" else form


def document_text(text: str) -> str:
    """Folding for indexing: the same as for queries."""
    return _folded(text)


def is_short(term: str) -> bool:
    """One or two characters: served by the unigram/bigram side index, not the trigram one."""
    return len(term) < 3


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]
    # One tuple of alternatives per term, the term itself first; empty: each term alone.
    alternatives: tuple[tuple[str, ...], ...] = ()
    # One tuple per term: the gazetteer entities it names, whose every name it also searches.
    entities: tuple[tuple[int, ...], ...] = ()

    @property
    def groups(self) -> tuple[tuple[str, ...], ...]:
        """Per term, what may match it (any one of them): the term, then its aliases."""
        if self.alternatives:
            return self.alternatives
        return tuple((term,) for term in self.terms)

    @property
    def words(self) -> list[str]:
        """Every alternative of every term, for highlighting."""
        return list(dict.fromkeys(word for group in self.groups for word in group))

    @property
    def long_terms(self) -> list[str]:
        """Terms of three or more characters: served by the trigram index."""
        return [term for term in self.terms if not is_short(term)]

    @property
    def short_terms(self) -> list[str]:
        """Terms of one or two characters: served by the unigram/bigram side index."""
        return [term for term in self.terms if is_short(term)]

    def __bool__(self):
        return bool(self.terms)


def parse_query(raw: str) -> Query:
    """Splits on any white space (ASCII or 全角) after folding; terms are ANDed, duplicates dropped."""
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(f"検索語は{MAX_QUERY_CHARS}文字以内にしてください。")
    # Control characters (a NUL, say) mean nothing in a search and break the database's parser.
    raw = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in raw)
    terms: list[str] = []
    for term in _folded(raw).split():
        # A short term with no letter or digit (「・」「-」) matches too much to mean anything.
        if len(term) < 3 and not any(ch.isalnum() for ch in term):
            continue
        if term not in terms:
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise QueryError(f"検索語は{MAX_TERMS}語までです。")
    return Query(tuple(terms))


_RUN = re.compile(r"[^\W_]+")


def letter_runs(text: str) -> list[str]:
    """The runs of letters and digits in ``text``: what grams are taken from."""
    return _RUN.findall(text)


def grams(text: str) -> set[str]:
    """Distinct unigrams and bigrams of letters and digits in normalised ``text``."""
    out: set[str] = set()
    for run in letter_runs(text):
        out.update(run)
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def gram_of(term: str) -> str | None:
    """The gram that finds a short term, or None when the term holds a non-letter (then verify)."""
    return term if all(ch.isalnum() for ch in term) else None


def short_term_grams(term: str) -> list[str]:
    """Grams every document containing ``term`` has: the term itself or its letters and digits."""
    gram = gram_of(term)
    return [gram] if gram else [ch for ch in term if ch.isalnum()]


SNIPPET_CHARS = 120


def snippet(text: str, terms: tuple[str, ...] | list[str], width: int = SNIPPET_CHARS) -> SafeString:
    """Up to ``width`` characters of ``text`` around the first hit, hits in <mark>, the rest escaped."""
    text = re.sub(r"\s+", " ", text).strip()
    norm, offsets = nfkc_with_offsets(text, lower=True, kana=True)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        for match in re.finditer(re.escape(term), norm):
            spans.append((offsets[match.start()], offsets[match.end()]))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    first = merged[0][0] if merged else 0
    begin = max(0, min(first - width // 4, len(text) - width))
    end = min(len(text), begin + width)
    out = ["…" if begin > 0 else ""]
    pos = begin
    for start, stop in merged:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:stop])}</mark>")
        pos = stop
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 (every piece of text above is escaped)
