"""Fuzzing the plain-text cleaner: ``extract_text`` and the pasted-page passes it runs.

Whatever is pasted, the reader returns an article that keeps the invariants of
:func:`tests.fuzz.checks.check_article`, or refuses with IngestError, within its CPU deadline.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.ingest.curated import extract_curated, is_curated
from newsdesk.ingest.document import IngestError
from newsdesk.ingest.plaintext import extract_text
from newsdesk.ingest.service import content_hash
from newsdesk.ingest.textlines import split_lines
from tests.fuzz.checks import check_article
from tests.fuzz.harness import FUZZ, deadline
from tests.fuzz.strategies import ATTR_VALUES, FEED_LINKS, pasted_text

pytestmark = pytest.mark.fuzz

URLS = st.one_of(st.just(""), st.sampled_from(ATTR_VALUES + FEED_LINKS))


@FUZZ
@given(text=pasted_text(), url=URLS)
def test_extract_text_reads_or_refuses(text, url):
    with deadline(len(text)):
        try:
            art = extract_text(text, url)
        except IngestError:
            return
    check_article(art, text)


@FUZZ
@given(text=pasted_text(surrogates=False))
def test_the_curated_reader_reads_or_refuses(text):
    """The curated shape's reader, on any text (not only what ``is_curated`` lets through)."""
    with deadline(len(text)):
        lines = split_lines(text)
        is_curated(lines)
        try:
            art = extract_curated(lines)
        except IngestError:
            return
    assert art.shape == "curated"


# -- what the fuzzing found ------------------------------------------------------------------------


def test_a_curated_page_with_only_a_summary_has_its_summary_as_text():
    """Found by the fuzzer (a sample's line 「1. ...」 moved above the marker): a curated page whose
    only content is its summary was read with empty text, so every such page had the hash of ""
    and the second was taken for a copy of the first."""
    one = extract_text("「匿名コメント募集中」\n\n港湾協定が物流を変える\n\n  • 要約その一。\n\nコメント\n")
    other = extract_text("「匿名コメント募集中」\n\nフェリーが再開\n\n  • まったく別の記事の要約。\n")
    assert one.translation == [] and one.text == "要約その一。"
    assert content_hash(one) != content_hash(other)


def test_a_line_with_a_long_run_of_spaces():
    """Found (a 200,000-character paste): splitting a line into menu items tried the separator
    pattern again at every space of a long run holding none, quadratic in the run."""
    text = "見出しの行\n\n" + "本文は" + " " * 200_000 + "ここで終わる。\nHome | World | Asia\n"
    with deadline(len(text)):
        art = extract_text(text)
    assert art.paragraphs[-1].endswith("ここで終わる。")
    assert "Home | World | Asia" in art.dropped_lines


def test_a_paste_of_many_source_lines():
    """Found (the long campaign, 9 MB): for every 「ソース:URL」 line the curated test looked for a
    bullet before it and a numbered line after it over the whole paste, quadratic in their number."""
    lines = split_lines("  • 要約\n" + "ソース:https://example.com/a\n" * 200_000 + "本文。\n")
    with deadline(len(lines)):
        assert not is_curated(lines)
        assert is_curated([*lines, *split_lines("1. 翻訳の段落")])


def test_a_paste_of_many_chrome_blocks():
    """The header pass collected each block's lines with a walk over the rest of the page,
    quadratic in a paste of many short blocks of share labels (5 MB: hours)."""
    text = "facebook\n\n" * 100_000 + "見出し\n\n本文の段落がここにある。\n"
    with deadline(len(text)):
        art = extract_text(text)
    assert art.title == "見出し" and art.paragraphs == ["本文の段落がここにある。"]


def test_a_numbered_paragraph_that_goes_on_for_200_000_lines():
    """Found (the second ten-minute campaign, 6 MB): each line that continued a curated page's
    numbered paragraph was added to the paragraph's string, which copied it every time: more than
    130 s of CPU, quadratic in the paragraph's length."""
    head = "「匿名コメント募集中」\n\n港湾協定の見出し\n\n  • 要約。\n\nソース:https://news.example/a\n"
    text = head + "  1. 翻訳の段落の始まり。\n" + "1時間40分の続き\n" * 200_000 + "\nコメント\n"
    with deadline(len(text)):
        art = extract_text(text)
    [paragraph] = art.translation
    assert paragraph.startswith("翻訳の段落の始まり。\n1時間40分の続き\n")
    assert paragraph.count("\n") == 200_000
