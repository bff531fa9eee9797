"""特に人気 and オススメ: ranking, one article per story, the outlet limit, pages and navigation."""

from __future__ import annotations

import datetime as dt
import re

import feedparser
import pytest
from django.core.cache import cache
from django.utils import timezone

from newsdesk.articles.models import Article, ArticleViews
from newsdesk.comments.models import Comment
from newsdesk.site import pageviews, rankings
from newsdesk.stories.models import Story, StoryMembership
from tests.test_page_views import view

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def aged(article_factory, hours: float, views: int = 0, comments: int = 0, **fields) -> Article:
    """A published article ``hours`` old with that many views and visible comments."""
    article = article_factory(site_published_at=timezone.now() - hours * HOUR, **fields)
    if views:
        ArticleViews.objects.create(article=article, day=timezone.localdate(), views=views)
    for number in range(1, comments + 1):
        Comment.objects.create(article=article, number=number, body="コメント")
    return article


def one_story(*articles) -> Story:
    now = timezone.now()
    story = Story.objects.create(title="同じ出来事", first_seen=now, last_seen=now)
    for article in articles:
        StoryMembership.objects.create(article=article, story=story)
    return story


def titles(page: str) -> list[str]:
    return re.findall(r'<h2 class="item-headline"><a href="[^"]+">([^<]+)</a>', page)


# 特に人気


def test_popularity_is_halved_every_half_life():
    # Defaults: a comment counts as 10 views, the half-life is 24 hours.
    assert rankings.popularity(200, 0, 72) == 25.0  # three half-lives: 200 / 8
    assert rankings.popularity(30, 0, 2) == pytest.approx(28.32, abs=0.01)  # 30 * 0.5 ** (2 / 24)
    assert rankings.popularity(2, 3, 5) == pytest.approx(27.70, abs=0.01)  # 32 * 0.5 ** (5 / 24)
    assert rankings.popularity(0, 0, 1) == 0


def test_popular_ranks_views_and_comments_decaying_with_age(client, article_factory):
    old = aged(article_factory, 72, views=200, title="三日前の記事")  # 25.0
    fresh = aged(article_factory, 2, views=30, title="新しい記事")  # 28.32
    discussed = aged(article_factory, 5, views=2, comments=3, title="議論の記事")  # 27.70
    # Hidden and held comments do not count: with them it would score (2 + 80) * 0.87 = 71.
    for number, status in [(4, Comment.Status.HIDDEN), (5, Comment.Status.HELD)]:
        Comment.objects.create(article=discussed, number=number, body="非表示", status=status)
    aged(article_factory, 1, title="読まれていない記事")

    assert rankings.rank_popular(timezone.now()) == [fresh.pk, discussed.pk, old.pk]
    page = client.get("/popular/").content.decode()
    assert titles(page) == ["新しい記事", "議論の記事", "三日前の記事"]
    ranks = re.findall(r'<span class="item-rank">(\d+)<span class="visually-hidden">位</span>', page)
    assert ranks == ["1", "2", "3"]
    assert "コメント 3件" in page and "コメント 0件" in page
    old_meta = re.search(r'三日前の記事</a></h2>\s*<p class="item-meta">(.*?)</p>', page, re.S).group(1)
    assert "200" not in old_meta and "コメント 0件" in old_meta  # view counts are not shown


def test_views_counted_on_the_page_reach_the_ranking(client, article_factory):
    quiet, read = aged(article_factory, 1, title="静かな記事"), aged(article_factory, 3, title="読まれた記事")
    view(client, quiet)
    view(client, read)
    view(client, read)
    pageviews.flush()
    assert rankings.rank_popular(timezone.now()) == [read.pk, quiet.pk]


def test_popular_shows_one_article_per_story(client, article_factory, outlet_factory):
    bbc, asia = outlet_factory("bbc.example"), outlet_factory("asia.example")
    top = aged(article_factory, 1, views=50, outlet=bbc, title="同じ話のBBC")
    second = aged(article_factory, 1, views=40, outlet=asia, title="同じ話のアジア")
    copy = aged(article_factory, 1, views=90, outlet=asia, title="BBCの転載")
    story = one_story(top, second)
    StoryMembership.objects.create(article=copy, story=story, duplicate_of=top)
    other = aged(article_factory, 1, views=10, title="別の話")

    assert rankings.rank_popular(timezone.now()) == [top.pk, other.pk]
    assert titles(client.get("/popular/").content.decode()) == ["同じ話のBBC", "別の話"]


def test_unpublished_articles_never_appear(client, article_factory):
    draft = aged(article_factory, 1, views=99, title="下書き")
    draft.status = Article.Status.REVIEW
    draft.save()
    scheduled = aged(article_factory, -2, views=99, title="予約公開")  # published two hours from now
    shown = aged(article_factory, 1, views=5, title="公開中の記事")
    withdrawn = aged(article_factory, 1, views=50, title="取り下げた記事")
    assert rankings.popular_ids() == [withdrawn.pk, shown.pk]  # now cached
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.REJECTED)
    Article.objects.filter(pk__in=[draft.pk, scheduled.pk]).update(picked_at=timezone.now())

    for url in ["/popular/", "/recommended/", "/"]:
        page = client.get(url).content.decode()
        assert "公開中の記事" in page
        assert not {"下書き", "予約公開", "取り下げた記事"} & set(titles(page)), url
    assert [a.pk for a in rankings.popular_articles()] == [shown.pk]


def test_popular_pages_and_404(client, article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_SIZE": 2}
    for index in range(5):
        aged(article_factory, 1, views=50 - index, title=f"人気{index + 1}")
    second = client.get("/popular/?page=2").content.decode()
    assert titles(second) == ["人気3", "人気4"]
    assert '<span class="item-rank">3<' in second and '<span class="item-rank">4<' in second
    assert 'rel="prev" href="/popular/"' in second and 'rel="next" href="?page=3"' in second
    for bad in ["4", "0", "abc"]:
        assert client.get(f"/popular/?page={bad}").status_code == 404
        assert client.get(f"/recommended/?page={bad}").status_code == 404


def test_ranking_is_cached_briefly(article_factory):
    first = aged(article_factory, 1, views=10)
    assert rankings.popular_ids() == [first.pk]
    later = aged(article_factory, 1, views=100)
    assert rankings.popular_ids() == [first.pk]  # until the cached list expires
    cache.delete(rankings.POPULAR_KEY)
    assert rankings.popular_ids() == [later.pk, first.pk]


def test_empty_rankings_say_so(client, db):
    assert "集計中です" in client.get("/popular/").content.decode()
    assert "まだ記事はありません" in client.get("/recommended/").content.decode()


def test_listing_feeds_follow_the_rankings(client, article_factory, outlet_factory):
    picked = aged(article_factory, 30, outlet=outlet_factory("b.example"), title="編集部の一本")
    Article.objects.filter(pk=picked.pk).update(picked_at=timezone.now())
    read = aged(article_factory, 2, views=40, title="よく読まれた記事")
    discussed = aged(article_factory, 1, views=1, comments=2, title="議論の記事")
    for listing, expected in [
        ("popular", ["よく読まれた記事", "議論の記事"]),  # the pick is unread: unranked
        ("recommended", ["編集部の一本", "よく読まれた記事", "議論の記事"]),
    ]:
        page = client.get(f"/{listing}/").content.decode()
        assert titles(page) == expected
        for format in ("rss", "atom"):
            assert f'href="/feeds/{listing}.{format}"' in page  # autodiscovery and the visible link
            parsed = feedparser.parse(client.get(f"/feeds/{listing}.{format}").content)
            assert not parsed.bozo
            assert [entry.title for entry in parsed.entries] == expected, (listing, format)
            assert parsed.entries[0].link.endswith(Article.objects.get(title=expected[0]).get_absolute_url())
    assert read.pk in rankings.popular_ids() and discussed.pk in rankings.popular_ids()
