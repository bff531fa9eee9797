"""Stories: incremental clustering, the story pages, the article panel, the admin and the command."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import stories_eval
from newsdesk.ops.exchange import export_records
from newsdesk.stories import clustering, ranking
from newsdesk.stories.models import Story, StoryMembership
from newsdesk.stories.stage import StoriesStage

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)

SHELLS_JA = [
    "韓国の国家情報院は2日、北朝鮮が2023年8月以降にロシアへ送った砲弾が累計1200万発を超えたとの分析を国会に報告した。",
    "北朝鮮の弾薬工場は24時間体制で稼働し、年間の生産能力は1400万発に達する可能性があるという。",
]
SHELLS_EN_TRANSLATION = [
    "韓国の国家情報院は6月2日、北朝鮮が2023年8月以降、1200万発を超える砲弾をロシアに送ったと議員らに報告した。",
    "砲弾の大半は羅津港で積み込まれ、船と鉄道でロシア極東に運ばれたという。",
]
TYPHOON_JA = [
    "台風5号は3日、台湾東部の花蓮付近に上陸し、約12万戸が停電した。気象当局は土砂災害への警戒を呼びかけている。",
    "与那国島では最大瞬間風速48.6メートルを観測し、フェリーの欠航が相次いだ。",
]
SEMICONDUCTOR_JA = [
    "台湾積体電路製造（TSMC）の熊本第2工場について、経済産業省は最大7320億円の補助金を正式に決めた。",
    "第2工場では約1700人を新たに採用する計画で、菊陽町周辺では住宅不足や渋滞への対策が急がれている。",
]


@pytest.fixture
def make(article_factory):
    """Creates an article and runs the entities and stories stages on it, as the pipeline would."""
    from newsdesk.entities.stage import EntitiesStage

    def make_article(
        paragraphs,
        *,
        language="ja",
        hours=0,
        outlet="a.example",
        title="",
        stage=True,
        undated=False,
        **fields,
    ):
        published = START + dt.timedelta(hours=hours)
        if undated:  # no original date: we got it at ``hours``
            fields["created_at"] = published
        japanese = language == "ja"
        article = article_factory(
            outlet=outlet,
            language=language,
            original_title=title or paragraphs[0][:30],
            title=title or paragraphs[0][:30],
            paragraphs=paragraphs if japanese else ["English original."] * len(paragraphs),
            translation=[] if japanese else paragraphs,
            published_at=None if undated else published,
            site_published_at=min(published, timezone.now()),
            summary=[paragraphs[0][:40], paragraphs[-1][:40]],
            **fields,
        )
        EntitiesStage().run(article)
        if not stage:
            return article
        state, changed = StoriesStage().run(article)
        assert (state, changed) == ("done", [])
        return article

    return make_article


def story_of(article) -> Story:
    return StoryMembership.objects.get(article=article).story


def test_japanese_and_english_articles_on_one_story_land_together(make):
    ja = make(SHELLS_JA, outlet="a.example", title="北朝鮮の対ロ砲弾、累計1200万発超か")
    en = make(
        SHELLS_EN_TRANSLATION,
        language="en",
        outlet="b.example",
        hours=5,
        title="北朝鮮のロシア向け砲弾、1200万発超",
    )
    other = make(TYPHOON_JA, outlet="c.example", hours=6, title="台風5号が台湾東部に上陸、12万戸停電")
    assert story_of(ja) == story_of(en)
    assert story_of(other) != story_of(ja)
    story = story_of(ja)
    assert story.article_count == 2
    assert story.title == "北朝鮮の対ロ砲弾、累計1200万発超か"  # the first article's headline
    assert story.first_seen == ja.published_at and story.last_seen == en.published_at
    assert StoryMembership.objects.get(article=en).similarity >= clustering.threshold()


def test_only_stories_active_in_the_window_are_compared(make, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "STORY_WINDOW_DAYS": 14}
    first = make(SHELLS_JA, outlet="a.example")
    much_later = make(SHELLS_EN_TRANSLATION, language="en", outlet="b.example", hours=24 * 30)
    assert story_of(first) != story_of(much_later)
    soon = make(SHELLS_EN_TRANSLATION[::-1], language="en", outlet="c.example", hours=24 * 31)
    assert story_of(soon) == story_of(much_later)


def test_running_the_stage_again_changes_nothing(make):
    article = make(SHELLS_JA)
    before = list(StoryMembership.objects.values())
    story = Story.objects.values().get()
    StoriesStage().run(article)
    StoriesStage().run(article)
    assert list(StoryMembership.objects.values()) == before
    assert Story.objects.values().get() == story


def test_an_edited_text_moves_the_article_to_its_new_story(make):
    shells = make(SHELLS_JA, outlet="a.example")
    article = make(TYPHOON_JA, outlet="b.example", hours=1)
    assert story_of(article) != story_of(shells)
    article.translation, article.paragraphs = [], SHELLS_JA[::-1]
    article.title = "北朝鮮の砲弾、ロシアへ"
    StoriesStage().run(article)
    assert story_of(article) == story_of(shells)
    assert Story.objects.count() == 1  # the emptied story is gone


def test_the_cost_of_one_article_does_not_grow_with_old_stories(make, monkeypatch):
    """Stories outside the window and the horizon are never loaded: the same work with 2 or 42 old
    stories, whether or not they name the same actors."""
    compared = []
    similarity = ranking.similarity
    monkeypatch.setattr(ranking, "similarity", lambda *args: compared.append(args[2]) or similarity(*args))
    # Whether the story also joins a storyline (test_storylines) is not what is counted here.
    monkeypatch.setattr(clustering.storylines, "place", lambda story: None)

    def cost(hours):
        compared.clear()
        article = make(SEMICONDUCTOR_JA, language="en", outlet="z.example", hours=hours, stage=False)
        with CaptureQueriesContext(connection) as context:
            StoriesStage().run(article)
        return len(context.captured_queries), len(compared)

    make(TYPHOON_JA, hours=-24 * 100)
    make(SEMICONDUCTOR_JA, outlet="y.example", hours=-24 * (ranking.HORIZON_DAYS + 10))  # its actors
    few = cost(0)
    for day in range(40):
        make(
            [f"{day}日目。" + TYPHOON_JA[0], TYPHOON_JA[1]],
            hours=-24 * (200 + day * 20),
            outlet=f"o{day}.example",
        )
    many = cost(24 * (ranking.HORIZON_DAYS + 10))
    assert many == few == (few[0], 0)
    assert StoryMembership.objects.count() == 44


def test_similarity_decays_with_the_gap_instead_of_a_wall(settings):
    story = Story(title="t", first_seen=START, last_seen=START + dt.timedelta(days=2))
    assert ranking.decay(story, START + dt.timedelta(days=1)) == 1.0  # within the span
    assert ranking.decay(story, START - dt.timedelta(days=settings.NEWSDESK["STORY_GRACE_DAYS"])) == 1.0
    two_weeks, four_weeks = (ranking.decay(story, START + dt.timedelta(days=2 + d)) for d in (14, 28))
    assert 1.0 > two_weeks > four_weeks > 0.2
    assert ranking.decay(story, START + dt.timedelta(days=2 + ranking.HORIZON_DAYS)) < 0.005


def test_a_story_of_the_same_actors_beyond_the_window_is_a_candidate(make, settings):
    """Found through the entity index, decayed rather than walled off."""
    settings.NEWSDESK = {**settings.NEWSDESK, "STORY_WINDOW_DAYS": 14}
    first = make(SHELLS_JA, outlet="a.example")
    later = make(SHELLS_EN_TRANSLATION, language="en", outlet="b.example", stage=False, hours=24 * 30)
    from newsdesk.stories import linked
    from newsdesk.stories.signatures import store_signature, weighted_vector

    signature = store_signature(later, sorted(linked.entity_ids(later)))
    matches = ranking.rank(weighted_vector(signature), signature.entity_ids, signature.seen_at)
    assert [match.story for match in matches] == [story_of(first)]
    undecayed = ranking.rank(weighted_vector(signature), signature.entity_ids, signature.seen_at, dated=False)
    assert 0 < matches[0].score < undecayed[0].score


def test_an_undated_article_joins_on_content_and_is_listed_for_dating(make, admin_client):
    shells = make(SHELLS_JA, outlet="a.example")
    make(TYPHOON_JA, outlet="b.example", hours=24 * 200)
    undated = make(SHELLS_EN_TRANSLATION, language="en", outlet="c.example", hours=24 * 200, undated=True)
    story = story_of(undated)
    assert story == story_of(shells)
    assert (story.first_seen, story.last_seen) == (START, START)  # the day we got it moves no dates
    listed = admin_client.get(reverse("admin:stories_story_changelist") + "?undated=1")
    assert list(listed.context["cl"].result_list) == [story]
    page = admin_client.get(reverse("admin:stories_story_change", args=[story.pk]))
    assert "日付不明（要確認）" in page.content.decode()


def test_a_story_begun_by_an_undated_article_takes_the_dates_of_the_first_dated_one(make):
    undated = make(SHELLS_JA, outlet="a.example", hours=24 * 2, undated=True)  # got two days later
    dated = make(SHELLS_EN_TRANSLATION, language="en", outlet="b.example", hours=5)
    story = story_of(undated)
    assert story == story_of(dated)
    assert story.first_seen == story.last_seen == START + dt.timedelta(hours=5)


VOTE_FAILS = [
    "韓国の国会は2日、大統領に対する弾劾訴追案を採決したが、与党議員の多くが退席し、投票は成立しなかった。",
    "弾劾訴追には定数300の3分の2にあたる200人以上の賛成が必要で、投票したのは195人だった。野党は訴追案を出し直す方針だ。",
]
SPEAKER_EXPLAINS = [  # the next day, on the same vote
    "韓国の国会議長は3日、前日の弾劾訴追案の採決で投票が成立しなかった経緯を説明し、与党議員の退席を批判した。",
    "弾劾訴追には200人以上の賛成が必要で、投票したのは195人だった。野党は訴追案を出し直す方針だ。",
]
VOTE_PASSES = [  # a week later: another vote
    "韓国の国会は9日、大統領に対する弾劾訴追案を採決し、賛成204票で可決した。与党議員の一部も賛成に回った。",
    "弾劾訴追には定数300の3分の2にあたる200人以上の賛成が必要だった。大統領の職務は停止され、首相が権限を代行する。",
]


def test_the_day_a_lead_reports():
    from newsdesk.articles.models import Article
    from newsdesk.stories.signatures import event_day

    def day(lead, published=dt.datetime(2025, 6, 9, 3, 0, tzinfo=dt.UTC), language="ja", created=None):
        japanese = language == "ja"
        article = Article(
            language=language,
            paragraphs=[lead, "政府は12日、発表した。"] if japanese else ["English."],
            translation=[] if japanese else [lead],
            published_at=published,
            created_at=created or published,
        )
        return event_day(article)

    assert day("北朝鮮は2023年9月13日、首脳会談を行った。") == dt.date(2023, 9, 13)
    assert day("韓国の国会は7日、弾劾訴追案を可決した。") == dt.date(2025, 6, 7)
    assert day("【ソウル】韓国の大統領は4日未明、戒厳を解除した。", language="en") == dt.date(2025, 6, 4)
    assert day("当局は30日、発表した。") == dt.date(2025, 5, 30)  # a later day of the month: last month's
    # The latest day, not the background before it, nor a schedule after the article's own day:
    assert day("5月31日に続き、北朝鮮は8日、再び打ち上げた。") == dt.date(2025, 6, 8)
    assert day("中国は3日、6月20日から輸出を許可制にすると発表した。") == dt.date(2025, 6, 3)
    assert day("3日間の日程で、週5日の便を運航する。") is None
    assert day("発表は夜だった。") is None  # the second paragraph is not the lead
    undated = day("同社は8日、発表した。", published=None, created=dt.datetime(2025, 7, 1, tzinfo=dt.UTC))
    assert undated == dt.date(2025, 6, 8)  # read against the day we got it


def test_a_lead_reporting_a_later_day_starts_a_new_story(make):
    """Two votes a week apart are two stories however alike their words; the next day's account of
    the first vote is the first vote's story."""
    from newsdesk.stories.models import ArticleSignature
    from newsdesk.stories.signatures import weighted_vector

    first = make(VOTE_FAILS, outlet="a.example")
    next_day = make(SPEAKER_EXPLAINS, outlet="b.example", hours=24)
    week_later = make(VOTE_PASSES, outlet="c.example", hours=24 * 7)
    assert story_of(next_day) == story_of(first)
    assert story_of(week_later) != story_of(first)
    signature = ArticleSignature.objects.get(article=week_later)
    matches = ranking.rank(
        weighted_vector(signature), signature.entity_ids, signature.seen_at, exclude=[story_of(week_later).pk]
    )
    assert matches[0].story == story_of(first) and matches[0].score >= clustering.threshold()  # alike
    assert clustering.weigh_event_days(week_later, matches)[0].score < clustering.threshold()
    assert clustering.event_factor(1) == 1.0 and clustering.event_factor(3) < 0.5


def test_labelled_set_is_clustered_well():
    """Pairwise and BCubed F1 on the labelled set (46 articles, 12 stories, Japanese and English).

    Measured 1.0 pairwise and BCubed with the default threshold 0.2 (0.18-0.2: 1.0, 0.22-0.25: 0.97,
    0.3: 0.90, 0.16: 0.84; without entities 0.97 at 0.2) before the event day weighed candidates;
    with it, pairwise 0.95 and BCubed 0.97 (precision 1.0): two follow-ups whose leads report a new
    development three days on (investigators' report on the stolen funds, a state agency's
    investment after China's licensing rule) start stories of their own. Floors of 0.85 leave room
    for changes in the entity extraction and the data set, and still catch a mistuned threshold or
    a broken signal.
    """
    if not stories_eval.LABELLED.exists():
        pytest.skip("tests/data/labelled_stories.jsonl is not there")
    result = stories_eval.evaluate()
    assert result["pairwise"]["f1"] >= 0.85, result["pairwise"]
    assert result["bcubed"]["f1"] >= 0.85, result["bcubed"]
    assert result["pairwise"]["precision"] >= 0.9


def test_hard_labelled_set_stories_and_storylines():
    """The hard set (tests/data/labelled_stories_hard.jsonl, samples written for newsdesk: 169
    articles, 99 Japanese and 70 English, in 63 stories and 13 storylines over March 2023 to June
    2025; 10 undated, 10 wire copies, the same actors in different events days or weeks apart: two
    votes on one impeachment a week apart, two court rulings in one case, two typhoons on Taiwan four
    weeks apart, ICBMs five months apart that fell in the same sea).

    Measured: stories pairwise F1 0.89 (precision 0.85: a summit and a rocket launch the same night,
    a missile and the next day's data-sharing launch, an election and a break of ties two days
    later are joined; an explainer published undated joins the story of the day its lead names),
    BCubed 0.96, copies 1.0; storylines pairwise precision 0.87, F1 0.72 (recall 0.62: sagas whose
    stories are a year apart, or share only 日本, 中国 and 韓国, stay in pieces; two typhoons on
    Taiwan and a typhoon with Okinawa's rocket alerts are joined), BCubed F1 0.77. Floors just
    below those."""
    if not stories_eval.HARD.exists():
        pytest.skip("tests/data/labelled_stories_hard.jsonl is not there")
    sagas = {row["storyline"] for row in stories_eval.read(stories_eval.HARD) if row.get("storyline")}
    result = stories_eval.evaluate(stories_eval.HARD)
    assert (result["articles"], result["stories"], len(sagas)) == (169, 63, 13)
    assert result["undated"] == 10
    assert result["pairwise"]["f1"] >= 0.87, result["pairwise"]
    assert result["pairwise"]["precision"] >= 0.83, result["pairwise"]
    assert result["bcubed"]["f1"] >= 0.94, result["bcubed"]
    assert result["duplicates"]["precision"] == 1.0 and result["duplicates"]["recall"] >= 0.9
    assert result["storyline_pairwise"]["precision"] >= 0.85, result["storyline_pairwise"]
    assert result["storyline_pairwise"]["f1"] >= 0.70, result["storyline_pairwise"]
    assert result["storyline_bcubed"]["f1"] >= 0.75, result["storyline_bcubed"]


@pytest.fixture
def story_with_facts(make):
    from newsdesk.entities.models import Entity, Event, Figure, Mention

    a = make(SHELLS_JA, outlet="a.example", title="北朝鮮の対ロ砲弾、累計1200万発超か")
    b = make(
        SHELLS_EN_TRANSLATION, language="en", outlet="b.example", hours=3, title="北朝鮮の砲弾、ロシアへ"
    )
    Mention.objects.filter(article__in=[a, b]).delete()
    Figure.objects.filter(article__in=[a, b]).delete()
    Event.objects.filter(article__in=[a, b]).delete()
    north_korea, _ = Entity.objects.get_or_create(name="北朝鮮", defaults={"kind": "country"})
    for article in (a, b):
        Mention.objects.create(article=article, entity=north_korea)
        Figure.objects.create(
            article=article,
            text="1200万発",
            value=Decimal("12000000"),
            unit="発",
            sentence="砲弾は1200万発を超えた。",
        )
        Event.objects.create(
            article=article,
            date=dt.date(2023, 8, 1),
            precision="month",
            text="2023年8月",
            sentence="2023年8月以降に送った。",
        )
    Figure.objects.create(
        article=a,
        text="約2万8000個",
        value=Decimal("28000"),
        unit="個",
        sentence="コンテナは約2万8000個にのぼる。",
    )
    Figure.objects.create(
        article=b, text="約2万個", value=Decimal("20000"), unit="個", sentence="コンテナは約2万個。"
    )
    return story_of(a), a, b


def test_story_page_shows_outlets_side_by_side_with_shared_facts(client, story_with_facts):
    story, a, b = story_with_facts
    page = client.get(reverse("stories:detail", args=[story.pk])).content.decode()
    assert page.index(a.headline) < page.index(b.headline)  # oldest first
    assert page.count('class="story-column"') == 2
    assert a.summary[0] in page
    assert "共通して登場する人物・組織" in page and "北朝鮮" in page
    assert "1200万発" in page and "一致" in page
    assert "媒体により異なる" in page and "約2万8000個" in page and "約2万個" in page  # disputed
    assert "記事に出てくる日付" in page and "2023年8月" in page
    assert "stories/stories.css" in page


def test_story_list_and_unknown_story(client, story_with_facts):
    story, a, b = story_with_facts
    page = client.get(reverse("stories:list")).content.decode()
    assert story.title in page and "2媒体・2本" in page
    assert client.get(reverse("stories:detail", args=[999999])).status_code == 404


def test_article_panel_lists_other_outlets_and_related_stories(make):
    a = make(SHELLS_JA, outlet="a.example")
    b = make(SHELLS_EN_TRANSLATION, language="en", outlet="b.example", hours=2)
    alone = make(SEMICONDUCTOR_JA, outlet="c.example", hours=3)
    html = render_to_string("stories/_article_panel.html", {"article": a})
    assert "この話題を伝える他の媒体" in html and b.headline in html
    assert story_of(a).get_absolute_url() in html
    assert render_to_string("stories/_article_panel.html", {"article": alone}).strip() == ""


def test_admin_renames_merges_and_splits(admin_client, make):
    a = make(SHELLS_JA, outlet="a.example")
    b = make(SHELLS_EN_TRANSLATION, language="en", outlet="b.example", hours=1)
    c = make(TYPHOON_JA, outlet="c.example", hours=2)
    shells, typhoon = story_of(a), story_of(c)
    changelist = reverse("admin:stories_story_changelist")
    assert admin_client.get(changelist).status_code == 200

    # Merge: the action asks for the target, then moves everything there.
    data = {"action": "merge_stories", "_selected_action": [shells.pk, typhoon.pk]}
    page = admin_client.post(changelist, data).content.decode()
    assert "統合先を選んでください" in page
    admin_client.post(changelist, {**data, "apply": "1", "target": typhoon.pk})
    assert not Story.objects.filter(pk=shells.pk).exists()
    assert {story_of(x).pk for x in (a, b, c)} == {typhoon.pk}
    assert Story.objects.get(pk=typhoon.pk).article_count == 3

    # Split: tick articles on the story's page.
    change = reverse("admin:stories_story_change", args=[typhoon.pk])
    memberships = list(StoryMembership.objects.filter(story=typhoon).order_by("article__published_at"))
    form = {
        "title": "統合したストーリー",
        "title_locked": "",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, membership in enumerate(memberships):
        form[f"memberships-{index}-id"] = str(membership.pk)
        form[f"memberships-{index}-story"] = str(typhoon.pk)
        if membership.article_id == c.pk:
            form[f"memberships-{index}-move"] = "on"
    response = admin_client.post(change, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    renamed = Story.objects.get(pk=typhoon.pk)
    assert renamed.title == "統合したストーリー" and renamed.title_locked
    assert story_of(c) != renamed and story_of(a) == renamed == story_of(b)

    # Rename in the list.
    new = story_of(c)
    stories = list(Story.objects.order_by("-last_seen", "-pk"))
    form = {"form-TOTAL_FORMS": str(len(stories)), "form-INITIAL_FORMS": str(len(stories)), "_save": "保存"}
    for index, story in enumerate(stories):
        form[f"form-{index}-id"] = str(story.pk)
        form[f"form-{index}-title"] = "台風5号" if story.pk == new.pk else story.title
    assert admin_client.post(changelist, form).status_code == 302
    new.refresh_from_db()
    assert new.title == "台風5号" and new.title_locked
    # A later article on the story keeps the editor's title.
    make(TYPHOON_JA[::-1], outlet="d.example", hours=-1)
    new.refresh_from_db()
    assert new.title == "台風5号"


def test_stories_command_lists_stories_with_articles(make):
    a = make(SHELLS_JA, outlet="a.example", title="北朝鮮の対ロ砲弾")
    make(SHELLS_EN_TRANSLATION, language="en", outlet="b.example", hours=1, title="砲弾1200万発")
    out = io.StringIO()
    call_command("stories", "--rebuild-index", stdout=out)
    text = out.getvalue()
    assert "ストーリー 1 件" in text and "北朝鮮の対ロ砲弾（2本" in text and "砲弾1200万発" in text
    assert f"{a.pk:>6}" in text


def test_export_carries_story_entities_and_figures(story_with_facts):
    story, a, b = story_with_facts
    record = next(r for r in export_records([a]))
    assert record["story_id"] == story.pk
    assert {"name": "北朝鮮", "type": "country"} in record["entities"]
    assert {"text": "1200万発", "sentence": "砲弾は1200万発を超えた。"} in record["figures"]
    json.dumps(record, ensure_ascii=False)


def test_a_story_of_one_article_says_so_plainly(client, make):
    article = make(["潮見市は老朽化した桟橋を建て替えると発表した。"], title="潮見市の桟橋、建て替えへ")
    page = client.get(reverse("stories:detail", args=[story_of(article).pk])).content.decode()
    assert "1本の記事" in page and "1媒体" not in page and "各媒体の報道" not in page
    assert "この出来事の報道" in page
    assert "〜" not in page.split('class="story-meta"')[1].split("</p>")[0]  # one time, not a range
