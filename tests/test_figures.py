"""Key figures: numbers with units and counters, their value and the sentence they come from."""

from decimal import Decimal

import pytest

from newsdesk.entities import service
from newsdesk.entities.figures import find_figures
from newsdesk.japanese.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("北朝鮮は年間1400万発の砲弾を生産できる。", "年間1400万発", "14000000", "発"),
        ("これまでに250万発を送った。", "250万発", "2500000", "発"),
        ("被害額は6億2000万ドルにのぼる。", "6億2000万ドル", "620000000", "ドル"),
        ("輸出は約20％増えた。", "約20％", "20", "%"),
        ("成長率は3.5％だった。", "3.5％", "3.5", "%"),
        ("運賃は1万2000円から。", "1万2000円", "12000", "円"),
        ("定員は430席。", "430席", "430", "席"),
        ("週5往復を運航する。", "週5往復", "5", "往復"),
        ("およそ三十万人が集まった。", "およそ三十万人", "300000", "人"),
        ("全体の3分の1を占める。", "3分の1", None, "分の"),
        ("約1時間40分飛行した。", "約1時間40分", None, "時間"),
        ("年間約80万トンを輸入する。", "年間約80万トン", "800000", "トン"),
        ("５日以内に報告する。", "５日以内", "5", "日"),
        ("３か国が参加した。", "３か国", "3", "カ国"),
    ],
)
def test_figures_with_units_and_counters(text, figure, value, unit):
    found = {match.text: match for match in find_figures(text)}
    assert figure in found, found
    match = found[figure]
    assert match.unit == unit
    if value is not None:
        assert match.value == Decimal(value)
    assert text[match.begin : match.end] == figure


def test_fractions_and_durations_have_values():
    third, flight = find_figures("3分の1が約1時間30分で届いた。")
    assert third.value == Decimal(1) / Decimal(3)
    assert flight.value == Decimal("1.5")


@pytest.mark.parametrize(
    "text",
    [
        "2023年9月13日に会談した。",  # dates are events, not figures
        "会談は5月28日に開かれた。",
        "一部の議員が反対した。",
        "一方、政府は発表した。",
        "令和6年の予算。",
        "2日、発表した。",
    ],
)
def test_dates_and_common_words_are_not_figures(text):
    assert find_figures(text) == []


@pytest.mark.parametrize(
    ("number", "value"),
    [
        ("6億2000万", 620000000),
        ("1万2000", 12000),
        ("三千五百", 3500),
        ("十二", 12),
        ("1,200", 1200),
        ("3千", 3000),
    ],
)
def test_parse_number(number, value):
    assert parse_number(number) == value


def test_vague_numbers_have_no_value():
    assert parse_number("数十万") is None
    (match,) = find_figures("数十万人が避難した。")
    assert match.text == "数十万人" and match.value is None


def test_figures_of_article_keep_their_sentence(article_factory):
    article = article_factory(
        language="ja",
        paragraphs=[
            "北朝鮮はロシアに砲弾を送っている。生産能力は年間1400万発に達する可能性がある。",
            "被害額は6億2000万ドルで、約20％が回収された。",
        ],
        translation=[],
    )
    service.process(article)
    figures = service.figures_of(article)
    assert [f.text for f in figures] == ["年間1400万発", "6億2000万ドル", "約20％"]
    assert figures[0].sentence == "生産能力は年間1400万発に達する可能性がある。"
    assert figures[0].value == Decimal(14000000) and figures[0].unit == "発"
    assert figures[1].sentence == figures[2].sentence == "被害額は6億2000万ドルで、約20％が回収された。"
    assert [f.paragraph for f in figures] == [0, 1, 1]
