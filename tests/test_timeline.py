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
