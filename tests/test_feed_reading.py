"""Reading RSS and Atom feeds (newsdesk.ingest.feeds): entries, malformed feeds, XML that is no page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.ingest.document import IngestError
from newsdesk.ingest.feeds import FeedEntry, looks_like_feed, looks_like_xml, parse_feed
from newsdesk.ingest.fetch import FetchPolicy, fetch
from tests.httpserver import Server, send

LOCAL = FetchPolicy(allow_private=True, timeout=5.0)

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example</title><link>https://news.example/</link>
<item><title>Port deal set to reshape logistics</title><link>https://news.example/a/1</link>
<pubDate>Wed, 12 Mar 2025 09:15:00 +0900</pubDate></item>
<item><title> Ferry returns </title><link>/a/2</link></item>
<item><title>No link</title></item>
<item><title>Duplicate</title><link>https://news.example/a/1</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title>
<id>urn:example</id><updated>2025-03-03T00:00:00Z</updated>
<entry><title>港湾協定</title><id>urn:1</id>
<link rel="alternate" href="https://atom.example/2025/port"/>
<published>2025-03-03T10:00:00+02:00</published><updated>2025-03-04T00:00:00Z</updated></entry>
<entry><title>Updated only</title><id>urn:2</id><link href="https://atom.example/2025/upd"/>
<updated>2025-03-05T12:30:00Z</updated></entry>
</feed>""".encode()


def test_rss_feed_parsed() -> None:
    assert looks_like_feed(RSS, "text/xml")
    assert parse_feed(RSS, base_url="https://news.example/feed.xml") == [
        FeedEntry(
            "https://news.example/a/1",
            "Port deal set to reshape logistics",
            datetime(2025, 3, 12, 0, 15, tzinfo=UTC),
        ),
        FeedEntry("https://news.example/a/2", "Ferry returns", None),
        FeedEntry("", "No link", None),  # kept, for the caller to report
    ]


def test_atom_feed_parsed() -> None:
    assert looks_like_feed(ATOM, "")
    assert parse_feed(ATOM) == [
        FeedEntry("https://atom.example/2025/port", "港湾協定", datetime(2025, 3, 3, 8, 0, tzinfo=UTC)),
        FeedEntry("https://atom.example/2025/upd", "Updated only", datetime(2025, 3, 5, 12, 30, tzinfo=UTC)),
    ]


def test_looks_like_feed() -> None:
    assert looks_like_feed(b"anything", "application/rss+xml; charset=utf-8")
    assert looks_like_feed(b"\xef\xbb\xbf<!-- hi --><feed xmlns='http://www.w3.org/2005/Atom'>", "")
    assert looks_like_feed(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "text/xml")
    assert not looks_like_feed(b"<!DOCTYPE html><html><body><rss></rss></body></html>", "text/html")
    assert not looks_like_feed(b"plain text", "text/plain")


def test_not_a_feed_raises() -> None:
    with pytest.raises(IngestError):
        parse_feed(b"<!DOCTYPE html><html><body>hello</body></html>")


def test_fetched_feed(server: Server) -> None:
    server.routes["/feed.xml"] = lambda h: send(h, 200, RSS, Content_Type="application/rss+xml")
    result = fetch(f"{server.base}/feed.xml", LOCAL)
    assert looks_like_feed(result.content, result.content_type)
    assert [e.url for e in parse_feed(result.content, base_url=result.url)] == [
        "https://news.example/a/1",
        f"{server.base}/a/2",  # relative links resolve against the feed's own URL
        "",
    ]


def test_html_entities_that_real_feeds_use_are_read() -> None:
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        b"<title>Caf&eacute;&nbsp;talks &amp; more</title><link>https://a.example/1</link></item>"
        b"</channel></rss>"
    )
    [entry] = parse_feed(feed)
    assert (entry.title, entry.url) == ("Caf\u00e9\u00a0talks & more", "https://a.example/1")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (
            RSS[:200],
            "no element found",
        ),  # cut short: feedparser's loose parser would make an entry without its link
        (
            b'<rss version="2.0"><channel><item><title>a &nbsp;</title><link>https://a.example/1</link>',
            "no element found",
        ),
        (
            b'<rss version="2.0"><channel><item><title>a &madeup;</title></item></channel></rss>',
            "undefined entity",
        ),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>a</entry></feed>", "mismatched tag"),
    ],
)
def test_a_feed_that_is_not_well_formed_is_refused_whole(content: bytes, why: str) -> None:
    assert looks_like_feed(content)
    with pytest.raises(IngestError, match=f"フィードの XML が壊れているため読めません（{why}）"):
        parse_feed(content)


@pytest.mark.parametrize(
    "text",
    [
        RSS.decode(),
        RSS[:200].decode(),
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>',
        "\ufeff<?xml version='1.0'?>\n<!-- export -->\n<data><item>1</item></data>",
        '<rss version="2.0"><channel><title>no declaration',
    ],
)
def test_xml_documents_are_told_from_pages(text: str) -> None:
    assert looks_like_xml(text)


@pytest.mark.parametrize(
    "text",
    [
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">',
        "<!DOCTYPE html><html><body><p>RSS は <rss> で始まる</p></body></html>",
        "<p>A fragment of a page</p><p>and another</p>",
        "ソウル発 — 記事の本文。<?xml は本文の一部",
    ],
)
def test_pages_and_text_are_not_xml(text: str) -> None:
    assert not looks_like_xml(text)
