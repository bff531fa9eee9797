"""Fuzzing feed reading: ``parse_feed`` on RSS 2.0, RSS 1.0 and Atom skeletons with mutated parts,
and the two tests that tell a feed or other XML from a page (``looks_like_feed``, ``looks_like_xml``).

``parse_feed`` returns entries or refuses with IngestError, within its CPU deadline; each entry's
time is aware UTC, its link absolute when the feed's address is known, no link twice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.ingest.document import IngestError
from newsdesk.ingest.feeds import FeedEntry, looks_like_feed, looks_like_xml, parse_feed
from tests.fuzz.harness import FUZZ, deadline
from tests.fuzz.strategies import feed_bytes, html_page, pasted_text

pytestmark = pytest.mark.fuzz

BASES = st.sampled_from(["", "https://news.example/feed.xml", "http://[::1", "https://news.example/a/b/"])
MEDIA_TYPES = st.one_of(
    st.sampled_from(["", "application/rss+xml", "text/xml; charset=utf-8", "APPLICATION/ATOM+XML ;", ";;"]),
    st.text(max_size=20),
)


@FUZZ
@given(content=feed_bytes(), base_url=BASES)
def test_parse_feed_reads_or_refuses(content, base_url):
    with deadline(len(content)):
        try:
            entries = parse_feed(content, base_url=base_url)
        except IngestError:
            return
    links = [e.url for e in entries if e.url]
    assert len(links) == len(set(links)), "a link is read once"
    for entry in entries:
        assert isinstance(entry, FeedEntry)
        assert isinstance(entry.url, str) and isinstance(entry.title, str)
        assert entry.url == entry.url.strip() and entry.title == entry.title.strip()
        entry.url.encode("utf-8")  # what the entry's URL becomes is stored and fetched
        if entry.published is not None:
            assert entry.published.utcoffset() == timedelta(0)


@FUZZ
@given(content=feed_bytes(), media_type=MEDIA_TYPES)
def test_looks_like_feed_answers(content, media_type):
    with deadline(len(content)):
        assert isinstance(looks_like_feed(content, media_type), bool)


@FUZZ
@given(text=st.one_of(pasted_text(), html_page(), feed_bytes().map(lambda b: b.decode("utf-8", "replace"))))
def test_looks_like_xml_answers(text):
    with deadline(len(text)):
        assert isinstance(looks_like_xml(text), bool)


# -- what the fuzzing found ------------------------------------------------------------------------


def _atom(
    title: str = "港湾協定", link: str = "https://news.example/a/1", date: str = "2025-03-12T00:15:00Z"
) -> bytes:
    return (
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>{title}</title>'
        f'<id>urn:1</id><link rel="alternate" href="{link}"/><published>{date}</published></entry></feed>'
    ).encode()


def test_a_character_reference_beyond_unicode_is_a_broken_feed():
    """Found: expat refuses &#x110000;, then feedparser's loose parser raised ValueError (chr())."""
    with pytest.raises(IngestError, match="壊れている"):
        parse_feed(_atom(title="&#x110000;"))


def test_a_time_no_calendar_has_is_no_time():
    """Found: feedparser reads 0000-00-00 as year -1, and datetime() raised ValueError."""
    [entry] = parse_feed(_atom(date="0000-00-00T00:00:00Z"))
    assert entry.url == "https://news.example/a/1" and entry.published is None


@pytest.mark.parametrize(
    ("link", "base_url", "url"),
    [
        ("https://news.example/a/1", "http://[::1", "https://news.example/a/1"),  # found by the fuzzer
        ("http://[::1", "https://news.example/feed", "http://[::1"),  # kept: its fetch fails on its line
    ],
)
def test_a_malformed_link_or_feed_address_is_kept_as_written(link, base_url, url):
    [entry] = parse_feed(_atom(link=link), base_url=base_url)
    assert entry.url == url


def test_an_unreadable_date_asks_feedparser_nothing_deprecated():
    """Found: a pubDate feedparser cannot read (a leap second) left published_parsed None, and
    asking for updated_parsed then fell back to it with a DeprecationWarning (an error here)."""
    rss = (
        b'<rss version="2.0"><channel><title>T</title><item><title>x</title><link>https://news.example/a</link>'
        b"<pubDate>Sat, 31 Dec 2016 23:59:60 GMT</pubDate></item></channel></rss>"
    )
    assert parse_feed(rss) == [FeedEntry("https://news.example/a", "x", None)]


def test_looks_like_xml_of_text_with_a_lone_surrogate():
    """Found: the text's head was encoded as strict UTF-8 (UnicodeEncodeError)."""
    assert looks_like_xml("<?xml version='1.0'?><urlset>" + chr(0xD800))
    assert not looks_like_xml(chr(0xD800) + "<p>本文</p>")


@pytest.mark.parametrize(
    "head",
    [
        b" " * 40 + b"x",  # 40 spaces: hours before the fix
        b"\r\n" * 3000 + b"<!DOCTYPE html><html><body>",  # a page whose server printed blank lines
        b"<?xml version='1.0'?>" + b"<?pi?>" * 2000 + b"!",
    ],
)
def test_a_prolog_that_is_no_feed_is_told_at_once(head):
    """Found by the ten-minute campaign: the prolog's ``(\\s+|...)*`` split a run of whitespace
    every possible way before giving up (0.15 s at 22 spaces, doubling with each one more)."""
    with deadline(1):
        assert not looks_like_feed(head)
        assert not looks_like_xml(head.decode())
        assert not looks_like_xml("<?xml version='1.0'?>" + head.decode())
    assert looks_like_feed(b"\n" * 50 + b"<?xml version='1.0'?>\n<!-- c -->\n<rss version='2.0'>")
    assert looks_like_xml("<?xml version='1.0'?>" + "\n" * 50 + "<urlset>")
