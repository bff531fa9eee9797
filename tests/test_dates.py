"""Dates in pasted news text: every common form, inside a line or alone, always timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.japanese.dates import JST, find_dates, is_date_line, parse_date, published_label

NINE = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    "text",
    [
        "24 Jun 2024 01:06:25 GMT9",
        "24 Jun 2024 01:06:25 GMT+9",
        "24 Jun 2024 01:06:25 GMT+09:00",
        "24 Jun 2024 01:06:25 UTC+9",
        "24 Jun 2024 01:06:25 GMT+0900",
        "24 Jun 2024 01:06:25 +09:00",
        "24 Jun 2024 01:06:25 +0900",
        "24 Jun 2024 01:06:25 JST",
        "24 Jun 2024 01:06:25 KST",
        "24 Jun 2024 01:06:25 (JST)",
        "Mon, 24 Jun 2024 01:06:25 +0900",
        "2024-06-24T01:06:25+09:00",
        "2024年6月24日 1時6分25秒 JST",
        "2024年6月24日 01:06:25（日本時間）",
        "2024/06/24 01:06:25 JST",
        "June 24, 2024 1:06:25 AM KST",
    ],
)
def test_every_nine_hour_zone_is_the_same_instant(text):
    value = parse_date(text)  # default UTC: the zone in the text must win
    assert value == datetime(2024, 6, 24, 1, 6, 25, tzinfo=NINE)
    assert value.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Mar 2025 09:15:00 GMT9", datetime(2025, 3, 12, 9, 15, tzinfo=NINE)),
        ("September 16, 2023", datetime(2023, 9, 16, tzinfo=JST)),
        ("Sep 16, 2023 10:30 AM", datetime(2023, 9, 16, 10, 30, tzinfo=JST)),
        ("Sept. 16, 2023, 10:30 p.m.", datetime(2023, 9, 16, 22, 30, tzinfo=JST)),
        ("16th September 2023", datetime(2023, 9, 16, tzinfo=JST)),
        ("Saturday, 16 September 2023 12:05 am", datetime(2023, 9, 16, 0, 5, tzinfo=JST)),
        ("2023年9月16日", datetime(2023, 9, 16, tzinfo=JST)),
        ("2023年9月16日 10時30分", datetime(2023, 9, 16, 10, 30, tzinfo=JST)),
        ("2023年9月16日（土）午後3時5分", datetime(2023, 9, 16, 15, 5, tzinfo=JST)),
        ("２０２３年９月１６日　１０：３０", datetime(2023, 9, 16, 10, 30, tzinfo=JST)),
        ("令和5年9月16日", datetime(2023, 9, 16, tzinfo=JST)),
        ("2023년 9월 16일 오후 2:10", datetime(2023, 9, 16, 14, 10, tzinfo=JST)),
        ("2023/09/16 10:30", datetime(2023, 9, 16, 10, 30, tzinfo=JST)),
        ("2023.09.16", datetime(2023, 9, 16, tzinfo=JST)),
        ("2024-06-24", datetime(2024, 6, 24, tzinfo=JST)),
        ("2024-06-24 01:06", datetime(2024, 6, 24, 1, 6, tzinfo=JST)),
        ("2024-06-24T01:06:25Z", datetime(2024, 6, 24, 1, 6, 25, tzinfo=UTC)),
        ("2024-06-23T16:06:25.120+00:00", datetime(2024, 6, 23, 16, 6, 25, tzinfo=UTC)),
        ("Sep 16, 2023 10:30 AM EDT", datetime(2023, 9, 16, 10, 30, tzinfo=timezone(timedelta(hours=-4)))),
        ("16 Sep 2023 10:30 GMT-5", datetime(2023, 9, 16, 10, 30, tzinfo=timezone(timedelta(hours=-5)))),
        ("16 Sep 2023 10:30 UTC", datetime(2023, 9, 16, 10, 30, tzinfo=UTC)),
        ("Updated: 24 Jun 2024 01:06 GMT9", datetime(2024, 6, 24, 1, 6, tzinfo=NINE)),
        ("公開日：2024年6月24日 01:06", datetime(2024, 6, 24, 1, 6, tzinfo=JST)),
        ("更新：2024年6月24日 10:00", datetime(2024, 6, 24, 10, 0, tzinfo=JST)),
    ],
)
def test_forms_with_default_zone_jst(text, expected):
    value = parse_date(text, default_tz=JST)
    assert value == expected
    assert value.tzinfo is not None


def test_date_without_zone_takes_the_default_zone():
    assert parse_date("September 16, 2023").utcoffset() == timedelta(0)
    assert parse_date("September 16, 2023", default_tz=JST).utcoffset() == timedelta(hours=9)
    # a zone written in the text beats the default
    assert parse_date("2023/09/16 10:30 UTC", default_tz=JST).utcoffset() == timedelta(0)


def test_same_wall_clock_in_different_zones_are_different_instants():
    assert parse_date("24 Jun 2024 01:06 GMT9") == parse_date("23 Jun 2024 16:06 GMT")
    assert parse_date("24 Jun 2024 01:06 GMT9") != parse_date("24 Jun 2024 01:06 GMT")


def test_dates_inside_a_sentence():
    line = "首脳会談は2023年9月13日に開かれ、条約は2024-06-19に署名された。"
    found = find_dates(line, JST)
    assert [d.text for d in found] == ["2023年9月13日", "2024-06-19"]
    assert [d.value.date().isoformat() for d in found] == ["2023-09-13", "2024-06-19"]
    assert line[found[0].start : found[0].end] == "2023年9月13日"
    assert not found[0].has_time and not found[0].has_zone

    english = "The summit, held on September 13, 2023 in Vladivostok, ended at 5:00 PM."
    (only,) = find_dates(english)
    assert only.text == "September 13, 2023"


def test_positions_refer_to_the_original_line_with_full_width_digits():
    line = "掲載：２０２４年６月２４日 １０：３０"
    (d,) = find_dates(line, JST)
    assert line[d.start : d.end] == "２０２４年６月２４日 １０：３０"
    assert d.value == datetime(2024, 6, 24, 10, 30, tzinfo=JST)
    assert d.has_time and not d.has_zone


@pytest.mark.parametrize(
    "line",
    [
        "12 Mar 2025 09:15:00 GMT9",
        "March 3, 2025",
        "2023年9月16日 10時30分",
        "Updated: Sep 17, 2023 08:00 AM EDT",
        "Published 3 March 2025 | Updated 4 March 2025",
        "公開日：2024年6月24日",
        "更新：2024/06/24 10:30",
        "最終更新日時：2024年6月24日（月）10:30",
        "[2024-06-24]",
    ],
)
def test_date_lines(line):
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "首脳会談は2023年9月13日に開かれた。",
        "On March 3, 2025 the ministry said so.",
        "日韓フェリー航路、4年ぶりに再開へ",
        "Short Url:",
        "",
        "1990",
        "March 2025",
    ],
)
def test_not_date_lines(line):
    assert not is_date_line(line)


def test_impossible_dates_are_ignored():
    assert parse_date("2024年13月40日") is None
    assert parse_date("31 Feb 2024") is None
    assert parse_date("25:70 on 2024-06-24") == datetime(2024, 6, 24, tzinfo=UTC)
    assert parse_date("") is None
    assert parse_date("no date here") is None


def test_published_label():
    assert published_label("Published: 3 March 2025")
    assert published_label("公開日：2024年6月24日")
    assert published_label("配信 2024/06/24")
    assert not published_label("Updated: 4 March 2025")
    assert not published_label("更新：2024年6月24日")
