"""Metadata of an HTML page read from its parsed tree: meta tags, JSON-LD, titles, dates, language.

Everything here reads an lxml tree that was parsed once by :mod:`newsdesk.ingest.html`; nothing
re-parses the page. Date choice is evidence-based: every source of a publication date is collected
and the value most sources agree on (same calendar day) wins, as precise as the agreeing sources
allow (time and offset beat a bare date).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from urllib.parse import urlsplit

from dateutil import parser as dateutil_parser

from newsdesk.japanese.normalize import nfkc_casefold

from .document import ExtractedArticle
from .headline import KNOWN_OUTLETS as KNOWN_OUTLETS  # re-exported: the list lives with the title rules
from .headline import strip_chrome

ARTICLE_TYPES = {"blogposting", "liveblogposting", "report", "socialmediaposting", "newsarticle"}

_WS_RE = re.compile(r"\s+")
_NORM_RE = re.compile(r"[\W_]+")
_URL_DATE_RE = re.compile(
    r"/((?:19|20)\d{2})(?:([/-])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2})"
    r"|/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*/(\d{1,2}))(?=/|[-_.]|$)",
    re.I,
)  # fmt: skip
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_JA_DATE_RE = re.compile(r"(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日(?:\D{0,6}?(\d{1,2})[:時](\d{2}))?")
_TIME_RE = re.compile(r"\d{1,2}:\d{2}|T\d{2}")
_GMT_RE = re.compile(r"\s*\b(?:GMT|UTC)\s*([+-]?)(\d{1,2})(?::?(\d{2}))?$")
_TZ_HOURS = {
    "UTC": 0, "GMT": 0, "Z": 0, "JST": 9, "KST": 9, "HKT": 8, "CST": -6, "EST": -5, "EDT": -4,
    "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "MSK": 3,
    "IST": 5.5, "SGT": 8, "AEST": 10, "AEDT": 11,
}  # fmt: skip


def _tzinfo(name: str | None, offset: int | None) -> timezone | None:
    """Zones named by abbreviation; unknown names leave the value naive (no dateutil warning)."""
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    hours = _TZ_HOURS.get((name or "").upper())
    return None if hours is None else timezone(timedelta(hours=hours))


def squash(text: object) -> str:
    """Whitespace-normalised text: runs of spaces and line breaks become one space.

    JSON-LD values come in any shape: a list gives its first string, anything else but a string "".
    """
    if isinstance(text, list):
        text = next((t for t in text if isinstance(t, str)), "")
    return _WS_RE.sub(" ", text).strip() if isinstance(text, str) else ""


def norm_key(text: str) -> str:
    """Comparison key: NFKC, case-folded, without spaces and punctuation."""
    return _NORM_RE.sub("", nfkc_casefold(text or ""))


# --- language -----------------------------------------------------------------------------------

_LANG3 = {"jpn": "ja", "kor": "ko", "zho": "zh", "chi": "zh", "rus": "ru", "eng": "en"}
_LANG_FIX = {"jp": "ja", "kr": "ko", "cn": "zh", "tw": "zh", "iw": "he"}


def normalise_language(value: str | None) -> str:
    """'ja-JP' -> 'ja', 'en_US' -> 'en', 'zh-Hant' -> 'zh', 'jpn' -> 'ja'; '' when unreadable."""
    head = re.split(r"[-_\s,;]", (value or "").strip().lower(), maxsplit=1)[0]
    if len(head) == 3:
        return _LANG3.get(head, "")
    if len(head) == 2 and head.isalpha():
        return _LANG_FIX.get(head, head)
    return ""


# --- JSON-LD ------------------------------------------------------------------------------------


def parse_jsonld(texts: list[str]) -> list[dict]:
    """Every object of the page's JSON-LD blocks, @graph and lists flattened; broken blocks skipped."""
    objects: list[dict] = []
    for text in texts:
        text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
        text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            data = json.loads(text, strict=False)
        except RecursionError:
            continue  # nested deeper than the parser goes ([[[[...): no page means that
        except ValueError:
            try:  # trailing commas are the commonest defect
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", text), strict=False)
            except (ValueError, RecursionError):
                continue
        # Depth first, in document order, without recursion (a block can nest hundreds deep).
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                objects.append(node)
                stack.append(node.get("@graph"))
    return objects


def types_of(obj: dict) -> set[str]:
    value = obj.get("@type") or ()
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return {str(t).lower() for t in values}


def pick_article(objects: list[dict]) -> dict:
    """The page's article object (NewsArticle, BlogPosting, ...), else any object with a headline."""
    for obj in objects:
        if any(t.endswith("article") or t in ARTICLE_TYPES for t in types_of(obj)):
            return obj
    for obj in objects:
        if obj.get("headline") or obj.get("datePublished"):
            return obj
    return {}


def resolve(value: object, objects: list[dict]) -> object:
    """Follow {"@id": ...} references into the graph."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id"):
        for obj in objects:
            if obj is not value and obj.get("@id") == value["@id"] and len(obj) > len(value):
                return obj
    return value


def names(value: object, objects: Sequence[dict] = ()) -> list[str]:
    """Names in a JSON-LD author/publisher value: a string, an object with a name, or a list."""
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        item = resolve(item, list(objects))
        if isinstance(item, dict):
            item = item.get("name")
            if isinstance(item, list):
                item = item[0] if item else ""
        if isinstance(item, str):
            name = squash(re.sub(r"^(?:by|text by)\s+", "", squash(item), flags=re.I))
            if name and not name.startswith(("http://", "https://")) and name not in out:
                out.append(name)
    return out


def image_of(value: object, objects: Sequence[dict] = ()) -> tuple[str, str]:
    """(url, caption) of a JSON-LD image value (string, ImageObject or list of them)."""
    item = resolve(value[0] if isinstance(value, list) and value else value, list(objects))
    if isinstance(item, str):
        return item, ""
    if isinstance(item, dict):
        url = squash(item.get("url") or item.get("contentUrl"))
        return url, squash(item.get("caption") or item.get("description"))
    return "", ""


# --- titles -------------------------------------------------------------------------------------


def clean_title(title: str, site_names: list[str], domain: str = "") -> str:
    """One title without its site name and section ("｜朝日新聞", "BBC News - ", " – Asia Times").

    The rules are :func:`newsdesk.ingest.headline.strip_chrome`'s; hyphens inside words stay.
    """
    return strip_chrome(title, site_names, domain)


# --- dates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateEvidence:
    # jsonld, meta (a publication-date tag), time (a <time> of the article), dateline (a date line
    # of the article), meta-generic (a tag that may be a build date: "date", "dc.date"),
    # trafilatura (htmldate's guess), url
    source: str
    value: datetime  # aware when the source gave an offset, naive otherwise
    has_time: bool

    @property
    def precision(self) -> int:
        return 2 if self.value.tzinfo is not None else 1 if self.has_time else 0

    @property
    def clock(self) -> bool:
        """Gives a time of day: not a bare date, nor the midnight CMSs write for one."""
        return self.has_time and self.value.time() != time()

    @property
    def year_default(self) -> bool:
        """1 January without a time of day: what a template or a copyright line gives when it
        knows only a year (a "2022" read as 2022-01-01, a YYYY-01-01T00:00 placeholder)."""
        return self.value.month == 1 and self.value.day == 1 and not self.clock


_SOURCE_RANK = {
    "jsonld": 7,
    "meta": 6,
    "time": 5,
    "dateline": 4,
    "meta-generic": 3,
    "trafilatura": 2,
    "url": 1,
}


def parse_date(text: object, source: str) -> DateEvidence | None:
    """One date as written in a page: ISO 8601, RFC 2822, 2024年6月24日 01:06, and the like."""
    text = squash(text)
    if not text or len(text) > 80:
        return None
    if m := _JA_DATE_RE.search(text):
        y, mo, d, hh, mm = m.groups()
        try:
            value = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0))
        except ValueError:
            return None
        return _sane(DateEvidence(source, value, hh is not None))
    # A year (or a month and a year) is not a date: dateutil would make it 1 January (the 1st).
    if re.fullmatch(r"\D*\d{4}\D*", text):
        return None
    # "GMT9", "GMT+9", "UTC+09:00": an offset written after the zone (dateutil would flip its sign).
    text = _GMT_RE.sub(lambda m: f" {m[1] or '+'}{int(m[2]):02d}:{m[3] or '00'}", text)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        try:
            value = dateutil_parser.parse(text, default=datetime(2000, 1, 1), tzinfos=_tzinfo)
        except (ValueError, OverflowError, TypeError):
            return None
    return _sane(DateEvidence(source, value, bool(_TIME_RE.search(text))))


def _sane(evidence: DateEvidence) -> DateEvidence | None:
    year = evidence.value.year
    return evidence if 1990 <= year <= datetime.now().year + 1 else None


def url_date(url: str, source: str = "url") -> DateEvidence | None:
    """/2024/06/24/, /2024-06-24/, /20240624/ or /2024/jun/24/ in the URL path."""
    try:
        m = _URL_DATE_RE.search(urlsplit(url).path) if url else None
    except ValueError:  # a malformed URL (http://[::1) has no path to read
        return None
    if not m:
        return None
    y, _, mo, d, mo2, d2, mon, d3 = m.groups()
    month = _MONTHS.index(mon[:3].lower()) + 1 if mon else int(mo or mo2)
    try:
        return _sane(DateEvidence(source, datetime(int(y), month, int(d or d2 or d3)), False))
    except ValueError:
        return None


def date_by_address(art: ExtractedArticle, zone: tzinfo) -> None:
    """A pasted page that writes no date: the day its address carries (/2025/10/07/), at midnight
    in ``zone``, as a date without a time."""
    if art.published_at is None and (found := url_date(art.url)):
        art.published_at, art.published_date_only = found.value.replace(tzinfo=zone), True


def _days(ev: DateEvidence, default_tz: tzinfo) -> set[date]:
    days = {ev.value.date()}
    if ev.value.tzinfo is not None:
        days |= {ev.value.astimezone(UTC).date(), ev.value.astimezone(default_tz).date()}
    return days


def choose_date(evidence: list[DateEvidence], default_tz: tzinfo) -> datetime | None:
    """The publication date the evidence agrees on; see :func:`choose_published`."""
    return choose_published(evidence, default_tz)[0]


def choose_published(evidence: list[DateEvidence], default_tz: tzinfo) -> tuple[datetime | None, bool]:
    """(date most sources agree on, whether it is a date without a time of day).

    Agreement is on the calendar day. A 1 January without a time of day (a bare year, a template's
    YYYY-01-01T00:00) counts only where another source gives the same day. Ties go to the more
    precise value, then to the more trusted source (JSON-LD, publication meta tags, the article's
    <time>, its dateline, generic date tags, htmldate's guess, the URL); of the values in the
    winning group the most precise is returned, a local offset preferred to UTC. A value without
    an offset gets ``default_tz``. Date-only: no agreeing source gives a time of day (midnight on
    the dot is how CMSs write a bare date).
    """
    evidence = [e for e in evidence if e is not None]
    days = [_days(e, default_tz) for e in evidence]
    # htmldate's guess supports nothing, and its 1 January is never kept: it may be reading the
    # same placeholder or a copyright year.
    keep = [
        i
        for i, e in enumerate(evidence)
        if not e.year_default
        or (
            e.source != "trafilatura"
            and any(
                j != i and days[i] & days[j] and evidence[j].source != "trafilatura"
                for j in range(len(evidence))
            )
        )
    ]
    evidence, days = [evidence[i] for i in keep], [days[i] for i in keep]
    if not evidence:
        return None, False
    agree = [[j for j in range(len(evidence)) if days[i] & days[j]] for i in range(len(evidence))]

    def rank(i: int) -> tuple:
        e = evidence[i]
        return len({evidence[j].source for j in agree[i]}), len(agree[i]), e.precision, _SOURCE_RANK[e.source]

    best = max(range(len(evidence)), key=rank)
    group = [evidence[j] for j in agree[best]]
    # Among agreeing values the most precise; a local offset (+09:00) says more than the same
    # instant in UTC, so it wins next.
    chosen = max(
        group, key=lambda e: (e.clock, e.precision, bool(e.value.utcoffset()), _SOURCE_RANK[e.source])
    )
    value = chosen.value
    if value.tzinfo is None:
        value = (value if chosen.has_time else datetime.combine(value.date(), time())).replace(
            tzinfo=default_tz
        )
    return value, not any(e.clock for e in group)
