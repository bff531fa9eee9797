"""Numbers as Japanese news writes them: Arabic, kanji or mixed, with 万, 億 and 兆.

``NUMBER_PATTERN`` finds a number in NFKC text (1400万, 6億2000万, 三千五百, 2.5億, 数十万) and
:func:`parse_number` gives its value; vague numbers (数百, 数万) are found but have no value.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["NUMBER_PATTERN", "kanji_number", "parse_number"]

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_KANJI = r"[〇一二三四五六七八九十百千]+"
# Groups of a number, each an Arabic, kanji or vague (数十) part with an optional 兆/億/万; 5千 too.
# The parts and the whole are atomic (``(?>...)``): a run of digits is one part, so a number that
# turns out not to be followed by what the caller wants fails at once, instead of trying every
# way of cutting the run into parts (2**n ways for n digits: thirty digits took minutes). And a
# number starts where its run starts (not after a digit, a kanji numeral, 万, 数 or the 1, of
# 1,000), so a search does not start again inside a long one (quadratic in its length).
NUMBER_PATTERN = (
    rf"(?<![\d〇一二三四五六七八九十百千万億兆数])(?<!\d[,.])"
    rf"(?:(?>(?:(?>{_ARABIC}|{_KANJI}|数[十百千]?)[兆億万]?)+)|(?>{_ARABIC})千)"
)

_GROUP = re.compile(rf"({_ARABIC}|{_KANJI}|数[十百千]?)([兆億万千]?)")


def kanji_number(text: str) -> int | None:
    """A kanji numeral below 10,000 (三千五百 -> 3500, 十二 -> 12, 二〇二四 -> 2024); None when
    ``text`` holds anything else."""
    total, digit = 0, None
    for ch in text:
        if ch in _KANJI_DIGITS:
            # 二〇二四: digits written one after another
            digit = _KANJI_DIGITS[ch] if digit is None else digit * 10 + _KANJI_DIGITS[ch]
        elif ch in _SMALL_UNITS:
            total += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def parse_number(text: str) -> Decimal | None:
    """The value of a Japanese number: 6億2000万 -> 620000000, 1万2000 -> 12000, 3.5 -> 3.5, 三十万 ->
    300000, 2.5億 -> 250000000; None for vague ones (数万) and for anything that is not a number."""
    text = unicodedata.normalize("NFKC", text)
    total = Decimal(0)
    pos = 0
    for match in _GROUP.finditer(text):
        if match.start() != pos:
            return None
        pos = match.end()
        number, unit = match.groups()
        if number.startswith("数"):
            return None
        if number[0].isdigit():
            try:
                value = Decimal(number.replace(",", ""))
            except InvalidOperation:
                return None
        else:
            kanji = kanji_number(number)
            if kanji is None:
                return None
            value = Decimal(kanji)
        try:
            total += value * (_BIG_UNITS.get(unit) or _SMALL_UNITS.get(unit) or 1)
        except ArithmeticError:  # beyond Decimal's range (a million digits, then 兆): no number
            return None
    return total if pos == len(text) and pos else None
