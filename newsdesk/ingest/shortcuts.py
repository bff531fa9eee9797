"""newsdesk's call of trafilatura, with two shortcuts that leave its answer as it is.

* its comparison with readability, skipped where it cannot change the text (``fallback``);
* its prunes, skipped where no element of the page can match them, and run with their regular
  expressions answered once per page instead of once per element (``prunes``).

Both hook trafilatura's internals by name (``trafilatura.core._extract_and_compare`` and the
``prune_unwanted_nodes`` its modules call), and act only within ``taken(tree)``, which newsdesk's
extraction runs its call in: any other caller in the process gets trafilatura as it is. trafilatura
is pinned to 2.3.x for them, and tests/test_extract_shortcuts.py fails if one stops being taken.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from copy import copy
from typing import cast

import trafilatura.core
import trafilatura.external
import trafilatura.main_extractor
from lxml.etree import XPath, _Element
from lxml.html import HtmlElement
from trafilatura.external import compare_extraction
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.main_extractor import extract_content
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


# trafilatura's own, which this one stands for: its source is checked by a test (a trafilatura
# that changed it would need this one changed too).
trafilatura_extract_and_compare = trafilatura.core._extract_and_compare


def _extract_and_compare(
    cleaned_tree: HtmlElement, cleaned_tree_backup: HtmlElement, tree: HtmlElement, options: Extractor
) -> tuple[_Element, str]:
    """trafilatura's main extractor, then its comparison with readability only where that can change
    the text, and the copy of the page readability works on made only then."""
    postbody, temp_text = extract_content(cleaned_tree, options)
    if options.fast or (
        _page.get() is not None and fallback.cannot_change(tree, postbody, temp_text, options)
    ):
        return postbody, temp_text
    return compare_extraction(cleaned_tree_backup, copy(tree), postbody, temp_text, options)


def _prune(tree: HtmlElement, nodelist: list[XPath], with_backup: bool = False) -> HtmlElement:
    marks = _page.get()
    if marks is None:
        return prune_unwanted_nodes(tree, nodelist, with_backup)
    # Expressions that select nothing change nothing, with or without the backup's guard.
    selecting = [
        prunes.bound(marks, expression) for expression in nodelist if prunes.may_match(marks, expression)
    ]
    # trafilatura only calls each expression on the tree: a bound one does as its XPath does.
    return prune_unwanted_nodes(tree, cast(list[XPath], selecting), with_backup) if selecting else tree


# Looked up by name on each call.
trafilatura.core._extract_and_compare = _extract_and_compare
for module in (trafilatura.core, trafilatura.external, trafilatura.main_extractor):
    module.prune_unwanted_nodes = _prune  # type: ignore[attr-defined]
