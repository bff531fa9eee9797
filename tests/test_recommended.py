"""オススメ: editors' picks first, popular and diverse in turn, the outlet limit; the admin actions;
the navigation and the rankings beside the latest list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.site import rankings
from newsdesk.stories.models import StoryMembership
from tests.test_listings import HOUR, aged, one_story, titles

pytestmark = pytest.mark.django_db


def by_title(ids: list[int]) -> list[str]:
    headlines = dict(Article.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [headlines[pk] for pk in ids]


def outlet_runs_within_limit(ids: list[int]) -> bool:
    outlets = dict(Article.objects.filter(pk__in=ids).values_list("pk", "outlet_id"))
    listed = [outlets[pk] for pk in ids]
    return all(
        max(window.count(outlet) for outlet in window) <= rankings.OUTLET_MAX
        for window in (listed[i : i + rankings.OUTLET_SPAN] for i in range(len(listed)))
    )


def test_popular_and_diverse_alternate_within_the_outlet_limit(article_factory, outlet_factory):
    outlets = {name: outlet_factory(f"{name}.example") for name in "abcde"}
    for number, views in enumerate([100, 90, 80, 70], 1):  # 特に人気 is all one outlet's
        aged(article_factory, number, views=views, outlet=outlets["a"], title=f"a{number}")
    aged(article_factory, 5, views=5, outlet=outlets["b"], title="b1")
    for hours, name in [(6, "c"), (7, "d"), (8, "e")]:
        aged(article_factory, hours, outlet=outlets[name], title=f"{name}1")

    ranked = rankings.rank_recommended(timezone.now())
    # Popular a1; diverse b1 (an outlet not listed yet); popular a2; diverse c1; a3 would make
    # three of a's in five, so diverse d1 then e1 take the turns until a3 and a4 fit again.
    assert by_title(ranked) == ["a1", "b1", "a2", "c1", "d1", "a3", "e1", "a4"]
    assert outlet_runs_within_limit(ranked)
    assert rankings.rank_recommended(timezone.now()) == ranked  # same data, same list


def test_picks_come_first_latest_pick_first(client, article_factory, outlet_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "RANKING_DAYS": 7}
    now = timezone.now()
    b, c = outlet_factory("b.example"), outlet_factory("c.example")
    popular = aged(article_factory, 1, views=500, title="人気の記事")
    newest_pick = aged(article_factory, 30, outlet=b, picked_at=now - HOUR, title="新しいオススメ")
    older_pick = aged(article_factory, 3, outlet=c, picked_at=now - 2 * HOUR, title="前のオススメ")
    same_story = aged(article_factory, 2, outlet=c, picked_at=now - 3 * HOUR, title="同じ話の別媒体")
    one_story(newest_pick, same_story)
    stale = aged(article_factory, 9 * 24, picked_at=now - dt.timedelta(days=8), title="古いオススメ")

    ranked = by_title(rankings.rank_recommended(now))
    assert ranked[:3] == ["新しいオススメ", "前のオススメ", "人気の記事"]
    assert "同じ話の別媒体" not in ranked  # its story is already listed
    assert ranked[-1] == "古いオススメ"  # its pick is past the window: only the fill lists it
    assert len(ranked) == len(set(ranked)) == 4
    page = client.get("/recommended/").content.decode()
    assert titles(page) == ranked
    assert [a.pk for a in rankings.recommended_articles(2)] == [newest_pick.pk, older_pick.pk]
    assert popular.pk in rankings.popular_ids() and stale.pk not in rankings.picked_ids(now)


def test_no_story_twice_and_copies_left_out(article_factory, outlet_factory):
    first, second = outlet_factory("first.example"), outlet_factory("second.example")
    original = aged(article_factory, 1, views=10, outlet=first, title="元の記事")
    other_view = aged(article_factory, 2, views=8, outlet=second, title="同じ話の別の記事")
    copy = aged(article_factory, 3, outlet=second, title="転載")
    story = one_story(original, other_view)
    StoryMembership.objects.create(article=copy, story=story, duplicate_of=original)
    alone = aged(article_factory, 4, title="別の話")
    assert by_title(rankings.rank_recommended(timezone.now())) == ["元の記事", "別の話"]
    assert alone.pk in rankings.recommended_ids()


def test_a_one_outlet_site_still_fills_with_latest(article_factory):
    for hours in range(1, 5):
        aged(article_factory, hours, title=f"{hours}時間前")
    assert by_title(rankings.rank_recommended(timezone.now())) == [
        "1時間前",
        "2時間前",
        "3時間前",
        "4時間前",
    ]


# The admin


def changelist(admin_client, action: str, *articles):
    return admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in articles]},
        follow=True,
    ).content.decode()


def test_admin_actions_pick_and_unpick(admin_client, client, article_factory):
    aged(article_factory, 1, views=50, title="人気の記事")
    chosen = aged(article_factory, 2, title="編集部の一押し")
    draft = article_factory(status=Article.Status.REVIEW, title="下書き")
    assert titles(client.get("/recommended/").content.decode())[0] == "人気の記事"  # now cached

    page = changelist(admin_client, "pick", chosen, draft)
    assert "2件の記事をオススメに追加しました" in page
    assert "うち1件は未公開のため" in page
    chosen.refresh_from_db()
    assert chosen.picked_at is not None
    assert titles(client.get("/recommended/").content.decode())[0] == "編集部の一押し"

    url = reverse("admin:articles_article_changelist")
    picked = admin_client.get(url, {"picked": "yes"}).content.decode()
    assert "編集部の一押し" in picked and "人気の記事" not in picked
    assert "オススメから外す" in picked

    assert "2件の記事をオススメから外しました" in changelist(admin_client, "unpick", chosen, draft)
    chosen.refresh_from_db()
    assert chosen.picked_at is None
    assert titles(client.get("/recommended/").content.decode())[0] == "人気の記事"


# Navigation and the latest page


@pytest.mark.parametrize(
    "url,current",
    [("/", "最新"), ("/popular/", "特に人気"), ("/recommended/", "オススメ"), ("/stories/", "ストーリー")],
)
def test_navigation_marks_the_current_listing(client, db, url, current):
    page = client.get(url).content.decode()
    header = re.search(r'<nav class="site-nav" aria-label="メインメニュー">(.*?)</nav>', page, re.S).group(1)
    footer = re.search(r'<nav aria-label="サイト内">(.*?)</nav>', page, re.S).group(1)
    for nav in (header, footer):
        assert re.findall(r"<a [^>]+>([^<]+)</a>", nav)[:4] == ["最新", "特に人気", "オススメ", "ストーリー"]
        assert re.findall(r'aria-current="page">([^<]+)<', nav) == [current]


def test_latest_shows_the_heads_of_the_rankings(client, article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_SIZE": 3}
    for index in range(7):
        aged(article_factory, index + 1, views=10 * (7 - index), title=f"記事{index + 1}")
    aged(article_factory, 8, picked_at=timezone.now(), title="オススメの記事")

    page = client.get("/").content.decode()
    box = page.split('<aside class="top-lists"', 1)[1]
    popular_box = re.search(r"<h2 class=\"top-list-title\">特に人気</h2>\s*<ol>(.*?)</ol>", box, re.S)
    assert re.findall(r">([^<]+)</a></li>", popular_box.group(1)) == [f"記事{n}" for n in range(1, 6)]
    assert "オススメの記事" in box and 'href="/recommended/"' in box and 'href="/popular/"' in box
    assert "top-lists" not in client.get("/?page=2").content.decode()
