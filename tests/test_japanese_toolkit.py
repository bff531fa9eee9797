"""The Japanese text toolkit (newsdesk.japanese: normalize, dates, numbers) and newsdesk.core.net."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime

import pytest

from newsdesk.core.net import domain_of, parse_retry_after
from newsdesk.entities.figures import find_dates as timeline_dates
from newsdesk.japanese.dates import ERAS, JST, era_year, find_dates, parse_date
from newsdesk.japanese.normalize import fold, is_katakana, nfkc_casefold, nfkc_with_offsets, normalize
from newsdesk.japanese.numbers import kanji_number, parse_number

# --- normalize ------------------------------------------------------------------------------------


def test_nfkc_with_offsets_maps_every_character_back():
    text = "ＮＡＴＯとﾗｻﾞﾛ・ｸﾞﾙｰﾌﾟ"
    norm, offsets = nfkc_with_offsets(text)
    assert norm == "NATOとラザロ・グループ"
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    start = norm.index("ラザロ")
    end = start + len("ラザロ")
    assert text[offsets[start] : offsets[end]] == "ﾗｻﾞﾛ"  # the voiced mark stays with its kana
    start = norm.index("グループ")
    assert text[offsets[start] : offsets[start + len("グループ")]] == "ｸﾞﾙｰﾌﾟ"


def test_nfkc_with_offsets_expanding_characters_and_lower_case():
    text = "㍿ＡＢ"  # one character that becomes two (株式会社 is four)
    norm, offsets = nfkc_with_offsets(text, lower=True)
    assert norm == "株式会社ab"
    assert offsets == [0, 0, 0, 0, 1, 2, 3]
    assert nfkc_with_offsets("") == ("", [0])


def test_normalize_and_casefold():
    assert normalize("ＮＡＴＯ　ｶﾞｽ") == "nato ガス"
    assert nfkc_casefold("Straße") == "strasse"


def test_fold_width_and_kana():
    assert fold("ﾗｻﾞﾛ") == fold("ラザロ") == "ラザロ"
    assert fold("ばか") == fold("バカ") == fold("ﾊﾞｶ")
    assert fold("ゝゞ") == "ヽヾ"
    assert fold("ＡＩ半導体") == "AI半導体"  # width only: case and kanji are kept


def test_is_katakana():
    assert all(map(is_katakana, "ァヺー"))
    assert not any(map(is_katakana, "あ漢Aｱ・"))


# --- dates and eras -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("era", "year", "expected"),
    [
        ("明治", "元", 1868),
        ("明治", "45", 1912),
        ("大正", "元", 1912),
        ("大正", "15", 1926),
        ("昭和", "元", 1926),
        ("昭和", "64", 1989),
        ("平成", "元", 1989),
        ("平成", "31", 2019),
        ("令和", "元", 2019),
        ("令和", "6", 2024),
    ],
)
def test_era_year(era, year, expected):
    assert era_year(era, year) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明治元年10月23日", dt.date(1868, 10, 23)),
        ("大正元年7月30日", dt.date(1912, 7, 30)),
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("令和６年６月２４日", dt.date(2024, 6, 24)),
    ],
)
def test_every_era_in_the_date_grammar(text, expected):
    value = parse_date(text, JST)
    assert value is not None and value.date() == expected
    assert value.tzinfo is JST


def test_every_era_in_the_timeline():
    for era in ERAS:
        (match,) = timeline_dates(f"{era}2年3月4日に起きた。")
        assert match.date == dt.date(era_year(era, "2"), 3, 4)
    (match,) = timeline_dates("昭和64年1月7日に崩御した。")
    assert match.date == dt.date(1989, 1, 7) and match.text == "昭和64年1月7日"


def test_jst_is_nine_hours_and_dates_find_their_place():
    assert datetime(2024, 6, 24, tzinfo=JST).utcoffset() == timedelta(hours=9)
    assert datetime(2024, 6, 24, 10, 30, tzinfo=JST) == datetime(2024, 6, 24, 1, 30, tzinfo=UTC)
    (match,) = find_dates("公開日：昭和64年1月7日 10:00", JST)
    assert match.text == "昭和64年1月7日 10:00" and match.has_time


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三千五百", Decimal(3500)),
        ("十二", Decimal(12)),
        ("二〇二四", Decimal(2024)),
        ("三十万", Decimal(300000)),
        ("1万2000", Decimal(12000)),
        ("6億2000万", Decimal(620000000)),
        ("2.5億", Decimal(250000000)),
        ("１，４００万", Decimal(14000000)),
        ("5千", Decimal(5000)),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_vague_and_broken_numbers_have_no_value():
    assert parse_number("数百") is None
    assert parse_number("数十万") is None
    assert parse_number("約20") is None
    assert parse_number("") is None
    assert kanji_number("三千五百") == 3500
    assert kanji_number("三千円") is None


# --- core.net -------------------------------------------------------------------------------------


def test_parse_retry_after():
    assert parse_retry_after("120") == 120
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-5") == 0  # a negative wait is no wait
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    assert 50 <= parse_retry_after(in_a_minute) <= 61
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past
    for unreadable in ("soon", "", None, "nan", "inf", "1" * 400, "Mon, 99 Foo 2020 99:99:99 GMT"):
        assert parse_retry_after(unreadable) is None


def test_domain_of():
    assert domain_of("https://www.Example.COM/a/b?c") == "example.com"
    assert domain_of("https://news.example.co.jp") == "news.example.co.jp"
    assert domain_of("") == domain_of("not a url") == domain_of("http://[::1") == ""
