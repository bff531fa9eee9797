"""Storylines: stories of one saga joining by themselves, the storyline page, editors' changes, export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from newsdesk.stories import editing
from newsdesk.stories.exchange import _restore_storyline, export_fields
from newsdesk.stories.models import Story, Storyline, StoryMembership
from newsdesk.stories.stage import StoriesStage

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)

SHELLS = [
    "韓国の国家情報院は2日、北朝鮮が2023年8月以降にロシアへ送った砲弾が累計1200万発を超えたとの分析を国会に報告した。",
    "北朝鮮の弾薬工場は24時間体制で稼働し、砲弾はロシア極東の港を経てウクライナの前線に運ばれているという。",
]
SHELLS_OTHER_OUTLET = [
    "北朝鮮がロシアに送った砲弾は1200万発を超えたと、韓国の国家情報院が2日、国会の情報委員会で明らかにした。",
    "砲弾の多くは羅津港から船でロシア極東に運ばれ、鉄道でウクライナの前線へ向かったとみられる。",
]
TROOPS = [
    "韓国の国家情報院は4日、北朝鮮がロシアに追加の兵士を送り、砲弾とミサイルの供与も続けているとの分析を国会に報告した。",
    "北朝鮮とロシアの軍事協力は砲弾の輸送から兵士の派遣に広がり、ウクライナの前線で北朝鮮兵の死傷が増えているという。",
]
TYPHOON = [
    "台風5号は3日、台湾東部の花蓮付近に上陸し、約12万戸が停電した。気象当局は土砂災害への警戒を呼びかけている。",
    "与那国島では最大瞬間風速48.6メートルを観測し、フェリーの欠航が相次いだ。",
]


@pytest.fixture
def make(article_factory):
    from newsdesk.entities.stage import EntitiesStage

    def make_article(paragraphs, *, days=0, outlet="a.example"):
        published = START + dt.timedelta(days=days)
        article = article_factory(
            outlet=outlet,
            language="ja",
            original_title=paragraphs[0][:30],
            title=paragraphs[0][:30],
            paragraphs=paragraphs,
            translation=[],
            published_at=published,
            site_published_at=min(published, timezone.now()),
            summary=[paragraphs[0][:40]],
        )
        EntitiesStage().run(article)
        StoriesStage().run(article)
        return article

    return make_article


def story_of(article) -> Story:
    return StoryMembership.objects.select_related("story__storyline").get(article=article).story


@pytest.fixture
def saga(make):
    shells = make(SHELLS)
    make(SHELLS_OTHER_OUTLET, outlet="b.example", days=1)
    troops = make(TROOPS, outlet="c.example", days=60)
    make(TROOPS[::-1], outlet="d.example", days=61)
    typhoon = make(TYPHOON, outlet="e.example", days=30)
    return shells, troops, typhoon


def test_stories_of_one_saga_months_apart_join_one_storyline(saga):
    shells, troops, typhoon = saga
    assert story_of(shells) != story_of(troops)  # two events
    line = story_of(shells).storyline
    assert line is not None and story_of(troops).storyline == line
    assert story_of(typhoon).storyline is None
    assert (line.story_count, line.first_seen, line.last_seen) == (2, START, START + dt.timedelta(days=61))


def test_a_storyline_widens_with_its_stories_once_they_are_settled(saga, make):
    """A story past its first articles is not placed again, but its storyline still takes its dates."""
    shells, troops, _ = saga
    line = story_of(shells).storyline
    for days in (62, 63, 64):
        make(TROOPS, outlet=f"late{days}.example", days=days)  # copies: the troops story grows
    assert story_of(troops).article_count == 5 and story_of(troops).storyline == line
    line.refresh_from_db()
    assert (line.story_count, line.first_seen, line.last_seen) == (2, START, START + dt.timedelta(days=64))


def test_the_storyline_page_shows_its_stories_and_the_story_page_links_to_it(saga, client):
    shells, troops, _ = saga
    line = story_of(shells).storyline
    page = client.get(reverse("stories:storyline", args=[line.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert story_of(shells).get_absolute_url() in html and story_of(troops).get_absolute_url() in html
    assert "d.example" in html or "Example Times" in html
    story_page = client.get(story_of(troops).get_absolute_url()).content.decode()
    assert line.get_absolute_url() in story_page
    assert client.get(reverse("stories:storyline", args=[line.pk + 100])).status_code == 404


def test_one_article_stories_are_not_listed(saga, client):
    _, _, typhoon = saga
    listed = client.get(reverse("stories:list")).content.decode()
    assert story_of(typhoon).get_absolute_url() not in listed
    assert story_of(saga[0]).get_absolute_url() in listed


def test_editors_split_merge_and_move_storylines(saga, make):
    shells, troops, typhoon = saga
    line = story_of(shells).storyline
    new = editing.split_storyline([story_of(troops)], title="北朝鮮兵の派遣")
    assert story_of(troops).storyline == new and new.title_locked
    assert Storyline.objects.get(pk=line.pk).story_count == 1
    merged = editing.merge_storylines([line, new], line)
    assert merged.story_count == 2 and not Storyline.objects.filter(pk=new.pk).exists()
    editing.move_stories([story_of(typhoon)], line)
    assert story_of(typhoon).storyline == line and story_of(typhoon).storyline_by_editor
    # A story an editor placed is never moved again by clustering.
    make(TYPHOON[::-1], outlet="f.example", days=30)
    assert story_of(typhoon).storyline == line


def test_the_admin_moves_a_story_and_merges_storylines(saga, admin_client):
    shells, troops, typhoon = saga
    line = story_of(shells).storyline
    story = story_of(typhoon)
    url = reverse("admin:stories_story_change", args=[story.pk])
    form = {
        "title": story.title,
        "storyline": line.pk,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": story.memberships.get().pk,
        "memberships-0-story": story.pk,
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302
    assert story_of(typhoon).storyline == line and Storyline.objects.get(pk=line.pk).story_count == 3
    assert admin_client.get(reverse("admin:stories_storyline_change", args=[line.pk])).status_code == 200
    assert admin_client.get(reverse("admin:stories_storyline_changelist")).status_code == 200


def test_the_export_carries_the_storyline_and_import_restores_it(saga):
    shells, _, _ = saga
    story = story_of(shells)
    line = story.storyline
    line.title, line.title_locked = "北朝鮮とロシアの軍事協力", True
    line.save()
    record = export_fields(shells)
    assert (record["story_id"], record["storyline_id"], record["storyline_title"]) == (
        story.pk,
        line.pk,
        "北朝鮮とロシアの軍事協力",
    )
    Story.objects.update(storyline=None)
    Storyline.objects.all().delete()
    _restore_storyline(story, record)
    restored = story_of(shells).storyline
    assert (restored.pk, restored.title, restored.title_locked) == (line.pk, line.title, True)


BLAST = [
    "架空の化学メーカー、アオバケミカルの北九州工場で2日、反応タンクが爆発して火災が起き、従業員12人がけがをした。",
    "アオバケミカルによると、反応タンクの圧力が異常に上がったとみられる。工場は操業を止め、安全管理の点検を進めている。",
]
BLAST_OTHER_OUTLET = [
    "アオバケミカルの北九州工場の反応タンクの爆発で、けがをした従業員は12人になった。工場の操業は止まったままだ。",
    "消防は、反応タンクの圧力の異常が爆発の原因とみて、アオバケミカルの安全管理の状況を調べている。",
]
BLAST_REPORT = [
    "アオバケミカルの北九州工場の反応タンクの爆発について、調査委員会は1日、圧力の異常と安全管理の不備が原因だとする報告書をまとめた。",
    "アオバケミカルは、反応タンクの点検と従業員の安全教育を終えたうえで、工場の操業を再開する方針だ。",
]


@pytest.fixture
def make_unnamed(article_factory):
    """An article whose entities were never found (no entities stage): it names no entity."""

    def make_article(paragraphs, *, days=0, outlet="a.example"):
        published = START + dt.timedelta(days=days)
        article = article_factory(
            outlet=outlet,
            language="ja",
            original_title=paragraphs[0][:30],
            title=paragraphs[0][:30],
            paragraphs=paragraphs,
            translation=[],
            published_at=published,
            site_published_at=min(published, timezone.now()),
            summary=[paragraphs[0][:40]],
        )
        StoriesStage().run(article)
        return article

    return make_article


def test_stories_naming_no_entity_join_a_storyline_on_their_text_alone(make_unnamed):
    """Found among the stories nearest in time, and joined on a close text (the stricter threshold)."""
    blast = make_unnamed(BLAST)
    make_unnamed(BLAST_OTHER_OUTLET, outlet="b.example", days=1)
    typhoon = make_unnamed(TYPHOON, outlet="c.example", days=20)
    report = make_unnamed(BLAST_REPORT, outlet="d.example", days=60)
    assert story_of(blast).entity_counts == {} and story_of(report) != story_of(blast)  # two events
    line = story_of(report).storyline
    assert line is not None and story_of(blast).storyline == line
    assert story_of(typhoon).storyline is None
