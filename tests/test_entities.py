"""Entities: gazetteer matching (names stay whole, aliases resolve), Sudachi candidates, the stage,
the entity page, the admin review queue, and recall over the labelled stories."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from newsdesk.articles.models import PipelineStage
from newsdesk.entities import service
from newsdesk.entities.figures import find_figures
from newsdesk.entities.models import Candidate, CandidateMention, Entity, Event, Figure, Kind, Mention
from newsdesk.entities.names import Gazetteer, proper_nouns
from newsdesk.entities.stage import EntitiesStage

LABELLED = Path(__file__).parent / "data" / "labelled_stories.jsonl"


def names(article):
    return [(entity.name, count) for entity, count in service.entities_of(article)]


@pytest.fixture
def ja_article(article_factory):
    def make(*paragraphs, **fields):
        return article_factory(language="ja", paragraphs=list(paragraphs), translation=[], **fields)

    return make


# The matcher, without the database


def test_longest_match_keeps_names_whole():
    gazetteer = Gazetteer(
        [(1, "北朝鮮"), (2, "朝鮮中央通信"), (3, "朝鮮"), (4, "金正恩"), (4, "金正恩総書記")]
    )
    spans = gazetteer.find("北朝鮮の朝鮮中央通信によると、金正恩総書記が視察した。")
    assert [(s.key, s.surface) for s in spans] == [(1, "北朝鮮"), (2, "朝鮮中央通信"), (4, "金正恩総書記")]


def test_katakana_and_ascii_names_match_only_as_whole_words():
    gazetteer = Gazetteer([(1, "タイ"), (2, "UN"), (3, "ロシア"), (4, "ウクライナ")])
    spans = gazetteer.find("タイミングよくネクタイを締めた。UNESCOとタイ、UN。ロシア・ウクライナ戦争")
    assert [s.surface for s in spans] == ["タイ", "UN", "ロシア", "ウクライナ"]


def test_names_with_a_middle_dot_match_written_any_way():
    gazetteer = Gazetteer([(1, "キム・ジョンウン"), (2, "ラザロ・グループ")])
    text = "キム・ジョンウン、キムジョンウン、キム＝ジョンウン、ｷﾑ･ｼﾞｮﾝｳﾝ。ラザロ・グループ"
    spans = gazetteer.find(text)
    assert [s.key for s in spans] == [1, 1, 1, 1, 2]
    assert [s.surface for s in spans][-2:] == ["ｷﾑ･ｼﾞｮﾝｳﾝ", "ラザロ・グループ"]


def test_candidates_from_proper_nouns():
    found = {
        (s.surface, s.key)
        for s in proper_nouns("佐藤一郎氏はジョン・スミス記者と東亜エネルギー研究所で会った。")
    }
    assert {
        ("佐藤一郎", "person"),
        ("ジョン・スミス", "person"),
        ("東亜エネルギー研究所", "organisation"),
    } <= found


# With the seeded gazetteer


@pytest.mark.django_db
def test_gazetteer_is_seeded():
    assert Entity.objects.count() >= 150
    assert set(Entity.objects.values_list("kind", flat=True)) == set(Kind.values)
    kim = Entity.objects.get(name="金正恩")
    assert {"キム・ジョンウン", "Kim Jong Un", "金正恩総書記"} <= set(kim.names)


def test_aliases_resolve_to_one_entity(ja_article):
    article = ja_article(
        "北朝鮮の金正恩総書記は、ロシアのプーチン大統領と会談した。",
        "キム・ジョンウン氏（Kim Jong Un）は、ショイグ氏とも会った。",
        "ラザロ・グループの活動を朝鮮中央通信は報じなかった。",
    )
    service.process(article)
    assert names(article) == [
        ("北朝鮮", 1),
        ("金正恩", 3),
        ("ロシア", 1),
        ("ウラジーミル・プーチン", 1),
        ("セルゲイ・ショイグ", 1),
        ("ラザロ・グループ", 1),
        ("朝鮮中央通信", 1),
    ]
    assert service.entity_ids(article) == {e.pk for e, _ in service.entities_of(article)}


def test_english_aliases_in_english_text_too(ja_article):
    article = ja_article("声明は「Kim Jong Un」と「Xi Jinping」の名で出された。")
    service.process(article)
    assert [name for name, _ in names(article)] == ["金正恩", "習近平"]


def test_unknown_proper_nouns_become_candidates(ja_article):
    article = ja_article(
        "佐藤一郎氏は平壌で金正恩総書記と会った。", "佐藤一郎氏によると、メリデックス社は関与を否定した。"
    )
    service.process(article)
    assert [name for name, _ in names(article)] == ["平壌", "金正恩"]
    candidate = Candidate.objects.get(name="佐藤一郎")
    assert candidate.kind == Kind.PERSON and candidate.status == Candidate.Status.PENDING
    assert CandidateMention.objects.get(article=article, candidate=candidate).count == 2
    # Gazetteer names are never candidates, nor pieces of them.
    assert not Candidate.objects.filter(name__in=["平壌", "金正", "金正恩"]).exists()


def test_stage_waits_without_japanese_text_and_is_idempotent(article_factory):
    article = article_factory(language="en", paragraphs=["Kim Jong Un met Putin."], translation=[])
    assert EntitiesStage().run(article) == (PipelineStage.State.WAITING, [])
    article.translation = [
        "金正恩総書記は2024年6月19日、プーチン大統領と会談し、年間1400万発の砲弾を約束した。"
    ]
    for _ in range(2):
        assert EntitiesStage().run(article) == (PipelineStage.State.DONE, [])
        assert Mention.objects.filter(article=article).count() == 2
        assert Figure.objects.filter(article=article).count() == 1
        assert Event.objects.filter(article=article).count() == 1
    article.translation = ["習近平国家主席が演説した。"]
    EntitiesStage().run(article)
    assert names(article) == [("習近平", 1)]
    assert not Figure.objects.filter(article=article).exists()


def test_pipeline_runs_the_stage(ja_article):
    from newsdesk.pipeline import runner

    article = ja_article("金正恩総書記が視察した。", status="review", summary=["要約。"])
    assert runner.run_stage(article, "entities") == PipelineStage.State.DONE
    assert article.stages.get(name="entities").state == PipelineStage.State.DONE
    assert names(article) == [("金正恩", 1)]


# The entity page and the article panel


def test_entity_page_lists_published_articles(client, ja_article, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_SIZE": 2}
    published = [ja_article("金正恩総書記が視察した。", title=f"視察の記事{n}") for n in range(3)]
    hidden = ja_article("金正恩総書記が演説した。", title="未公開の記事", status="review")
    for article in [*published, hidden]:
        service.process(article)
    kim = Entity.objects.get(name="金正恩")
    assert kim.get_absolute_url() == "/entities/kim-jong-un/"
    page = client.get(kim.get_absolute_url()).content.decode()
    assert "金正恩" in page and "人物" in page and "キム・ジョンウン" in page
    assert page.count("視察の記事") == 2 and "未公開の記事" not in page
    assert "視察の記事" in client.get(kim.get_absolute_url() + "?page=2").content.decode()
    assert client.get(kim.get_absolute_url() + "?page=9").status_code == 404
    # By id: redirects to the slug; an entity without a slug is served at its id.
    assert client.get(f"/entities/{kim.pk}/").url == kim.get_absolute_url()
    plain = Entity.objects.create(name="佐藤一郎", kind=Kind.PERSON)
    assert plain.get_absolute_url() == f"/entities/{plain.pk}/"
    assert client.get(plain.get_absolute_url()).status_code == 200
    assert client.get("/entities/no-such-entity/").status_code == 404


def test_article_panel(ja_article):
    from django.template.loader import render_to_string

    article = ja_article("北朝鮮は年間1400万発の砲弾を生産できる。金正恩総書記が視察した。")
    service.process(article)
    html = render_to_string("entities/_article_panel.html", {"article": article})
    assert (
        "主な数字" in html and "年間1400万発" in html and "北朝鮮は年間1400万発の砲弾を生産できる。" in html
    )
    assert ">人物</h2>" in html and ">国・地域</h2>" in html and 'href="/entities/kim-jong-un/"' in html
    empty = ja_article("特になし。")
    service.process(empty)
    assert render_to_string("entities/_article_panel.html", {"article": empty}).strip() == ""


# The admin


def test_admin_approve_and_reject_candidates(admin_client, ja_article):
    article = ja_article("佐藤一郎氏は山田花子氏と東亜エネルギー研究所で会った。")
    service.process(article)
    sato, yamada = Candidate.objects.get(name="佐藤一郎"), Candidate.objects.get(name="山田花子")
    url = reverse("admin:entities_candidate_changelist")
    page = admin_client.get(url).content.decode()
    assert "人物・組織の候補" in page and "佐藤一郎" in page and "承認して辞書に登録する" in page

    response = admin_client.post(url, {"action": "approve", "_selected_action": [sato.pk]}, follow=True)
    assert "1件の候補を承認し、辞書に登録しました。" in response.content.decode()
    sato.refresh_from_db()
    assert sato.status == Candidate.Status.APPROVED and sato.entity.name == "佐藤一郎"
    assert sato.entity.kind == Kind.PERSON
    assert ("佐藤一郎", 1) in names(article)

    admin_client.post(url, {"action": "reject", "_selected_action": [yamada.pk]})
    yamada.refresh_from_db()
    assert yamada.status == Candidate.Status.REJECTED
    # Running the stage again: the approved name is now found by the gazetteer, the rejected one is gone.
    service.process(article)
    assert ("佐藤一郎", 1) in names(article)
    assert not CandidateMention.objects.filter(candidate__in=[sato, yamada]).exists()
    assert ">山田花子</a>" not in admin_client.get(url).content.decode()  # only in an example sentence


def test_admin_pages(admin_client, ja_article):
    article = ja_article("金正恩総書記は2023年9月13日に年間1400万発を約束した。")
    service.process(article)
    for name in ["entity", "figure", "event"]:
        response = admin_client.get(reverse(f"admin:entities_{name}_changelist"))
        assert response.status_code == 200
    changelist = admin_client.get(reverse("admin:entities_entity_changelist"), {"q": "キム・ジョンウン"})
    assert "金正恩" in changelist.content.decode() and "別名" in changelist.content.decode()
    kim = Entity.objects.get(name="金正恩")
    assert admin_client.get(reverse("admin:entities_entity_change", args=[kim.pk])).status_code == 200
    figure = Figure.objects.get(article=article)
    assert admin_client.get(reverse("admin:entities_figure_change", args=[figure.pk])).status_code == 200
    assert admin_client.post(reverse("admin:entities_figure_change", args=[figure.pk]), {}).status_code == 403


# Recall over the labelled stories written by hand


@pytest.mark.django_db
@pytest.mark.skipif(not LABELLED.exists(), reason="tests/data/labelled_stories.jsonl is not there")
def test_recall_on_labelled_stories():
    gazetteer = service.gazetteer()
    canonical = dict(Entity.objects.values_list("pk", "name"))
    entities = found_entities = figures = found_figures = 0
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        story = json.loads(line)
        paragraphs = story["paragraphs"] if story.get("language") == "ja" else story.get("translation") or []
        names, texts = set(), []
        for paragraph in paragraphs:
            spans = gazetteer.find(paragraph)
            names |= {s.surface for s in spans} | {canonical[s.key] for s in spans}
            names |= {s.surface for s in proper_nouns(paragraph, spans)}
            texts += [f.text for f in find_figures(paragraph)]
        entities += len(story.get("entities", []))
        found_entities += sum(name in names for name in story.get("entities", []))
        figures += len(story.get("figures", []))
        # A figure counts when written the same, or with a prefix or suffix more or less (約20％ / 20％).
        found_figures += sum(any(f in t or t in f for t in texts) for f in story.get("figures", []))
    assert entities and figures
    assert found_entities / entities >= 0.85, (found_entities, entities)
    assert found_figures / figures >= 0.85, (found_figures, figures)


def test_entity_page_lists_the_stories_it_appears_in(client, ja_article):
    from newsdesk.stories.stage import StoriesStage

    article = ja_article("金正恩総書記がロシアを訪問し、首脳会談に臨んだ。", title="金正恩氏が訪ロ")
    service.process(article)
    StoriesStage().run(article)
    story = article.story_membership.story
    page = client.get(Entity.objects.get(name="金正恩").get_absolute_url()).content.decode()
    assert "金正恩が登場するストーリー" in page and story.get_absolute_url() in page


@pytest.mark.parametrize("key", ["²", "１", "0x1"])
def test_odd_entity_addresses_are_not_found(client, db, key):
    assert client.get(f"/entities/{key}/").status_code == 404
