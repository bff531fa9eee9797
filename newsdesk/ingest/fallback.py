"""Trafilatura's second opinion, asked only where it can change the answer.

Unless in fast mode, trafilatura checks its own extraction with readability-lxml run on the whole
page (``trafilatura.external.compare_extraction``). In precision mode it takes readability's text
instead only when its own is empty or has no paragraphs (or more tables than paragraphs), or when
readability's is more than twice as long; then it asks justext when the text left holds page chrome
(a nav, a figure, a button ...) or is short. Readability's text is part of the text it reads: the
page's, less scripts and styles and less every element whose class or id marks it as unlikely to
hold an article (a comment, footer, menu or sidebar: readability drops those before it looks,
``remove_unlikely_candidates``). When trafilatura's own extraction is already half of that,
readability cannot be twice as long; with a clean, long enough extraction the comparison then
cannot change the answer and is skipped. It costs about a third of trafilatura's time (pruning a
copy of the raw page, readability), and the case is the common one: on the evaluation pages three
in four skip it, with the same text.

``shortcuts`` calls ``cannot_change`` in trafilatura's place.
"""

from __future__ import annotations

from lxml.etree import XPath, _Element
from lxml.html import HtmlElement
from trafilatura.external import SANITIZED_XPATH
from trafilatura.readability_lxml import FRAME_TAGS, REGEXES
from trafilatura.settings import Extractor

# Readability drops these before it reads the page (readability_lxml.Document.summary), then the
# elements remove_unlikely_candidates drops: its test, on the same attributes.
_UNREAD = ("script", "style", "fencedframe")
_UNLIKELY, _MAYBE = REGEXES["unlikelyCandidatesRe"], REGEXES["okMaybeItsACandidateRe"]
# Lengths as trafilatura measures a text (whitespace runs as one space, none at the ends), taken in
# libxml2: its normalize-space() joins fewer kinds of space than str.split(), so it never says less.
_MEASURE_PAGE = XPath("string-length(normalize-space(/))")
_MEASURE = XPath("string-length(normalize-space(.))")
# Whitespace aside, readability's text is part of what it reads; a margin for what serialising and
# re-reading its output may change.
_MARGIN = 1.05


def _unlikely(tree: HtmlElement) -> set[HtmlElement]:
    """The elements readability drops as unlikely to hold the article: its test, on the same
    attributes, each distinct value tested once (``remove_unlikely_candidates``)."""
    verdicts: dict[str, bool] = {}
    unlikely = set()
    for element in tree.iter():
        class_, id_ = element.get("class"), element.get("id")
        if class_ is None and id_ is None:
            continue
        attributes = f"{class_} {id_}" if class_ and id_ else class_ or id_ or ""
        verdict = verdicts.get(attributes)
        if verdict is None:
            low = attributes.lower()
            verdict = verdicts[attributes] = (
                len(attributes) >= 2 and bool(_UNLIKELY.search(low)) and not _MAYBE.search(low)
            )
        if verdict and element is not tree and element.tag not in FRAME_TAGS:
            unlikely.add(element)
    return unlikely


def _length(elements) -> float:
    """How much taking the text of ``elements`` (none inside another) out of the page shortens it
    at least: taking a text X out of A X B shortens it by length(X) - 1 (the space X may have stood
    between) or more."""
    return sum(max(0.0, _number(_MEASURE(element)) - 1) for element in elements)


def _no_longer_than(tree: HtmlElement, limit: float) -> bool:
    """Whether the text readability reads (the page's less what it drops first) is at most
    ``limit`` long. Lengths are measured in C, not by walking the text nodes in Python (a
    millisecond); the unlikely elements are looked for only when the scripts alone do not do."""
    length = _number(_MEASURE_PAGE(tree))
    scripts = [element for element in tree.iter(_UNREAD) if element.text]  # none holds another
    if length - _length(scripts) <= limit:
        return True
    if not (unlikely := _unlikely(tree)):
        return False
    outermost = [e for e in unlikely.union(scripts) if not any(a in unlikely for a in e.iterancestors())]
    return length - _length(outermost) <= limit


def _number(result: object) -> float:
    assert isinstance(result, float)  # string-length() is an XPath number
    return result


def cannot_change(raw_tree: HtmlElement, body: _Element, text: str, options: Extractor) -> bool:
    if options.focus != "precision" or not text or len(text) < options.min_extracted_size:
        return False
    if not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p")):
        return False  # structurally deficient: readability may replace it whatever its length
    if body.xpath(SANITIZED_XPATH):
        return False  # justext is asked
    return _no_longer_than(raw_tree, 2 * len(text) / _MARGIN)
