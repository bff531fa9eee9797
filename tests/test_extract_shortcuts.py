"""The page reader's shortcuts give what the slow way gives: case-insensitive expressions searched
in lower-cased text, trafilatura's author search skipped on pages where it can find nothing,
its comparison with readability skipped where it cannot change the text, its prunes skipped where
nothing can match them and run with their regular expressions answered from the page's values,
and the page parsed without lxml.html's Python class lookup.

The pages are small samples made up for these tests.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import re
from copy import deepcopy

import pytest
import trafilatura
from lxml import etree
from lxml.etree import tostring
from lxml.html import HtmlElement
from trafilatura import xpaths
from trafilatura.external import try_readability
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html

from newsdesk.ingest import fallback, html, prunes, shortcuts
from newsdesk.ingest.authors import INLINE_LABEL
from newsdesk.ingest.caseless import Caseless
from newsdesk.ingest.parse import parse_html

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


# Trafilatura's comparison with readability, skipped where it cannot change the answer
# (newsdesk.ingest.fallback). Pages shaped like news sites' (masthead, nav, article, footer).
PARAGRAPH = (
    "<p>The harbour board said on Monday that the new berth would open in the spring, after two "
    "years of dredging and a long argument over who pays for the breakwater. {n}</p>"
)
ARTICLE = "".join(PARAGRAPH.format(n=n) for n in range(8))
NAV = "".join(f'<li><a href="/section/{n}">Section number {n} of the site</a></li>' for n in range(12))
RELATED = "".join(
    f'<li><a href="/story/{n}">A related story whose headline runs long enough to read {n}</a></li>'
    for n in range(60)
)
COMMENT = (
    "<div class='comment'><p>Reader {n} wrote a long comment about the berth and who pays for it.</p></div>"
)
COMMENTS = (
    f"<section class='comments'><h2>Comments</h2>{''.join(COMMENT.format(n=n) for n in range(30))}</section>"
)
JSONLD = '<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "%s"}</script>' % (
    "Words of the article again, as sites repeat them. " * 200
)


def news_page(*, chrome: str = "", head: str = "", body: str = ARTICLE) -> str:
    return (
        f"<html lang='en'><head><title>Berth to open in spring | Harbour Post</title>{head}</head><body>"
        f"<header><div class='masthead'>Harbour Post</div><nav><ul>{NAV}</ul></nav></header>"
        f"<main><article><h1>Berth to open in spring</h1><div class='byline'>By Jane Doe</div>{body}</article>"
        f"{chrome}</main><footer><p>© Harbour Post. All rights reserved.</p></footer></body></html>"
    )


@pytest.fixture
def comparisons(monkeypatch):
    """How many times trafilatura compared its extraction with readability's."""
    calls = []
    original = shortcuts.compare_extraction

    def counted(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(shortcuts, "compare_extraction", counted)
    return calls


def always_compared(monkeypatch, page):
    monkeypatch.setattr(html, "taken", lambda tree: contextlib.nullcontext())
    try:
        return html.extract_html(page, "https://harbour.example/berth")
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize(
    ("page", "skipped"),
    [
        (news_page(), True),  # the article is most of the page's text
        (news_page(head=JSONLD), True),  # script text is no text readability could return
        (news_page(chrome=COMMENTS), True),  # nor is a comment section: readability drops it unread
        (news_page(chrome=f"<aside><h2>Related</h2><ul>{RELATED}</ul></aside>"), False),  # mostly links
        (news_page(body=PARAGRAPH.format(n=1)), False),  # a short extraction: justext may be asked
        (
            news_page(
                body=f"<table>{ARTICLE.replace('<p>', '<tr><td>').replace('</p>', '</td></tr>')}</table>"
            ),
            False,
        ),
    ],
)
def test_comparison_skipped_only_where_it_cannot_change_the_text(monkeypatch, comparisons, page, skipped):
    extracted = html.extract_html(page, "https://harbour.example/berth")
    assert len(comparisons) == (0 if skipped else 1)
    assert extracted == always_compared(monkeypatch, page)


def test_other_callers_get_trafilatura_as_it_is(comparisons):
    trafilatura.bare_extraction(load_html(news_page()), **html.TRAFILATURA_OPTIONS)
    assert len(comparisons) == 1


@pytest.mark.parametrize(
    ("page", "close"),
    [
        (news_page(head=JSONLD), True),
        (news_page(chrome=COMMENTS), True),
        (news_page(chrome=RELATED), False),
        # A style that is also an unlikely element (its id): its text counts once.
        (
            news_page(head=f"<style id='footer-css'>{'.a { color: red } ' * 300}</style>", chrome=COMMENTS),
            True,
        ),
    ],
)
def test_the_bound_is_never_under_the_text_readability_reads(page, close):
    tree = load_html(page)
    read = len(" ".join(tostring(try_readability(deepcopy(tree)), method="text", encoding="unicode").split()))
    assert read > 0
    assert not fallback._no_longer_than(tree, read - 1)
    # Close above it where the page's other text is scripts and comments; a list of links that
    # readability leaves out is still counted.
    assert fallback._no_longer_than(tree, read * 1.5) is close


# The page's tree, parsed with elements' classes chosen in C (newsdesk.ingest.parse): the same tree
# as trafilatura's own loader gives.
LOADER_INPUTS = [
    news_page(head=JSONLD),
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>An XHTML page declaring its encoding.</p></body></html>',
    "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN'>\n<html><body><p>Doctype first.</p></body></html>",
    "<html/>\n<body><p>A self-closed html tag in the first lines.</p></body>",
    "<html><body><form action='/s'><input name='q'><select><option>a</option></select></form>"
    "<p>Forms, inputs and selects: special classes in lxml.html, plain elements here.</p></body></html>",
    "Plain words with no markup at all",
    "<p>A bare fragment</p>",
    "<div><p>One</p><p>Two</p></div>",
    "<html><body><p>Control \x0b characters \x1f and \ud800 a lone surrogate</p></body></html>",
]


@pytest.mark.parametrize("page", LOADER_INPUTS)
def test_parse_gives_trafilaturas_tree(page):
    ours, theirs = parse_html(page), load_html(page)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours, encoding="unicode") == etree.tostring(theirs, encoding="unicode")
        assert all(type(element) is HtmlElement for element in ours.iter(etree.Element))


# trafilatura's prunes, skipped where no element can match (newsdesk.ingest.prunes).
def test_the_prunes_the_shortcut_knows_are_still_understood():
    """Guards the pin: a trafilatura that writes these expressions otherwise runs them all again."""
    for expressions in (
        xpaths.RAW_TREE_PRUNE_XPATH,
        xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH,
        xpaths.REMOVE_COMMENTS_XPATH,
        xpaths.DISCARD_IMAGE_ELEMENTS,
    ):
        assert all(prunes.condition(expression.path) is not None for expression in expressions)


@pytest.mark.parametrize(
    "path",
    [
        ".//header",  # no attribute test
        ".//*[self::div][re:test(@class, 'fulltext', 'i')]",  # flags
        ".//*[self::div][contains(@style, 'display:none')]",  # another attribute
        ".//*[self::div][re:test(@id, 'a') and re:test(@class, 'b')]",  # not a plain "or"
        ".//*[self::div][not(re:test(@id, 'a'))]",
        "(.//*[self::div][contains(@class, 'a')])[1]",
    ],
)
def test_other_shapes_are_always_run(path):
    assert prunes.condition(path) is None


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ({"class": "story comment-count"}, False),  # must start with the word
        ({"class": "comments area"}, True),
        ({"id": "Comments"}, True),
        ({"id": "commentary"}, False),  # (?!ary)
        ({"class": "post-comments"}, True),
        ({"id": "disqus_thread"}, True),
        ({"class": "disqus_thread"}, False),  # an id only
    ],
)
def test_a_comment_prune_is_run_exactly_where_it_may_match(marks, expected):
    page = prunes.Marks(
        frozenset([marks["class"]] if "class" in marks else []),
        frozenset([marks["id"]] if "id" in marks else []),
    )
    assert any(prunes.may_match(page, expression) for expression in xpaths.REMOVE_COMMENTS_XPATH) is expected


# The prunes that run: each re:test a comparison with the values of the page that it finds.
CHROME = (
    "<div class='hide-print'>Print this</div><span id='note' style='display: none'>x</span>"
    "<div id='x-hidden' class='share'>Share</div><div class='share' id='x-hidden'>Share</div>"
    "<section class='related-stories'><p>More</p></section><div class='reply-form'>Reply</div>"
    "<p class='bottom'>Ends</p><div class='link'>Go</div><div class='nocomments'>None</div>"
    "<div id='social-bar' class='article-body'>Body</div><div class='Comment'>c</div>"
)
PRUNE_EXPRESSIONS = [
    expression
    for expressions in vars(xpaths).values()
    if isinstance(expressions, list)
    for expression in expressions
    if isinstance(expression, etree.XPath)
]


def test_the_costly_prunes_run_without_a_python_call_per_element():
    """Guards the pin: a trafilatura that writes these otherwise runs them at its own speed again."""
    costly = [
        x for x in [*xpaths.OVERALL_DISCARD_XPATH, *xpaths.COMMENTS_DISCARD_XPATH] if "re:test" in x.path
    ]
    assert len(costly) >= 3
    for expression in costly:
        shape = prunes.rewritten(expression.path)
        assert shape is not None and "re:test" not in shape.xpath.path


@pytest.mark.parametrize(
    "expression", PRUNE_EXPRESSIONS, ids=lambda expression: " ".join(expression.path.split())[:40]
)
def test_a_prune_selects_what_trafilaturas_own_expression_selects(expression):
    tree = parse_html(news_page(chrome=CHROME))
    assert prunes.bound(prunes.Marks.of(tree), expression)(tree) == expression(tree)


def test_the_first_of_two_attributes_is_the_one_tested():
    """re:test(@id|@class, R) tests the attribute written first, as lxml's EXSLT reads it."""
    expression = etree.XPath(".//*[re:test(@id|@class, 'cookie')]", namespaces={"re": xpaths.REGEXP_NS})
    tree = parse_html(
        news_page(chrome="<div id='a' class='cookie-bar'>x</div><div class='cookie-bar' id='a'>y</div>")
    )
    selected = prunes.bound(prunes.Marks.of(tree), expression)(tree)
    assert [element.text for element in selected] == ["y"] == [e.text for e in expression(tree)]


@pytest.mark.parametrize(
    "path",
    ["//*[re:test(@class, 'a')]", ".//a|//*[re:test(@class, 'a')]", ".//*[re:test(@id, 'a')][not(//h1)]"],
)
def test_an_expression_that_reads_the_whole_document_is_left_as_it_is(path):
    """The tree's marks hold the values of its own elements only (trafilatura prunes subtrees)."""
    assert prunes.rewritten(path) is None


@pytest.mark.parametrize("pattern", ["^", "x?", "(?!a)", "a|"])
def test_a_pattern_that_finds_the_empty_text_is_left_as_it_is(pattern):
    """Without the attribute such a test is true: no comparison with values answers that."""
    assert prunes.rewritten(f".//*[re:test(@class, '{pattern}')]") is None


def test_a_value_no_xpath_variable_can_hold_leaves_the_expression_as_it_is():
    """A character reference gives an attribute a control character that no text may hold."""
    tree = parse_html(news_page(chrome="<div class='share&#1;bar'>x</div>"))
    marks = prunes.Marks.of(tree)
    [expression] = [x for x in xpaths.OVERALL_DISCARD_XPATH if "data-lp-replacement-content" in x.path]
    assert "share\x01bar" in marks.classes
    assert prunes.bound(marks, expression) is expression
    assert html.extract_html(
        news_page(chrome="<div class='share&#1;bar'>x</div>"), "https://harbour.example/b"
    )


INFINITE = f"<div class='infinite-scroll'><article><h2>The next story</h2>{ARTICLE}</article></div>"


@pytest.mark.parametrize(
    "page",
    [
        news_page(chrome=COMMENTS.replace("class='comments'", "id='comments'")),
        news_page(chrome=INFINITE),
        news_page(
            chrome="<div id='disqus_thread'><p>Loading the comments of readers about the berth.</p></div>"
        ),
        news_page(
            body=ARTICLE + "<div class='wp-caption'><p>The berth, seen from the harbour wall.</p></div>"
        ),
    ],
)
def test_pages_with_what_the_prunes_remove_read_the_same(monkeypatch, page):
    assert html.extract_html(page, "https://harbour.example/berth") == always_compared(monkeypatch, page)


def test_the_cascade_step_the_shortcut_stands_for_is_trafilaturas_own():
    """shortcuts._extract_and_compare repeats this step of trafilatura 2.3.1 with the shortcut added."""
    assert inspect.getsource(shortcuts.trafilatura_extract_and_compare).split("\n", 3)[3] == (
        '    "Cascade stages 1-2: main extractor, then the external comparison unless in fast mode."\n'
        "    postbody, temp_text = extract_content(cleaned_tree, options)\n"
        "    if not options.fast:\n"
        "        postbody, temp_text = compare_extraction(cleaned_tree_backup, copy(tree), postbody, temp_text, options)\n"
        "    return postbody, temp_text\n"
    )
