"""Timeline: dates in the text turned into dated events, the year taken from the article's date."""

import datetime as dt

import pytest

from newsdesk.entities import service
from newsdesk.entities.figures import find_dates

REFERENCE = dt.date(2024, 10, 5)


@pytest.mark.parametrize(
    ("text", "date", "precision", "surface"),
    [
        ("首脳会談は2023年9月13日に開かれた。", dt.date(2023, 9, 13), "day", "2023年9月13日"),
        ("条約は2024年6月に署名された。", dt.date(2024, 6, 1), "month", "2024年6月"),
        ("2020年に始まった。", dt.date(2020, 1, 1), "year", "2020年"),
        ("9月13日に発表した。", dt.date(2024, 9, 13), "day", "9月13日"),
        ("１２月３日に発表した。", dt.date(2024, 12, 3), "day", "１２月３日"),
        ("昨年5月に訪れた。", dt.date(2023, 5, 1), "month", "昨年5月"),
        ("令和5年に改正された。", dt.date(2023, 1, 1), "year", "令和5年"),
    ],
)
def test_dates(text, date, precision, surface):
    (match,) = find_dates(text, REFERENCE)
    assert (match.date, match.precision, match.text) == (date, precision, surface)
    assert text[match.begin : match.end] == surface


def test_a_date_far_after_the_article_is_from_the_year_before():
    (match,) = find_dates("12月28日に発表した。", dt.date(2025, 1, 10))
    assert match.date == dt.date(2024, 12, 28)


def test_same_year_refers_to_the_last_year_written():
    matches = find_dates("2019年2月に会談し、同年6月にも会った。", REFERENCE)
    assert [(m.date, m.precision) for m in matches] == [
        (dt.date(2019, 2, 1), "month"),
        (dt.date(2019, 6, 1), "month"),
    ]


@pytest.mark.parametrize("text", ["2020年代に入って", "6月に入って", "2月30日に", "今年は暑い"])
def test_not_events(text):
    assert find_dates(text, REFERENCE) == []


def test_events_of_article_take_the_year_of_its_date(article_factory):
    article = article_factory(
        language="ja",
        published_at=dt.datetime(2025, 6, 2, 8, 40, tzinfo=dt.UTC),
        paragraphs=[
            "朝鮮中央通信は5月28日、視察を伝えた。砲弾の輸送は2023年8月に始まった。",
            "2020年の合意。",
        ],
        translation=[],
    )
    service.process(article)
    events = service.events_of(article)
    assert [(e.label, e.precision) for e in events] == [
        ("2020年", "year"),
        ("2023年8月", "month"),
        ("2025年5月28日", "day"),
    ]
    assert events[2].sentence == "朝鮮中央通信は5月28日、視察を伝えた。"
    assert events[1].sentence == "砲弾の輸送は2023年8月に始まった。"


# Ranges, fiscal years and dates relative to the article's


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("朝鮮戦争（1950～1953年）の後", [(dt.date(1950, 1, 1), "year"), (dt.date(1953, 1, 1), "year")]),
        ("朝鮮戦争(1950~53年)の後", [(dt.date(1950, 1, 1), "year"), (dt.date(1953, 1, 1), "year")]),
        ("会議は9月13～14日に開かれた。", [(dt.date(2024, 9, 13), "day"), (dt.date(2024, 9, 14), "day")]),
        ("2024年6〜8月に実施した。", [(dt.date(2024, 6, 1), "month"), (dt.date(2024, 8, 1), "month")]),
        ("2023年12月30日～1月2日に", [(dt.date(2023, 12, 30), "day"), (dt.date(2024, 1, 2), "day")]),
        ("2024年度の予算", [(dt.date(2024, 4, 1), "year")]),
        ("令和6年度の予算", [(dt.date(2024, 4, 1), "year")]),
        ("来年度から始める。", [(dt.date(2025, 4, 1), "year")]),
        ("先週発表した。", [(dt.date(2024, 9, 23), "week")]),
        ("今月中に決める。", [(dt.date(2024, 10, 1), "month")]),
        ("先月、合意した。", [(dt.date(2024, 9, 1), "month")]),
        ("昨年、開業した。", [(dt.date(2023, 1, 1), "year")]),
        ("来年には完成する。", [(dt.date(2025, 1, 1), "year")]),
        ("昨日、発表した。", [(dt.date(2024, 10, 4), "day")]),
    ],
)
def test_ranges_fiscal_years_and_relative_dates(text, expected):
    matches = find_dates(text, REFERENCE)
    assert [(m.date, m.precision) for m in matches] == expected
    for m in matches:
        assert text[m.begin : m.end] == m.text


def test_a_fiscal_year_said_in_its_first_months_began_the_year_before():
    (match,) = find_dates("今年度の予算", dt.date(2025, 2, 10))
    assert match.date == dt.date(2024, 4, 1)


def test_timeline_labels_say_fiscal_years_and_weeks(article_factory):
    article = article_factory(
        language="ja",
        paragraphs=["朝鮮戦争（1950～1953年）の後、2024年度に予算がつき、先週着工した。"],
        translation=[],
        published_at=dt.datetime(2024, 10, 5, 3, tzinfo=dt.UTC),
    )
    service.process(article)
    assert [e.label for e in service.events_of(article)] == [
        "1950年",
        "1953年",
        "2024年度",
        "2024年9月23日の週",
    ]
