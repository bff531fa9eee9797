"""The page reader's shortcuts give what the slow way gives: case-insensitive expressions searched
in lower-cased text, and trafilatura's author search skipped on pages where it can find nothing.

The pages are small samples made up for these tests.
"""

from __future__ import annotations

import itertools
import re

import pytest
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html

from newsdesk.ingest import html
from newsdesk.ingest.authors import INLINE_LABEL
from newsdesk.ingest.caseless import Caseless

# Texts where case folding has its exceptions: the dotted and dotless i, the long s, the Kelvin
# sign, final sigma, German sharp s, full-width letters, accented capitals.
TRICKY = [
    "", "Byline", "BYLINE", "by-line", "ByLİne", "bylıne", "ſtamp", "STAMP", "\u212aisha", "KISHA",
    "Published by: Jane", "PUBLISHED  BY jane", "publİshed by x", "Publié par Marie", "PUBLIÉ PAR",
    "ÉCRIT PAR", "écrit par", "ΟΔΟΣ date", "Straße TIME", "ＡＵＴＨＯＲ", "post-date", "sidebar",
    "stickySidebar", "site-header", "SITE-HEADER", "x-nav", "navbar", "comments", "commentsx",
    "ａ updated", "UPDATED", "更新日", "記者", "文：山田", "BY\u00a0Jane", "by", "By\n",
]  # fmt: skip
PATTERNS = [
    r"date|time|posted|publish|dateline|byline|meta|info|stamp",
    r"(?<![\w-])(?:site-?(?:header|title)|nav|navbar|comments?)(?![a-z])",
    r"^(?:(?:analysis|written)\s+)?by|文|記者(?:\s|[:：]|$)",
    INLINE_LABEL.pattern,
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_caseless_matches_like_ignorecase(pattern):
    slow = re.compile(pattern, re.IGNORECASE)
    fast = Caseless(pattern)
    texts = TRICKY + [f"{a} {b}" for a, b in itertools.product(TRICKY, repeat=2)]
    for text in texts:
        assert fast.search(text) == bool(slow.search(text)), text
        assert fast.match(text) == bool(slow.match(text)), text


def test_caseless_refuses_upper_case_and_other_scripts():
    with pytest.raises(ValueError):
        Caseless(r"Author")
    with pytest.raises(ValueError):
        Caseless(r"автор")  # Cyrillic letters have case equivalences lower() does not make
    Caseless(r"\W\S\d author 記者")  # escapes and scripts without case are fine


AUTHOR_PAGES = [
    '<div class="byline">Jane Doe</div>',
    '<span class="AuthorName">Jane Doe</span>',
    '<a rel="author" href="/jane">Jane Doe</a>',
    '<p itemprop="author name">Jane Doe</p>',
    '<div id="Author">Jane Doe</div>',
    '<div data-component="Byline">Jane Doe</div>',
    "<author>Jane Doe</author>",
    '<div class="meta"><rel>m<time>x</time>e</rel>Jane Doe</div>',
    '<div class="writer-box">Jane Doe</div>',
    '<figure class="author">Jane Doe</figure>',
    '<div class="AUTHOR">Jane Doe</div>',
    '<div class="by">Jane Doe</div>',
    '<div class="credit">Jane Doe</div>',
    "<p>Jane Doe wrote this.</p>",
]


@pytest.mark.parametrize("snippet", AUTHOR_PAGES)
def test_fallback_author_is_trafilaturas(snippet):
    page = f"<html><body><article><h1>A headline</h1>{snippet}<p>Some text.</p></article></body></html>"
    tree = load_html(page)
    assert html._Fallback(tree, "").author() == (extract_author(tree) or "")
