"""Reading RSS 2.0, RSS 1.0 (RDF) and Atom feeds, and telling a feed or other XML from a page.

A feed that is not well-formed XML is refused whole: feedparser's loose parser would make
something of it (a truncated feed gives an entry without its link), and what it makes up cannot
be told from what the feed says. HTML's named entities (``&nbsp;``, ``&eacute;``), which many real
feeds use although XML does not define them, are read as the characters they name first. An entry without a link is kept, with an empty URL, so that the
caller reports it instead of losing it.
"""

from __future__ import annotations

import io
import re
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime
from html.entities import name2codepoint
from urllib.parse import urljoin

import feedparser

from newsdesk.ingest.document import IngestError

FEED_MEDIA_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
# Possessive (*+): once read, the prolog is never read again another way. Backtracking into it
# (a run of whitespace split every possible way) took exponential time on a page that starts with
# blank lines and is no feed: 0.15 s at 22 of them, hours at 40 (found by fuzzing).
_PROLOG = r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*+"
_FEED_ROOT = re.compile(rb"^" + _PROLOG.encode() + rb"<(?:rss|feed|rdf:RDF)[\s>/]", re.DOTALL | re.IGNORECASE)
# An XML declaration, then a first element that is not <html> (XHTML pages start like XML too).
_XML_NOT_HTML = re.compile(
    r"^\ufeff?\s*(?><\?xml\b.*?\?>)" + _PROLOG + r"<(?!html[\s>])[\w:.-]", re.DOTALL | re.IGNORECASE
)


_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def _html_entity_as_reference(match: re.Match[bytes]) -> bytes:
    name = match[1]
    code = name2codepoint.get(name.decode())
    if name in _XML_ENTITIES or code is None:
        return match[0]  # XML's own, or unknown: expat reports an unknown one
    return b"&#%d;" % code


@dataclass(frozen=True)
class FeedEntry:
    url: str  # "" when the entry has no link
    title: str
    published: datetime | None  # UTC


def looks_like_feed(content: bytes, content_type: str = "") -> bool:
    """True for RSS 2.0 / RSS 1.0 (RDF) / Atom documents, by media type or by their root element."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in FEED_MEDIA_TYPES:
        return True
    head = content[:4096].removeprefix(b"\xef\xbb\xbf")
    return bool(_FEED_ROOT.match(head))


def looks_like_xml(text: str) -> bool:
    """True for a feed or another XML document (a sitemap, a truncated feed), never for a page."""
    head = text[:4096]
    # "replace": a lone surrogate (text from anywhere but decode_bytes) must not raise here.
    return looks_like_feed(head.encode(errors="replace")) or bool(_XML_NOT_HTML.match(head))


def parse_feed(content: bytes, base_url: str = "") -> list[FeedEntry]:
    """Entries of an RSS or Atom feed in feed order, without duplicate links."""
    content = _NAMED_ENTITY.sub(_html_entity_as_reference, content)
    try:
        parsed = feedparser.parse(io.BytesIO(content))  # a stream: bytes could be taken for a file name
    except Exception as exc:
        # feedparser's loose parser, which runs only once expat has refused the document, raises
        # on what it cannot read (&#x110000;: ValueError from chr()).
        raise IngestError("フィードの XML が壊れているため読めません") from exc
    error = parsed.get("bozo_exception")
    if isinstance(error, xml.sax.SAXParseException):
        # Only expat's words: its line numbers count lines feedparser added in front.
        raise IngestError(f"フィードの XML が壊れているため読めません（{error.getMessage()}）")
    if not parsed.get("version") and not parsed.entries:
        raise IngestError("フィードとして読めません (RSS/Atom ではありません)")
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = (item.get("link") or "").strip()
        if link:
            link = _absolute(link, base_url)
            if link in seen:
                continue
            seen.add(link)
        # Asked for updated_parsed where it is missing, feedparser hands published_parsed (None when
        # unreadable) with a DeprecationWarning: only asked where the entry has one.
        updated = item.get("updated_parsed") if "updated_parsed" in item else None
        published = _utc(item.get("published_parsed") or updated)
        entries.append(FeedEntry(url=link, title=(item.get("title") or "").strip(), published=published))
    return entries


def _absolute(link: str, base_url: str) -> str:
    """``link`` against the feed's address; a malformed one (``http://[::1``, which urllib refuses
    with ValueError) is kept as written, for its fetch to fail on its own line."""
    try:
        return urljoin(base_url, link) if base_url else link
    except ValueError:
        return link


def _utc(stamp) -> datetime | None:
    """feedparser's UTC time tuple as a datetime; None for a time no calendar has (year -1 from
    ``0000-00-00``, year 10000). A leap second (``23:59:60``) is read as the second before."""
    if not stamp:
        return None
    try:
        year, month, day, hour, minute, second = stamp[:6]
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (ValueError, OverflowError, TypeError):
        return None
