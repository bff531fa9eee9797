"""Fuzzing what reads a page: bytes to text (``decode_bytes``), HTML extraction (``extract_html``),
the choice between HTML and plain text (``looks_like_html``, ``extract``), and all of them in
the order ``ingest_bytes`` runs them before it stores anything; and the shortcuts newsdesk's call of
trafilatura takes, which must leave its answer as it is.

Each returns its result or refuses with IngestError, within its CPU deadline; decoded text is
always text a database can store (no lone surrogate), and an extracted article keeps the
invariants of :func:`tests.fuzz.checks.check_article`.
"""

from __future__ import annotations

import pytest
import trafilatura
import trafilatura.xpaths
from hypothesis import given
from hypothesis import strategies as st
from lxml.etree import XPath

from newsdesk.ingest import feeds, prunes, shortcuts
from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.document import IngestError
from newsdesk.ingest.html import TRAFILATURA_OPTIONS, extract_html, warm_up
from newsdesk.ingest.parse import parse_html
from newsdesk.ingest.service import content_hash, extract, looks_like_html
from tests.fuzz.checks import check_article, is_utf8
from tests.fuzz.harness import FUZZ, deadline
from tests.fuzz.strategies import ATTR_VALUES, FEED_LINKS, SAMPLES, html_page, page_bytes, pasted_text

pytestmark = pytest.mark.fuzz

URLS = st.one_of(st.just(""), st.sampled_from(ATTR_VALUES + FEED_LINKS))


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """trafilatura's and htmldate's one-off work (tables built on a first page) is not an example's."""
    warm_up()


@FUZZ
@given(page=html_page(), url=URLS)
def test_extract_html_reads_or_refuses(page, url):
    with deadline(len(page)):
        try:
            art = extract_html(page, url)
        except IngestError:
            return
    check_article(art, page)
    assert art.shape == "html"


@FUZZ
@given(text=st.one_of(html_page(), pasted_text()), url=URLS)
def test_extract_chooses_a_reader_and_reads_or_refuses(text, url):
    with deadline(len(text)):
        assert isinstance(looks_like_html(text), bool)
        try:
            art = extract(text, url)
        except IngestError:
            return
    check_article(art, text)


@FUZZ
@given(data=page_bytes())
def test_decode_bytes_gives_storable_text_or_refuses(data):
    raw, charset = data
    with deadline(len(raw)):
        try:
            text, encoding = decode_bytes(raw, charset)
        except IngestError:
            return
    assert isinstance(text, str) and isinstance(encoding, str) and encoding
    assert is_utf8(text), "decoded text must be storable"


@FUZZ
@given(data=page_bytes(), url=URLS)
def test_bytes_to_article_as_ingest_reads_them(data, url):
    """decode_bytes, looks_like_xml, extract and the content hash: ``ingest_bytes`` up to the store."""
    raw, charset = data
    with deadline(len(raw)):
        try:
            text, _ = decode_bytes(raw, charset)
            if feeds.looks_like_xml(text):
                return
            art = extract(text, url)
        except IngestError:
            return
        content_hash(art)
    check_article(art, text)


# -- what the fuzzing found ------------------------------------------------------------------------

PAGE = (SAMPLES / "eastasia-ledger-gumi-photoresist.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("page", "url"),
    [
        (PAGE, "http://[::1"),  # found: a sample page given a malformed URL (urljoin's ValueError)
        (PAGE.replace('rel="canonical" href="https://', 'rel="canonical" href="http://[', 1), ""),
        (PAGE.replace('rel="canonical" href="https:', 'rel="canonical" href="', 1), "http://[x/"),
        (PAGE.replace('property="og:image" content="https:', 'property="og:image" content="//[', 1), ""),
    ],
)
def test_a_malformed_url_in_or_for_a_page_is_no_url(page, url):
    art = extract_html(page, url)
    assert art.paragraphs
    assert "[" not in art.image_url


@pytest.mark.parametrize("depth", [900, 3_000, 100_000])
def test_json_ld_nested_beyond_reason_is_skipped(depth):
    """Found: a JSON-LD block of [[[[... raised RecursionError in json.loads (or, just below the
    parser's limit, in the walk over the objects)."""
    blob = "[" * depth + "]" * depth if depth < 100_000 else '{"@graph":[' * depth
    page = PAGE.replace("</head>", f'<script type="application/ld+json">{blob}</script></head>', 1)
    art = extract_html(page, "https://www.eastasia-ledger.example/a")
    assert art.paragraphs and art.published_at is not None  # the page's other JSON-LD still read


@pytest.mark.parametrize("charset", ["rot13", "zlib", "hex", "undefined", "punycode", "idna"])
def test_a_charset_that_is_no_text_encoding_is_passed_over(charset):
    """Found: a Content-Type or <meta> charset naming a codec that is no text encoding raised
    LookupError (rot13, zlib, hex) or UnicodeError (undefined, punycode)."""
    data = "<p>門司と釜山を結ぶ航路が再開する。</p>".encode() + b"." * 100
    for declared, header in ((charset, ""), ("", charset)):
        raw = f'<meta charset="{declared}">'.encode() + data if declared else data
        text, encoding = decode_bytes(raw, header)
        assert "門司" in text and encoding == "utf-8"


def test_an_escape_codec_spelling_a_lone_surrogate_is_passed_over():
    """unicode_escape (named by a page or its server) turns the six bytes \\ud800 into a lone
    surrogate, which no database stores: the declaration is passed over."""
    raw = b'<meta charset="unicode_escape"><p>\\ud800 text</p>'
    text, encoding = decode_bytes(raw, "")
    assert is_utf8(text) and text.endswith("\\ud800 text</p>") and encoding == "utf-8"


@pytest.mark.parametrize("piece", ["| ", "・", ": "])
def test_a_title_of_twenty_thousand_separators(piece):
    """An og:title of 20,000 「| 」 took two minutes: each cut tried every separator."""
    page = PAGE.replace(
        'property="og:title" content="', f'property="og:title" content="Port deal{piece * 20_000}', 1
    )
    with deadline(len(page)):
        art = extract_html(page, "https://www.eastasia-ledger.example/a")
    assert art.title


@pytest.mark.parametrize("value", ["a@" * 50_000, "山" * 100_000, "Jane Doe" + " " * 100_000 + "Smith"])
def test_a_huge_author_value(value):
    """names_in ran its patterns over the whole value before seeing that no byline is that long."""
    page = PAGE.replace("<head>", f'<head><meta name="author" content="{value}">', 1)
    with deadline(len(page)):
        assert extract_html(page, "https://www.eastasia-ledger.example/a").paragraphs


@pytest.mark.parametrize("charset", ["unicode_escape", "raw_unicode_escape", "utf-7"])
def test_an_escape_codec_is_never_a_pages_encoding(charset):
    """Found (the ten-minute campaign): unicode_escape read ``\\$`` with a DeprecationWarning (an
    error here), and any escape codec reads bytes no browser would: the page is detected instead."""
    raw = f'<meta charset="{charset}"><p>価格は\\$5、+ADw-script+AD4-</p>'.encode()
    text, encoding = decode_bytes(raw, charset)
    assert encoding == "utf-8" and "価格は\\$5、+ADw-script+AD4-" in text


# Shortcuts in newsdesk's call of trafilatura (newsdesk.ingest.shortcuts): they never change what
# trafilatura answers.
PRUNE_EXPRESSIONS = [
    expression
    for expressions in vars(trafilatura.xpaths).values()
    if isinstance(expressions, list) and expressions and all(isinstance(x, XPath) for x in expressions)
    for expression in expressions
]


@FUZZ
@given(page=html_page())
def test_a_prune_selects_what_trafilaturas_own_expression_selects(page):
    """Skipped only where it would select nothing; run, on the page's values, it selects the same."""
    tree = parse_html(page)
    if tree is None:
        return
    marks = prunes.Marks.of(tree)
    for expression in PRUNE_EXPRESSIONS:
        selected = expression(tree)
        if not prunes.may_match(marks, expression):
            assert not selected
        assert prunes.bound(marks, expression)(tree) == selected


@FUZZ
@given(page=html_page())
def test_trafilaturas_shortcuts_change_nothing(page):
    tree = parse_html(page)
    if tree is None:
        return
    with deadline(len(page)):
        plain = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
        with shortcuts.taken(tree):
            quick = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
    assert (quick and quick.text) == (plain and plain.text)
