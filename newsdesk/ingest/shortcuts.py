"""newsdesk's call of trafilatura, with two shortcuts that leave its answer as it is.

* its comparison with readability, skipped where it cannot change the text (``fallback``);
* its prunes, skipped where no element of the page can match them (``prunes``).

Both hook trafilatura's internals by name (``trafilatura.core.compare_extraction`` and the
``prune_unwanted_nodes`` its modules call), and act only within ``taken(tree)``, which newsdesk's
extraction runs its call in: any other caller in the process gets trafilatura as it is. trafilatura
is pinned to 2.3.x for them, and tests/test_extract_shortcuts.py fails if one stops being taken.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import trafilatura.core
import trafilatura.external
import trafilatura.main_extractor
from lxml.etree import XPath, _Element
from lxml.html import HtmlElement
from trafilatura.external import compare_extraction
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.settings import Extractor

from . import fallback, prunes

_page: ContextVar[prunes.Marks | None] = ContextVar("newsdesk_trafilatura_page", default=None)


@contextlib.contextmanager
def taken(tree: HtmlElement) -> Iterator[None]:
    """Within this block, trafilatura (called on ``tree``) takes the shortcuts."""
    token = _page.set(prunes.Marks.of(tree))
    try:
        yield
    finally:
        _page.reset(token)


def _compare(
    cleaned_tree: HtmlElement, raw_tree: HtmlElement, body: _Element, text: str, options: Extractor
) -> tuple[_Element, str]:
    if _page.get() is not None and fallback.cannot_change(raw_tree, body, text, options):
        return body, text
    return compare_extraction(cleaned_tree, raw_tree, body, text, options)


def _prune(tree: HtmlElement, nodelist: list[XPath], with_backup: bool = False) -> HtmlElement:
    marks = _page.get()
    if marks is not None and not prunes.may_match(marks, nodelist):
        return tree  # what pruning by expressions that select nothing leaves
    return prune_unwanted_nodes(tree, nodelist, with_backup)


# Looked up by name on each call.
trafilatura.core.compare_extraction = _compare
for module in (trafilatura.core, trafilatura.external, trafilatura.main_extractor):
    module.prune_unwanted_nodes = _prune  # type: ignore[attr-defined]
