"""Dates in Japanese (and other) news text: Japan time, the eras, and the date grammar of a line.

:data:`ERAS` is the one era table (明治 to 令和); :func:`era_year` turns 昭和64 or 令和元 into a
Gregorian year, and :data:`ERA_PATTERN` matches an era's name in a regular expression.

The grammar finds dates as they appear in pasted news text: whole lines or inside a line.

Recognised forms (date, then an optional time, then an optional zone)::

    24 Jun 2024 01:06:25 GMT9      Mon, 24 Jun 2024 01:06:25 +0900
    September 16, 2023             Sep 16, 2023 10:30 AM EDT
    2023年9月16日                  2023年9月16日（土）午後3時5分   令和6年6月24日  昭和64年1月7日
    2024년 6월 24일 10:30          2023/09/16 10:30    2023.09.16
    2024-06-24T01:06:25+09:00      2024-06-24

``GMT9``, ``GMT+9``, ``GMT+09:00``, ``UTC+9``, ``+0900``, ``JST``, ``KST`` and ``日本時間`` all mean
+09:00. Every value returned is timezone-aware: a date without a zone gets ``default_tz``
(callers pass :data:`JST` for Japanese text, :data:`UTC` otherwise). Labels such as ``Updated:``,
``公開日：`` or ``更新：`` are allowed around a date line (see :func:`is_date_line`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

__all__ = [
    "ERAS",
    "ERA_PATTERN",
    "JST",
    "UTC",
    "DateMatch",
    "era_year",
    "find_dates",
    "is_date_line",
    "jst_midnight",
    "parse_date",
    "published_label",
]

# The zone database rather than a fixed +09:00: the same for every date since 1951, and right for
# the older ones (local mean time before 1888, summer time 1948-1951).
JST = ZoneInfo("Asia/Tokyo")

# The Gregorian year of each era's first year (元年): 明治元年 is 1868, 昭和64年 is 1989.
ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
ERA_PATTERN = "|".join(map(re.escape, ERAS))


def jst_midnight(day: date) -> datetime:
    """How a date without a time of day is stored: the start of that day in Japan time, so that
    the day read back in Japan time (on pages, feeds, exports) is the day that was written."""
    return datetime.combine(day, time(), tzinfo=JST)


def era_year(era: str, year: str) -> int:
    """The Gregorian year of ``year`` (digits or 元) of ``era``: 昭和, 64 -> 1989; 令和, 元 -> 2019."""
    return ERAS[era] + (0 if year == "元" else int(year) - 1)


# Full-width ASCII (０-９, ：, ／, ＋ ...) and the ideographic space, one character for one, so that
# positions found in the translated line are positions in the original line.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x2212: 0x2D}

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"

_DATE_RES = [
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d.])(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?![\d/])"),
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]"),
    re.compile(
        rf"(?P<era>{ERA_PATTERN})\s*(?P<y>\d{{1,2}}|元)\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"
    ),
    re.compile(
        r"(?<![\w])" + _WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>\d{4})(?!\d)",
        re.I,
    ),
    re.compile(
        r"(?<![\w])" + _WEEKDAY + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)",
        re.I,
    ),
]
_CJK_WEEKDAY = re.compile(
    r"\s*(?:[(（][月火水木金土日월화수목금토일](?:曜日?|요일)?[)）]|[月火水木金土日]曜日)"
)
# Possessive (``\s*+``) where white space meets white space: a date followed by a long run of
# spaces must not try every way of sharing the run out (quadratic in its length).
_TIME = re.compile(
    r"(?:\s*+(?:(?:,|at|T|@|-|–|、)\s*+)?)"
    r"(?:(?P<ampm_pre>午前|午後|오전|오후)\s*+)?"
    r"(?:"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"|(?P<hc>\d{1,2})\s*[時시](?:\s*(?P<mic>\d{1,2})\s*[分분])?(?:\s*(?P<sc>\d{1,2})\s*[秒초])?"
    r"|(?P<ha>\d{1,2})(?=\s*[ap]\.?\s?m\b)"
    r")"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?",
    re.I,
)
_NAMED_ZONES = {
    "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "PHT": 8, "AWST": 8, "ICT": 7, "WIB": 7,
    "MSK": 3, "CET": 1, "CEST": 2, "BST": 1, "EST": -5, "EDT": -4, "CDT": -5,
    "PST": -8, "PDT": -7, "AEST": 10, "AEDT": 11, "NZST": 12,
    "日本時間": 9, "韓国時間": 9, "北京時間": 8, "中国時間": 8, "台湾時間": 8, "香港時間": 8,
    "モスクワ時間": 3, "한국시간": 9,
}  # fmt: skip
_ZONE = re.compile(
    r"(?P<z>"
    r"\s*+(?:[(（]\s*+)?(?:GMT|UTC)\s*+(?:(?P<zs>[+-])\s*+)?(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?(?!\d)\s*[)）]?"
    r"|\s*+(?P<zs2>[+-])(?P<zh2>\d{2}):?(?P<zm2>\d{2})(?!\d)"
    r"|Z(?![A-Za-z])"
    r"|\s*+(?:[(（]\s*+)?(?P<zname>GMT|UTC|" + "|".join(sorted(_NAMED_ZONES, key=len, reverse=True)) + r")"
    r"(?![A-Za-z])\s*[)）]?"
    r")"
)
_LABEL = (
    r"(?:(?:last\s+|first\s+)?(?:updated|published|posted|modified|released|date)(?:\s+(?:on|at))?"
    r"|最終更新日?時?|公開日?時?|更新日?時?|配信日?時?|掲載日?時?|投稿日?時?|作成日|発行日|日付|初出|発表"
    r"|게재|입력|수정|기사입력|최종수정)"
)
_LABEL_RE = re.compile(_LABEL, re.I)
_PUBLISHED_LABEL = re.compile(r"published|posted|公開|配信|掲載|投稿|初出|발행|게재|입력", re.I)
_REMAINDER_OK = re.compile(r"^[\s|/／・,、;:：()（）\[\]【】\-–—.。]*$")


@dataclass(frozen=True)
class DateMatch:
    """One date found in a line: where it is, what it says, and its aware value."""

    start: int
    end: int
    text: str
    value: datetime
    has_time: bool
    has_zone: bool


def _zone_at(line: str, pos: int, default_tz: tzinfo) -> tuple[tzinfo, int, bool]:
    m = _ZONE.match(line, pos)
    if not m:
        return default_tz, pos, False
    if m.group("zh") is not None:
        hours, minutes = int(m.group("zh")), int(m.group("zm") or 0)
        sign = -1 if m.group("zs") == "-" else 1
    elif m.group("zh2") is not None:
        hours, minutes = int(m.group("zh2")), int(m.group("zm2"))
        sign = -1 if m.group("zs2") == "-" else 1
    elif m.group("zname") and m.group("zname") not in ("GMT", "UTC"):
        hours, minutes, sign = _NAMED_ZONES[m.group("zname")], 0, 1
    else:  # Z, GMT, UTC
        hours, minutes, sign = 0, 0, 1
    if hours > 14 or minutes > 59:
        return default_tz, pos, False
    return timezone(sign * timedelta(hours=hours, minutes=minutes)), m.end(), True


def _time_at(line: str, pos: int) -> tuple[tuple[int, int, int] | None, int]:
    m = _TIME.match(line, pos)
    if not m:
        return None, pos
    h = m.group("h") or m.group("hc") or m.group("ha")
    mi = m.group("mi") or m.group("mic") or "0"
    s = m.group("s") or m.group("sc") or "0"
    hour, minute, second = int(h), int(mi), int(s)
    pm = (m.group("ampm") or "").lower() == "p" or m.group("ampm_pre") in ("午後", "오후")
    am = (m.group("ampm") or "").lower() == "a" or m.group("ampm_pre") in ("午前", "오전")
    if (pm or am) and not 1 <= hour <= 12:
        return None, pos
    if pm and hour < 12:
        hour += 12
    elif am and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None, pos
    return (hour, minute, second), m.end()


def find_dates(line: str, default_tz: tzinfo = UTC) -> list[DateMatch]:
    """Every date in ``line``, in order of position, each with an aware value."""
    norm = line.translate(_WIDTH)
    found: list[DateMatch] = []
    # The spans earlier patterns took, apart and in order: a match overlaps one only if it overlaps
    # the last that starts before its end (a bisection, not a walk over every date of a long line).
    # This pattern's own spans come in order, so only the last of them can overlap the next match.
    taken: list[tuple[int, int]] = []
    for regex in _DATE_RES:
        starts = [start for start, _ in taken]
        spans: list[tuple[int, int]] = []
        for m in regex.finditer(norm):
            before = bisect_left(starts, m.end()) - 1
            if (before >= 0 and taken[before][1] > m.start()) or (spans and spans[-1][1] > m.start()):
                continue
            groups = m.groupdict()
            year = era_year(groups["era"], groups["y"]) if groups.get("era") else int(groups["y"])
            if not MINYEAR < year < MAXYEAR:
                continue  # year 1 or 9999 in some zone is a year before 1 or after 9999 in UTC
            month = _MONTHS[groups["mon"][:3].lower()] if groups.get("mon") else int(groups["m"])
            end = m.end()
            wd = _CJK_WEEKDAY.match(norm, end)
            if wd:
                end = wd.end()
            clock, after_time = _time_at(norm, end)
            tz, has_zone = default_tz, False
            if clock:
                end = after_time
                tz, end, has_zone = _zone_at(norm, end, default_tz)
            try:
                value = datetime(year, month, int(groups["d"]), *(clock or (0, 0, 0)), tzinfo=tz)
            except ValueError:
                continue
            spans.append((m.start(), end))
            found.append(DateMatch(m.start(), end, line[m.start() : end], value, bool(clock), has_zone))
        taken = sorted(taken + spans)
    found.sort(key=lambda d: d.start)
    return found


def parse_date(text: str, default_tz: tzinfo = UTC) -> datetime | None:
    """The first date in ``text`` as an aware datetime, or None when there is none."""
    if not text:
        return None
    dates = find_dates(text, default_tz)
    return dates[0].value if dates else None


def is_date_line(line: str) -> bool:
    """True when the line holds only dates, with labels (``Updated:``, ``公開日：``) and separators."""
    dates = find_dates(line)
    if not dates:
        return False
    rest = list(line.translate(_WIDTH))
    for d in dates:
        rest[d.start : d.end] = " " * (d.end - d.start)
    remainder = _LABEL_RE.sub(" ", "".join(rest))
    return bool(_REMAINDER_OK.match(remainder))


def published_label(line: str) -> bool:
    """True when a date line says it is the publication date (``Published``, ``公開``, ``配信``)."""
    return bool(_PUBLISHED_LABEL.search(line))
