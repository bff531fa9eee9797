"""Pull quotes: a sentence of the article set again, large, between its paragraphs.

A short body line whose text (NFKC, case, spaces, punctuation and quotes aside; ``…`` may cut it)
is inside another paragraph of the article or its standfirst is such a copy when it is a quotation
(「…」, “…”) or a sentence: it is dropped, recorded as ``pull-quote``. A line that is neither (an
item a list repeats, a paragraph the page gives twice) stays in the body: when unsure, keep it.

A name alone under a pull quote (or after a dash on its line) is the author's or the speaker's:
:func:`mark_quote_names` tells which.
"""

from __future__ import annotations

import re

from .bylines import AuthorLine, author_line, is_person_name, mentions, same_person
from .pasted_page import PastedPage
from .textlines import is_short, match_key

_OPEN = "\"'“‘「『«„〝"
_CLOSE = "\"'”’」』»〟"
_QUOTED = re.compile(rf"^[{_OPEN}].+[{_CLOSE}]$")
# “The quote” — Jane Roe: the speaker or the author named after the quote on the same line
_INLINE_NAME = re.compile(
    rf"^(?P<quote>[{_OPEN}].+[{_CLOSE}])\s*[—–―-]{{1,2}}\s*(?P<name>[^{_CLOSE}]{{2,60}})$"
)
_ELLIPSIS = re.compile(r"…|\.\.\.|‥")
_SENTENCE_END = re.compile(rf"[。．.!！?？][{_CLOSE}]?$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def mark_pull_quotes(page: PastedPage) -> None:
    """Drops the body's pull quotes (see the module) and notes them, and every quoted line, for
    :func:`mark_quote_names`."""
    body = page.free(page.body_start)
    keys = {j: match_key(page.text(j)) for j in [*body, *(i for i, r in enumerate(page.role) if r == "lead")]}
    for i in body:
        text = page.text(i)
        inline = _INLINE_NAME.match(text)
        quote, name = (inline.group("quote"), inline.group("name").strip()) if inline else (text, "")
        repeats = _repeated_in(page, i, quote, keys)
        quoted = bool(_QUOTED.match(quote))
        # A pull quote is a quotation, or a sentence taken out of a longer paragraph. Any other line
        # found elsewhere (an item a list repeats, a paragraph twice) stays: when unsure, keep it.
        sentence = (
            bool(_SENTENCE_END.search(quote)) and repeats is not None and keys[repeats] != match_key(quote)
        )
        if repeats is not None and not (quoted or sentence):
            continue
        if repeats is not None:
            page.mark(i, "pull-quote")
        if repeats is not None or quoted:
            page.quotes.append((i, repeats, name))


def _repeated_in(page: PastedPage, i: int, quote: str, keys: dict[int, str]) -> int | None:
    """The paragraph that holds the text of line ``i``, or None. Only a short line can be a pull
    quote, and a long enough one (10 characters of CJK, 30 letters otherwise: some six words) for
    the match to mean a copy rather than a common phrase or a menu item."""
    if len(quote) > 250:
        return None
    fragments = [match_key(f) for f in _ELLIPSIS.split(quote)]
    fragments = [f for f in fragments if f]
    total = sum(len(f) for f in fragments)
    if not fragments or total < (10 if _CJK.search(quote) else 30) or min(len(f) for f in fragments) < 4:
        return None
    for j, other in keys.items():
        if (
            j == i
            or page.role[j] not in (None, "lead")
            or len(other) < total
            or (len(other) == total and j > i)
        ):
            continue
        at = 0
        for fragment in fragments:  # each piece, in order
            at = other.find(fragment, at)
            if at < 0:
                break
            at += len(fragment)
        else:
            return j
    return None


def _text_lines(page: PastedPage, besides: tuple[int | None, ...]) -> list[int]:
    """The article's text lines (standfirst and body) other than ``besides``."""
    return [j for j, r in enumerate(page.role) if r in (None, "lead") and j not in besides]


def mark_quote_names(page: PastedPage) -> None:
    """A name alone under (or after a dash beside) a pull quote: the author when it names the
    author or, with none known yet, someone the article's text never names; the speaker of the
    quote, dropped with it, when the text names them (a subject of the article is not its writer);
    otherwise left in the body. Under the name, only a blank line or a sentence: a name among other
    short lines is a list's item."""
    for q, source, inline in page.quotes:
        line = None if inline else q + 1
        if line is not None and not _lone_line_under(page, q, line):
            continue
        candidate = inline or page.text(q + 1).lstrip("—–―- ").strip()
        found = author_line(candidate)
        if found is None and is_person_name(candidate) and same_person(candidate, page.art.author):
            found = AuthorLine(candidate)
        if found is None:
            continue
        if page.art.author and same_person(found.author, page.art.author):
            page.take_author(line, found)
        elif any(mentions(page.text(j), found.author) for j in _text_lines(page, (q, line))):
            if line is not None and source is not None:
                page.mark(line, "pull-quote-speaker")
        elif source is not None or found.sure:
            page.take_author(line, found)


def _lone_line_under(page: PastedPage, q: int, line: int) -> bool:
    """``line`` stands directly under line ``q``, unclaimed, with a blank line, a sentence or
    nothing under it."""
    if line >= len(page.lines) or page.role[line] is not None or not page.same_block(q, line):
        return False
    below = line + 1
    return below >= len(page.lines) or not page.same_block(line, below) or not is_short(page.text(below), 80)
