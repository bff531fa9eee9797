"""Search that reads like an editor: aliases, width and kana folding, order, the API in OpenAPI,
and NG words / the spam scorer through the same folding without firing inside other words."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from newsdesk.comments.abuse import match_ng_word
from newsdesk.comments.models import NGWord
from newsdesk.comments.spam import RuleScorer
from newsdesk.japanese.normalize import WordText, fold_word
from newsdesk.search import aliases
from newsdesk.search.backends import Filters, get_backend
from newsdesk.search.text import parse_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(article_factory):
    def build(*paragraphs, **fields):
        fields.setdefault("translation", list(paragraphs))
        fields.setdefault("summary", [])
        return article_factory(**fields)

    return build


def ids(raw: str, order: str = "relevance", **filters) -> set[int]:
    query = aliases.expand(parse_query(raw))
    results = get_backend().search(query, Filters(**filters), 1, 50, order)
    return {hit.article_id for hit in results.hits}


def found(raw: str) -> int:
    return get_backend().search(aliases.expand(parse_query(raw)), Filters(), 1, 50).count


# Aliases, both directions.
def test_lazarus_aliases_find_each_other(make):
    group = make("ラザロ・グループが暗号資産を盗んだ。")
    english = make("当局はLazarusの関与を指摘した。")
    katakana = make("ラザルスによる攻撃とみられる。")
    make("ラザニアの作り方。")
    every = {group.pk, english.pk, katakana.pk}
    for raw in ("ラザルス", "Lazarus", "lazarus", "ラザロ・グループ", "ラザロ"):
        assert ids(raw) == every, raw


def test_america_aliases_find_each_other(make):
    america = make("アメリカの大統領が来日した。")
    beikoku = make("米国務長官が会見した。")
    kome = make("米中首脳が会談した。")
    english = make("The United States announced tariffs.")
    # 米 typed finds every name; アメリカ and 米国 find each other and the English name, but not the
    # bare 米 (a one-character alias is never added: it would match 玄米).
    assert ids("米") == {america.pk, beikoku.pk, kome.pk, english.pk}
    assert ids("アメリカ") == {america.pk, beikoku.pk, english.pk}
    assert ids("米国") == {america.pk, beikoku.pk, english.pk}


def test_short_alias_guard(make):
    rice = make("玄米の値段が上がった。")
    focus = make("Officials focus on the status of talks.")
    social = make("A social media campaign.")
    america = make("アメリカが発表した。")
    # アメリカ is not widened to 米, US, USA or CIA-like short Latin names that sit inside words.
    assert ids("アメリカ") == {america.pk}
    assert rice.pk not in ids("アメリカ") and focus.pk not in ids("アメリカ")
    assert social.pk not in ids("CIA".lower() + " アメリカ")
    alternatives = aliases.alternatives("アメリカ")
    assert "米" not in alternatives and "us" not in alternatives and "usa" not in alternatives
    assert alternatives[0] == "アメリカ"


def test_alias_expansion_ands_terms_and_keeps_filters(make, outlet_factory):
    other = outlet_factory()
    one = make("ラザロ・グループが韓国の銀行を攻撃した。")
    make("ラザロ・グループが日本の取引所を攻撃した。")
    make("ラザルスが韓国を狙った。", outlet=other)
    assert ids("ラザルス 韓国", outlet=one.outlet_id) == {one.pk}


def test_new_alias_takes_effect_at_once(make):
    from newsdesk.entities.models import Alias, Entity

    article = make("ラザロ・グループの新たな手口。")
    entity = Entity.objects.get(name="ラザロ・グループ")
    assert found("ヒドゥンコブラ") == 0
    Alias.objects.create(entity=entity, name="ヒドゥンコブラ")
    assert ids("ヒドゥンコブラ") == {article.pk}


# Width and kana folding.
def test_half_width_and_hiragana_find_katakana(make):
    article = make("ラザロの活動が活発化。")
    assert ids("ﾗｻﾞﾛ") == {article.pk}
    assert ids("らざろ") == {article.pk}
    written_half = make("ｿｳﾙで会談。")
    assert ids("ソウル") >= {written_half.pk}
    assert ids("そうる") >= {written_half.pk}


def test_snippet_marks_folded_and_alias_hits(client, make):
    make("ラザロ・グループが動いた。")
    html = client.get("/search/", {"q": "ﾗｻﾞﾙｽ"}).content.decode()
    assert "<mark>ラザロ" in html


def test_reindex_migration_refolds_stored_text(make):
    import importlib

    from django.db.migrations.state import ProjectState

    article = make("らざろの話。")
    with connection.cursor() as cursor:  # as stored before folding: hiragana kept
        cursor.execute(
            "UPDATE search_searchdocument SET body = %s WHERE article_id = %s", ["らざろの話。", article.pk]
        )
    migration = importlib.import_module("newsdesk.search.migrations.0002_fold_kana")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.refold(ProjectState().apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM search_searchdocument WHERE article_id = %s", [article.pk])
        assert cursor.fetchone()[0] == "ラザロノ話。"
    assert ids("ラザロ") == {article.pk}


# Order.
def test_date_order_is_newest_first(make):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    old_headline = make("本文に半導体。", title="半導体の話", site_published_at=now - dt.timedelta(days=2))
    new_body = make("本文に半導体。", title="別の話", site_published_at=now - dt.timedelta(hours=1))
    results = get_backend().search(parse_query("半導体"), Filters(), 1, 10, "date")
    assert [hit.article_id for hit in results.hits] == [new_body.pk, old_headline.pk]
    relevance = get_backend().search(parse_query("半導体"), Filters(), 1, 10, "relevance")
    assert relevance.hits[0].article_id == old_headline.pk


def test_search_page_order_and_filters(client, make):
    make("ラザロ・グループの件。")
    make("ラザルスの件。")
    html = client.get("/search/", {"q": "ラザロ", "order": "date"}).content.decode()
    assert 'name="order"' in html and "新しい順" in html
    assert '<strong aria-current="true">新しい順</strong>' in html
    assert 'href="?q=%E3%83%A9%E3%82%B6%E3%83%AD&amp;order=relevance"' in html
    assert "検索結果：2件" in html
    bad = client.get("/search/", {"q": "ラザロ", "order": "popular"})
    assert bad.status_code == 400 and "order は" in bad.content.decode()


# The API.
def test_api_search_in_openapi():
    document = Client().get("/api/openapi.json").json()
    operation = document["paths"]["/search"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names >= {"q", "outlet", "entity", "since", "until", "order", "page"}
    assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "error" in document["components"]["schemas"]["Error"]["properties"]
    assert "results" in document["components"]["schemas"]["SearchResults"]["properties"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({}, "検索語"),
        ({"q": "米", "since": "昨日"}, "日付"),
        ({"q": "米", "page": "0"}, "以上"),
        ({"q": "米", "order": "x"}, "新しい順"),
        ({"q": "米", "since": "2025-02-01", "until": "2025-01-01"}, "終了日"),
        ({"q": " ".join(f"語{i}" for i in range(9))}, "8語"),
    ],
)
def test_api_errors_are_japanese_json(params, words):
    response = Client().get("/api/search", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert words in response.json()["error"]


def test_api_refuses_other_methods_in_japanese_json():
    response = Client().post("/api/search?q=米", {}, content_type="application/json")
    assert response.status_code == 405 and "GET" in response.json()["error"]


def test_api_finds_by_alias(make):
    article = make("ラザロ・グループが動いた。")
    body = Client().get("/api/search", {"q": "Lazarus"}).json()
    assert [item["id"] for item in body["results"]] == [article.pk]


# NG words and the spam scorer.
@pytest.mark.parametrize(
    "text", ["バカ", "ﾊﾞｶ", "ばか", "お前ばかだな", "おまえはバカ！", "ばかばかしい ばか"]
)
def test_ng_word_catches_folded_forms(text):
    NGWord.objects.create(word="ばか", action=NGWord.Action.HOLD)
    assert match_ng_word(text) is not None, text


@pytest.mark.parametrize("text", ["ばかりだ", "それだけばかりか", "バカンスに行く", "ロバカート"])
def test_ng_word_hiragana_and_katakana_no_false_positives(text):
    NGWord.objects.create(word="ばか", action=NGWord.Action.HOLD)
    assert match_ng_word(text) is None, text


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("カステラを食べた", False),  # katakana after: inside カステラ
        ("ラスカスという名前", False),  # katakana before: inside ラスカス
        ("カスタマー", False),
        ("このカス！", True),
        ("カスが", True),
        ("ｶｽめ", True),
        ("かすめる", False),  # hiragana: かすめる is one word (token)
        ("お前はかすだ", True),
    ],
)
def test_katakana_ng_word_boundaries(text, hit):
    NGWord.objects.create(word="カス", action=NGWord.Action.HOLD)
    assert (match_ng_word(text) is not None) is hit, text


def test_word_text_rules():
    assert WordText("わたしね、").contains(fold_word("しね")) is False
    assert WordText("お前しね").contains(fold_word("しね")) is True
    assert WordText("so b a d").contains(fold_word("ＢＡＤ")) is True
    assert WordText("badge").contains(fold_word("bad")) is False
    assert WordText("土人").contains(fold_word("土人")) is True


def test_spam_scorer_folds_without_false_positives():
    scorer = RuleScorer()
    assert scorer.score("ﾊﾞｶじゃないの", "") > 0
    assert scorer.score("ばかじゃないの", "") == scorer.score("バカじゃないの", "")
    assert scorer.score("カステラとラスカスとシネマの話。わたしね、ばかりか", "") == 0
    assert scorer.score("お前ｼﾈ", "") >= 0.5


def test_two_terms_each_with_short_and_long_names_count_right(make):
    both_short = make("米露が協議した。")
    long_and_short = make("アメリカとロシアが協議。米国も露も。")
    long_only = make("アメリカとロシアの首脳。")
    make("アメリカだけの話。")
    make("露店の話。")
    expected = {both_short.pk, long_and_short.pk, long_only.pk}
    assert ids("米 露") == expected
    assert found("米 露") == 3
    assert ids("米 露", order="date") == expected
    assert "ロシア" in aliases.alternatives("露")
