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


# Salience, one sentence once, and what counts as the same quantity


def test_key_figures_rank_money_and_totals_first_and_show_each_sentence_once(article_factory):
    from django.template.loader import render_to_string

    article = article_factory(
        language="ja",
        paragraphs=[
            "新航路は週5日運航し、所要時間は1時間。同社にとって2隻目のフェリーとなる。",
            "総事業費は250億円で、国が約50億円を補助する。",
            "利用者は年間15万人を見込む。",
        ],
        translation=[],
    )
    service.process(article)
    groups = service.key_figures(article)
    assert [g["sentence"] for g in groups] == [
        "総事業費は250億円で、国が約50億円を補助する。",
        "利用者は年間15万人を見込む。",
        "新航路は週5日運航し、所要時間は1時間。",
        "同社にとって2隻目のフェリーとなる。",
    ]
    assert [f.text for f in groups[0]["figures"]] == ["250億円", "約50億円"]
    html = render_to_string("entities/_article_panel.html", {"article": article})
    assert html.count("総事業費は250億円で、国が約50億円を補助する。") == 1
    assert html.index("250億円") < html.index("年間15万人") < html.index("週5日")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (("12人", "死者は12人に達した。"), ("15人", "死者15人が確認された。"), True),
        (("約2万8000個", "コンテナは約2万8000個にのぼる。"), ("約2万個", "コンテナは約2万個。"), True),
        (("約12万人", "観光客は約12万人だった。"), ("年間15万人", "観光客は年間15万人にのぼる。"), False),
        (("12万人", "12万人の観客が集まった。"), ("3人", "死者は3人。"), False),
    ],
)
def test_the_same_quantity_needs_the_same_unit_rate_and_noun(first, second, same):
    from newsdesk.entities.figures import quantity_of

    (a,), (b,) = find_figures(first[1]), find_figures(second[1])
    assert a.text == first[0] and b.text == second[0]
    assert (quantity_of(a.text, a.unit, first[1]) == quantity_of(b.text, b.unit, second[1])) is same


def test_outlets_differ_only_on_the_same_quantity(article_factory, outlet_factory):
    from types import SimpleNamespace

    from newsdesk.stories.facts import shared_facts

    texts = {
        "a.example": "死者は12人に達した。観光客は約12万人だった。",
        "b.example": "死者は15人に達した。観光客は年間15万人にのぼる。",
    }
    memberships = []
    for domain, text in texts.items():
        article = article_factory(
            language="ja", paragraphs=[text], translation=[], outlet=outlet_factory(domain)
        )
        service.process(article)
        memberships.append(SimpleNamespace(article=article, duplicate_of_id=None))
    rows = {(f["unit"], f["rate"], f["about"]): f["disputed"] for f in shared_facts(memberships)["figures"]}
    assert rows == {("人", "", "死者"): True}  # 約12万人 and 年間15万人 are not one quantity
