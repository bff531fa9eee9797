"""Trafilatura's second opinion, asked only where it can change the answer.

Unless in fast mode, trafilatura checks its own extraction with readability-lxml run on the whole
page (``trafilatura.external.compare_extraction``). In precision mode it takes readability's text
instead only when its own is empty or has no paragraphs (or more tables than paragraphs), or when
readability's is more than twice as long; then it asks justext when the text left holds page chrome
(a nav, a figure, a button ...) or is short. Readability's text is part of the page's readable
text: when trafilatura's own extraction is already half of all of it, readability cannot be twice
as long. In that case, with a clean, long enough extraction, the comparison cannot change the
answer and is skipped. It costs about a third of trafilatura's time (pruning a copy of the raw
page, readability), and the case is common on news pages, whose article is most of their text.

Only for newsdesk's own calls (``asked_only_where_useful``): any other caller in the process gets
trafilatura as it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import trafilatura.core
from lxml.etree import XPath, _Element
from lxml.html import HtmlElement
from trafilatura.external import SANITIZED_XPATH, compare_extraction
from trafilatura.settings import Extractor

# Readability drops these before it reads the page (readability_lxml.Document.summary).
_UNREAD = ("script", "style", "fencedframe")
# Lengths as trafilatura measures a text (whitespace runs as one space, none at the ends), taken in
# libxml2: its normalize-space() joins fewer kinds of space than str.split(), so it never says less.
_MEASURE_PAGE = XPath("string-length(normalize-space(/))")
_MEASURE = XPath("string-length(normalize-space(.))")
# Whitespace aside, readability's text is part of the page's; a margin for what serialising and
# re-reading its output may change.
_MARGIN = 1.05

_skipping = ContextVar("newsdesk_skip_useless_comparison", default=False)


def _readable_length(tree: HtmlElement) -> float:
    """At least the length of the text readability reads: the page's less the elements it drops.

    Taking a text X out of A X B shortens it by at least length(X) - 1 (the space X may have stood
    between); measured in C, not by walking the page's text nodes in Python (a millisecond)."""
    unread = sum(_number(_MEASURE(element)) - 1 for element in tree.iter(_UNREAD) if element.text)
    return _number(_MEASURE_PAGE(tree)) - unread


def _number(result: object) -> float:
    assert isinstance(result, float)  # string-length() is an XPath number
    return result


def _cannot_change(raw_tree: HtmlElement, body: _Element, text: str, options: Extractor) -> bool:
    if options.focus != "precision" or not text or len(text) < options.min_extracted_size:
        return False
    if not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p")):
        return False  # structurally deficient: readability may replace it whatever its length
    if body.xpath(SANITIZED_XPATH):
        return False  # justext is asked
    return 2 * len(text) >= _MARGIN * _readable_length(raw_tree)


def _compare_where_useful(
    cleaned_tree: HtmlElement, raw_tree: HtmlElement, body: _Element, text: str, options: Extractor
) -> tuple[_Element, str]:
    if _skipping.get() and _cannot_change(raw_tree, body, text, options):
        return body, text
    return compare_extraction(cleaned_tree, raw_tree, body, text, options)


trafilatura.core.compare_extraction = _compare_where_useful  # looked up by name on each call


@contextlib.contextmanager
def asked_only_where_useful() -> Iterator[None]:
    """Within this block, trafilatura skips the comparison where it cannot change the answer."""
    token = _skipping.set(True)
    try:
        yield
    finally:
        _skipping.reset(token)
