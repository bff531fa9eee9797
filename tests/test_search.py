"""Japanese search: short and long queries, normalisation, AND, filters, snippets, ranking, API."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.entities.models import Entity, Kind, Mention
from newsdesk.japanese.normalize import normalize
from newsdesk.pipeline.stages import stage_names
from newsdesk.search import checks, service
from newsdesk.search.backends import Filters, get_backend
from newsdesk.search.models import SearchDocument
from newsdesk.search.stage import IndexStage
from newsdesk.search.text import QueryError, parse_query, snippet

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(article_factory):
    """``make("本文", title=..., **fields)``: a published article whose Japanese body is the text."""

    def build(*paragraphs, **fields):
        fields.setdefault("translation", list(paragraphs))
        fields.setdefault("summary", [])
        return article_factory(**fields)

    return build


def ids(raw: str, **filters) -> list[int]:
    results = get_backend().search(parse_query(raw), Filters(**filters), 1, 50)
    return [hit.article_id for hit in results.hits]


def count(raw: str, **filters) -> int:
    return get_backend().search(parse_query(raw), Filters(**filters), 1, 50).count


# Query lengths.
def test_one_character_query(make):
    usa = make("米国務長官が来日した。")
    make("中国の外相が訪韓した。")
    assert ids("米") == [usa.pk]


def test_two_character_query_needs_the_characters_together(make):
    north = make("北朝鮮がミサイルを発射した。")
    make("北の町と朝の市場。")  # 北 and 朝, but never 北朝
    assert ids("北朝") == [north.pk]


def test_three_character_query(make):
    kim = make("金正恩総書記が視察した。")
    make("金正日総書記の誕生日。")
    assert ids("金正恩") == [kim.pk]
    assert set(ids("総書記")) == {kim.pk, kim.pk + 1}


def test_short_query_with_punctuation_is_checked_whole(make):
    dotted = make("日・韓首脳会談。")
    make("日韓首脳会談。")
    assert ids("日・") == [dotted.pk]
    assert ids("・") == []  # no letter: nothing to search for


# Mixed scripts and normalisation.
def test_mixed_scripts(make):
    kim = make("Kim Jong Unこと金正恩氏が演説。")
    make("金正恩氏が演説。")
    make("Kim Dae-jung元大統領。")
    assert ids("Kim 金正恩") == [kim.pk]
    ai = make("EUのAI規制法が成立した。")
    assert ids("AI規制") == [ai.pk]
    assert ids("ai規制") == [ai.pk]
    assert ids("ＡＩ規制") == [ai.pk]


def test_full_width_and_half_width_find_each_other(make):
    full = make("ＮＡＴＯ首脳会議が開かれた。")
    half = make("NATOの事務総長が訪日。")
    assert set(ids("NATO")) == {full.pk, half.pk}
    assert set(ids("ＮＡＴＯ")) == {full.pk, half.pk}
    assert set(ids("nato")) == {full.pk, half.pk}
    kana = make("ｶﾞｽ田の開発が進む。")
    assert ids("ガス田") == [kana.pk]
    assert ids("ｶﾞｽ") == [kana.pk]


def test_normalize_and_parse():
    assert normalize("ＮＡＴＯ　ｶﾞｽ") == "nato ガス"
    assert parse_query("米　北朝 金正恩  米").terms == ("米", "北朝", "金正恩")
    with pytest.raises(QueryError):
        parse_query("あ" * 201)
    with pytest.raises(QueryError):
        parse_query(" ".join(f"語{i}" for i in range(9)))


# AND of terms.
def test_terms_are_anded_on_any_space(make):
    both = make("米中首脳会談で北朝鮮問題を協議。")
    make("米国の大統領選。")
    make("北朝鮮の軍事パレード。")
    assert ids("米 北朝鮮") == [both.pk]
    assert ids("米　北朝鮮") == [both.pk]  # 全角スペース
    assert ids("米 北朝") == [both.pk]
    assert ids("米 北朝 首脳会談") == [both.pk]
    assert ids("米 台湾") == []


# Filters.
def test_filter_by_outlet(make, outlet_factory):
    other = outlet_factory("other.example.com", name="Other")
    here = make("台湾海峡の緊張。")
    there = make("台湾海峡の緊張が続く。", outlet=other)
    assert set(ids("台湾")) == {here.pk, there.pk}
    assert ids("台湾", outlet=other.pk) == [there.pk]


def test_filter_by_date_range_in_japan_time(make):
    jst = dt.timezone(dt.timedelta(hours=9))
    early = make("韓国の総選挙。", site_published_at=dt.datetime(2024, 4, 10, 0, 30, tzinfo=jst))
    late = make("韓国の総選挙の結果。", site_published_at=dt.datetime(2024, 4, 11, 23, 30, tzinfo=jst))
    assert ids("総選挙", since=dt.date(2024, 4, 11)) == [late.pk]
    assert ids("総選挙", until=dt.date(2024, 4, 10)) == [early.pk]
    assert set(ids("総選挙", since=dt.date(2024, 4, 10), until=dt.date(2024, 4, 11))) == {early.pk, late.pk}


def test_filter_by_entity(make):
    kim_entity, _ = Entity.objects.get_or_create(name="金正恩", defaults={"kind": Kind.PERSON})
    other, _ = Entity.objects.get_or_create(name="岸田文雄", defaults={"kind": Kind.PERSON})
    kim = make("金正恩氏と会談。")
    make("首相と会談。")
    Mention.objects.create(article=kim, entity=kim_entity)
    get_backend().index(kim)  # the entities stage runs before the index stage
    assert ids("会談", entity=kim_entity.pk) == [kim.pk]
    assert ids("会談", entity=other.pk) == []


# Snippets.
def test_snippet_highlights_and_escapes(make):
    article = make("前置き。<script>alert(1)</script>で金正恩氏が「核」&言及。")
    search = get_backend().search(parse_query("金正恩 核"), None, 1, 10)
    assert [hit.article_id for hit in search.hits] == [article.pk]

    found = service.run(service.parse({"q": "金正恩 核"}))
    html = found.items[0].snippet
    assert "<script>" not in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;で<mark>金正恩</mark>氏が「<mark>核</mark>」&amp;言及。" in html
    )


def test_snippet_maps_normalisation_back_to_the_original_text():
    assert snippet("EUのＡＩ規制法", ["ai規制"]) == "EUの<mark>ＡＩ規制</mark>法"
    assert snippet("新しいｶﾞｽ田", ["ガス"]) == "新しい<mark>ｶﾞｽ</mark>田"
    long = "あ" * 300 + "金正恩" + "い" * 300
    cut = snippet(long, ["金正恩"])
    assert cut.startswith("…") and cut.endswith("…") and "<mark>金正恩</mark>" in cut
    assert len(cut) < 160


# Ranking.
def test_ranked_by_relevance(make):
    now = timezone.now()
    mention = make("記事の中で一度だけ尹錫悦氏に触れる長い本文です。" * 3, site_published_at=now)
    headline = make(
        "尹錫悦大統領が演説。尹錫悦氏は語った。", title="尹錫悦大統領が訪日", site_published_at=now
    )
    assert ids("尹錫悦") == [headline.pk, mention.pk]
    assert ids("尹") == [headline.pk, mention.pk]


def test_ranked_by_recency_when_equally_relevant(make):
    now = timezone.now()
    old = make("習近平国家主席が訪問。", title="習近平氏", site_published_at=now - dt.timedelta(days=90))
    new = make("習近平国家主席が訪問。", title="習近平氏", site_published_at=now - dt.timedelta(hours=1))
    assert ids("習近平") == [new.pk, old.pk]


# What is in the index.
def test_unpublished_articles_are_not_found(make):
    make("香港の民主派。", status=Article.Status.REVIEW)
    make("香港の民主派。", status=Article.Status.REJECTED)
    make("香港の民主派。", site_published_at=timezone.now() + dt.timedelta(days=1))  # scheduled
    assert ids("香港") == []


def test_publishing_and_unpublishing_keep_the_index_current(make):
    article = make("モンゴルの選挙。", status=Article.Status.REVIEW)
    assert ids("モンゴル") == []
    article.publish()
    article.save()  # as the admin saves it
    assert ids("モンゴル") == [article.pk]
    article.translation = ["モンゴルの選挙と新内閣。"]
    article.save()
    assert ids("新内閣") == [article.pk]
    article.status = Article.Status.REJECTED
    article.save()
    assert ids("モンゴル") == []
    article.status = Article.Status.PUBLISHED
    article.save()
    assert ids("モンゴル") == [article.pk]
    article_id = article.pk
    article.delete()
    assert ids("モンゴル") == []
    assert count("モンゴル") == 0  # counted inside FTS5: no row may be left behind
    assert not SearchDocument.objects.filter(article_id=article_id).exists()
    other = make("モンゴル経済。")
    Article.objects.filter(pk=other.pk).delete()  # a queryset delete, as the admin's bulk action
    assert count("モンゴル") == 0


def test_saves_of_an_article_never_indexed_touch_no_index_table(make):
    """The pipeline saves a new article several times before review: no removal for each."""
    article = make("ラオスの鉄道。", status=Article.Status.NEW)
    with CaptureQueriesContext(connection) as queries:
        article.save(update_fields=["status"])
        article.status = Article.Status.REVIEW
        article.save(update_fields=["status"])
    assert not [q["sql"] for q in queries if "search" in q["sql"].lower()]
    fresh = Article.objects.get(pk=article.pk)  # another process's instance: checks the index
    with CaptureQueriesContext(connection) as queries:
        fresh.save(update_fields=["status"])
    assert [q["sql"] for q in queries if "search" in q["sql"].lower()]
    fresh.publish()
    fresh.save()
    assert ids("ラオス") == [article.pk]


def test_an_index_row_left_behind_never_shows_an_unpublished_article(make):
    article = make("ブルネイの港。")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.REJECTED)  # no signal
    assert ids("ブルネイ") == [article.pk]  # the row is still there
    assert service.run(service.parse({"q": "ブルネイ"})).items == []


def test_stage_is_idempotent_and_removes_unpublished(make):
    article = make("ベトナムの経済。")
    assert IndexStage().run(article) == (PipelineStage.State.DONE, [])
    assert IndexStage().run(article) == (PipelineStage.State.DONE, [])
    assert ids("ベトナム") == [article.pk]
    Article.objects.filter(pk=article.pk).update(status=Article.Status.REVIEW)  # no signal
    article.status = Article.Status.REVIEW
    assert IndexStage().run(article) == (PipelineStage.State.DONE, [])
    assert ids("ベトナム") == []


def test_pipeline_indexes_what_it_publishes(make):
    from newsdesk.pipeline import runner

    article = make(
        "フィリピンの漁船。", status=Article.Status.NEW, language="ja", paragraphs=["フィリピンの漁船。"]
    )
    assert ids("フィリピン") == []
    for name in stage_names():  # everything before is done: the index stage runs, then it publishes
        state = PipelineStage.State.PENDING if name == "index" else PipelineStage.State.DONE
        PipelineStage.objects.create(article=article, name=name, state=state)
    runner.run(article, publish=True)
    assert article.stages.get(name="index").state == PipelineStage.State.DONE
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert ids("フィリピン") == [article.pk]


def test_reindex_rebuilds_the_index(make):
    first = make("シンガポールの会議。")
    second = make("シンガポールの港。")
    make("シンガポールの記事。", status=Article.Status.REVIEW)
    get_backend().clear()
    assert ids("シンガポール") == []
    out = io.StringIO()
    call_command("reindex", stdout=out, stderr=io.StringIO())
    assert set(ids("シンガポール")) == {first.pk, second.pk}
    assert set(ids("港")) == {second.pk}
    assert "2 件" in out.getvalue()
    call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())  # twice is the same
    assert count("シンガポール") == 2


# Pages and API.
def test_api_shape(client, make):
    article = make("東シナ海で<b>演習</b>。", title="東シナ海の演習")
    response = client.get("/api/search", {"q": "東シナ海"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["results"] == [
        {
            "id": article.pk,
            "title": "東シナ海の演習",
            "url": article.get_absolute_url(),
            "snippet": "<mark>東シナ海</mark>で&lt;b&gt;演習&lt;/b&gt;。",
        }
    ]
    assert client.get("/api/search", {"q": "存在しない語"}).json()["results"] == []


def test_api_filters_and_pages(client, make, outlet_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_SIZE": 2}
    other = outlet_factory("other.example.com", name="Other")
    for _ in range(3):
        make("中国の経済統計。")
    make("中国の経済統計。", outlet=other)
    data = client.get("/api/search", {"q": "中国", "page": "2"}).json()
    assert data["count"] == 4 and len(data["results"]) == 2 and data["num_pages"] == 2
    assert client.get("/api/search", {"q": "中国", "outlet": other.pk}).json()["count"] == 1
    assert client.get("/api/search", {"q": "中国", "page": "3"}).json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "　"},
        {"q": "あ" * 201},
        {"q": "中国", "page": "x"},
        {"q": "中国", "page": "0"},
        {"q": "中国", "page": "100000"},
        {"q": "中国", "outlet": "abc"},
        {"q": "中国", "entity": "-1"},
        {"q": "中国", "since": "2024-13-01"},
        {"q": "中国", "since": "2024-05-02", "until": "2024-05-01"},
    ],
)
def test_api_bad_input_is_400_json(client, params):
    response = client.get("/api/search", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]


def test_api_does_not_collide_with_the_comment_api(client, article_factory):
    article = article_factory()
    assert client.get("/api/search", {"q": "見出し"}).status_code == 200
    assert client.get(f"/api/articles/{article.pk}/comments").status_code == 200
    assert client.get("/api/nothing-here").status_code == 404


def test_search_page(client, make):
    article = make("韓国大統領が<i>訪米</i>。", title="韓国大統領が訪米")
    response = client.get("/search/", {"q": "訪米"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "「訪米」の検索結果：1件" in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert "韓国大統領が<mark>訪米</mark>" in html
    assert "&lt;i&gt;<mark>訪米</mark>&lt;/i&gt;" in html
    assert article.outlet.name in html
    assert 'name="q" value="訪米"' in html


def test_search_page_empty_bad_and_none_found(client, make):
    make("記事。")
    assert client.get("/search/").status_code == 200
    assert (
        "該当する記事は見つかりませんでした" in client.get("/search/", {"q": "存在しない"}).content.decode()
    )
    bad = client.get("/search/", {"q": "記事", "since": "昨日"})
    assert bad.status_code == 400 and "since は YYYY-MM-DD 形式の日付" in bad.content.decode()


def test_search_page_paginates(client, make, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_SIZE": 2}
    for _ in range(5):
        make("日米同盟の強化。")
    html = client.get("/search/", {"q": "日米", "page": "2"}).content.decode()
    assert "2 / 3 ページ" in html
    assert "?q=%E6%97%A5%E7%B1%B3&amp;page=3" in html


def test_every_page_has_a_search_box(client, article_factory):
    article_factory()
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html


# The pg_trgm character type check.
class FakeCursor:
    def __init__(self, answers):
        self.answers = answers
        self.last = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql, params=None):
        self.last = next(value for key, value in self.answers.items() if key in sql)

    def fetchone(self):
        return self.last


class FakeConnection:
    vendor = "postgresql"

    def __init__(self, answers):
        self.answers = answers

    def cursor(self):
        return FakeCursor(self.answers)


@pytest.mark.parametrize(
    "answers, warns",
    [
        ({"lc_ctype": ("C",), "pg_extension": (1,), "show_trgm": (0,)}, True),
        ({"lc_ctype": ("C",), "pg_extension": None}, True),
        ({"lc_ctype": ("POSIX",), "pg_extension": None}, True),
        ({"lc_ctype": ("C.UTF-8",), "pg_extension": (1,), "show_trgm": (4,)}, False),
        ({"lc_ctype": ("ja_JP.UTF-8",), "pg_extension": None}, False),
    ],
)
def test_check_warns_when_the_character_type_is_c(monkeypatch, answers, warns):
    monkeypatch.setattr(checks, "connections", {"default": FakeConnection(answers)})
    messages = checks.check_trigram_ctype(databases=["default"])
    assert bool(messages) is warns
    if warns:
        assert messages[0].id == "newsdesk.search.W001"
        assert "LC_CTYPE" in messages[0].msg and "C.UTF-8" in messages[0].hint


def test_check_passes_on_the_test_database():
    assert checks.check_trigram_ctype(databases=["default"]) == []
    if connection.vendor == "postgresql":
        assert checks.ctype_problem(connection) is None


@pytest.mark.parametrize(
    "params",
    [
        {"q": "NATO\x00x"},
        {"q": "\x00\x00\x00"},
        {"q": "米", "outlet": str(2**63)},
        {"q": "米", "until": "9999-12-31"},
    ],
)
def test_hostile_parameters_get_a_400_or_an_answer_never_a_500(client, params):
    response = client.get("/api/search", params)
    assert response.status_code in (200, 400)
    assert client.get("/search/", params).status_code in (200, 400)
