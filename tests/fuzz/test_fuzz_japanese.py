"""Fuzzing the text functions that read numbers and dates out of outside text, and the
normalisation whose offsets map matches back into the original.

- ``find_dates`` / ``parse_date`` / ``is_date_line``: no exception, every match a slice of the
  line, in order and apart, with an aware value that converts to UTC (the database keeps UTC);
- ``parse_number`` / ``kanji_number``: a value or None; ``NUMBER_PATTERN`` never backtracks for
  ages, whatever follows the number;
- ``nfkc_with_offsets``: one offset per character of the result plus the end, ascending, each
  piece of the result the normalisation of the piece of the original its offsets point to.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.japanese.dates import (
    ERAS,
    JST,
    era_year,
    find_dates,
    is_date_line,
    jst_midnight,
    parse_date,
    published_label,
)
from newsdesk.japanese.normalize import (
    _COMPOSE_WITH_PREVIOUS,
    WordText,
    fold,
    fold_word,
    nfkc_casefold,
    nfkc_with_offsets,
    normalize,
    search_form,
)
from newsdesk.japanese.numbers import NUMBER_PATTERN, kanji_number, parse_number
from tests.fuzz.harness import FUZZ, deadline
from tests.fuzz.strategies import japanese_text

pytestmark = pytest.mark.fuzz

ZONES = st.sampled_from([UTC, JST])
# The number as the figure reader uses it, followed by what is not a unit: a failed match must not
# try every way of cutting the digits into groups.
NUMBER_THEN_UNIT = re.compile(rf"(?:{NUMBER_PATTERN})\s?(?:人|円|ドル|%)")


@FUZZ
@given(line=japanese_text(), tz=ZONES)
def test_find_dates_gives_aware_dates_in_place(line, tz):
    with deadline(len(line)):
        found = find_dates(line, tz)
        first = parse_date(line, tz)
        is_date_line(line)
        published_label(line)
    previous_end = 0
    for match in found:
        assert 0 <= match.start < match.end <= len(line)
        assert match.start >= previous_end, "matches are in order and do not overlap"
        previous_end = match.end
        assert match.text == line[match.start : match.end]
        assert match.value.utcoffset() is not None
        match.value.astimezone(UTC)  # storable
        assert 1 < match.value.year < 9999
    assert first == (found[0].value if found else None)


@FUZZ
@given(text=japanese_text())
def test_parse_number_gives_a_value_or_none(text):
    with deadline(len(text)):
        value = parse_number(text)
        kanji = kanji_number(text)
        NUMBER_THEN_UNIT.search(unicodedata.normalize("NFKC", text))
    assert value is None or (isinstance(value, Decimal) and value.is_finite() and value >= 0)
    assert kanji is None or kanji >= 0


@FUZZ
@given(text=japanese_text(), lower=st.booleans(), kana=st.booleans())
def test_nfkc_offsets_map_back_into_the_original(text, lower, kana):
    with deadline(len(text)):
        norm, offsets = nfkc_with_offsets(text, lower=lower, kana=kana)
        normalize(text), nfkc_casefold(text), fold(text), fold_word(text)
        folded = search_form(text)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert offsets == sorted(offsets)
    assert all(0 <= o < len(text) for o in offsets[:-1])
    # The result is what the function for the whole text gives (search_form, with both).
    whole = unicodedata.normalize("NFKC", text)
    whole = fold(whole) if kana else whole
    assert norm == (whole.lower() if lower else whole)
    if lower and kana:
        assert norm == folded
    # Each run of equal offsets is the normalisation of the original from there to the next one
    # (but for ς, which lower case gives a Σ only at a word's end).
    starts = [i for i in range(len(norm)) if i == 0 or offsets[i] != offsets[i - 1]] + [len(norm)]
    for a, b in zip(starts, starts[1:], strict=False):
        piece = unicodedata.normalize("NFKC", text[offsets[a] : offsets[b]])
        piece = fold(piece) if kana else piece
        piece = piece.lower() if lower else piece
        assert norm[a:b].replace("ς", "σ") == piece.replace("ς", "σ")


@FUZZ
@given(
    text=japanese_text(surrogates=False), word=st.sampled_from(["ばか", "死ね", "bad", "カス", "nato", ""])
)
def test_word_text_finds_words_without_failing(text, word):
    with deadline(len(text)):
        WordText(text).contains(fold_word(word))


@pytest.mark.parametrize("era", sorted(ERAS))
def test_era_years(era):
    for year in ["元", *map(str, range(100))]:
        assert era_year(era, year) == ERAS[era] + (0 if year == "元" else int(year) - 1)
        jst_midnight(date(era_year(era, year), 1, 1)).astimezone(UTC)


# -- what the fuzzing found ------------------------------------------------------------------------


def test_a_date_followed_by_a_long_run_of_spaces():
    """Found: 「September 16, 2023」, 3,000 spaces, another date: the time and zone patterns
    (``\\s*(sep)?\\s*``) tried every way of sharing the spaces out, quadratic in the run."""
    line = "September 16, 2023" + " " * 50_000 + "12 Mar 2025 09:15:00 GMT9"
    with deadline(len(line)):
        found = find_dates(line)
        assert is_date_line(line)
    assert [d.value.year for d in found] == [2023, 2025]


def test_many_dates_on_one_line():
    """Each date was checked against every date found before it (quadratic in their number)."""
    line = "2024-06-24 2024/06/25 " * 20_000
    with deadline(len(line)):
        assert len(find_dates(line)) == 40_000


@pytest.mark.parametrize(
    "line", ["0001-01-01T00:00+14:00", "9999-12-31 23:59 GMT-12", "西暦9999年12月31日", "0001/01/01"]
)
def test_a_date_at_the_ends_of_the_calendar_is_no_date(line):
    """Found: 0001-01-01 at +14:00 is a time before year 1 in UTC (OverflowError on storing)."""
    for tz in (UTC, JST):
        assert find_dates(line, tz) == []


@pytest.mark.parametrize(
    "text",
    [
        "12 Mar 2025 09:15:00 GMT9" + "0" * 3_000,
        "1" * 100_000 + "x",
        "一" * 40 + "x",
        "12 Mar 2025 09:15:00 GMT9" + "〇" * 200_000,
        "数" * 40_000 + "x",
        "1万" * 50_000 + "x",
        "1" + ",000" * 50_000 + "x",
    ],
)
def test_a_long_run_of_digits_is_read_at_once(text):
    """Found: 「...GMT9」 and 3,000 zeros: NUMBER_PATTERN's ``(digits+)+`` tried every way of cutting
    the run into groups (2**n for n digits) before the unit failed to follow. Then (the long
    campaign) 200,000 〇: a search started again at each numeral of a run, quadratic in its
    length; so did 数数数..., 1万1万... and 1,000,000,..."""
    with deadline(len(text)):
        assert NUMBER_THEN_UNIT.search(text) is None
        assert parse_number(text) is None


def test_a_number_beyond_decimal_range_has_no_value():
    """A million digits and 兆: Decimal raised Overflow."""
    assert parse_number("9" * 1_000_000 + "兆") is None
    assert parse_number("1400万") == Decimal(14_000_000)


def test_nfkc_pieces_follow_what_composes():
    """Found writing this file's invariant: ᄀ + ᅡ (conjoining jamo) and a final Σ were normalised
    one piece at a time, so the result was not search_form's, as documented (2 jamo for 가, σ for
    ς: a query did not find them to highlight); the
    letters that compose with the one before them are those of the Unicode database."""
    assert nfkc_with_offsets("\u1100\u1161", lower=True, kana=True) == ("가", [0, 2])
    assert nfkc_with_offsets("ΟΔΟΣ", lower=True) == ("οδος", [0, 1, 2, 3, 4])
    seconds = {chr(cp) for cp in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}
    for cp in range(0x30000):
        decomposition = unicodedata.decomposition(chr(cp)).split()
        if len(decomposition) == 2 and not decomposition[0].startswith("<"):
            second = chr(int(decomposition[1], 16))
            if not unicodedata.combining(second):
                seconds.add(second)
    assert seconds == _COMPOSE_WITH_PREVIOUS
