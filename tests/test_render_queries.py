"""Reader pages run a bounded number of queries, the same with 3 or 30 of everything they show.

One small archive grows from 3 to 30 of each thing a page lists: articles of an outlet, an
entity and a tag (each with a copy at another outlet, an image, a story), comments, entities,
tags, figures and corrections of one article, the articles of one story, the stories of one
storyline, storylines. Each page type is rendered before and after, twice each time: the first
render after a change counts its listing again (newsdesk/site/listings.py), the second reads the
kept count, as most renders do. bench/render.py measures the same pages at 100,000 articles.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.articles.models import ArticleViews
from newsdesk.comments.models import Comment, Thread
from newsdesk.editorial.models import Correction
from newsdesk.entities.models import Entity, Event, Figure, Mention
from newsdesk.images.models import ArticleImage
from newsdesk.site import rankings
from newsdesk.stories.models import Story, Storyline, StoryMembership
from newsdesk.tags.models import ArticleTag, Tag

pytestmark = pytest.mark.django_db

# The most queries each page may run once its listing's counts are kept (the first time after a
# change, two more for each count: the count and the next scheduled publication).
MOST = {
    "/": 6,
    "/popular/": 5,
    "/recommended/": 5,
    "article": 14,
    "/outlets/home.example/": 5,
    "/entities/test-country/": 7,
    "/tags/test/": 5,
    "/tags/": 0,
    "story": 6,
    "/stories/": 1,
    "storyline": 4,
    "/storylines/": 1,
    "/search/?q=見出し": 7,
}


class Archive:
    """The growing archive; ``grow(n)`` adds what is missing to have ``n`` of each."""

    def __init__(self, article_factory, outlet_factory):
        self.make, self.outlet_factory = article_factory, outlet_factory
        self.home = outlet_factory("home.example", name="ホーム")
        self.entity = Entity.objects.create(name="テスト国", kind="country", slug="test-country")
        self.tag = Tag.objects.create(name="テスト", slug="test")
        now = timezone.now()
        self.story = Story.objects.create(title="大きな話題", first_seen=now, last_seen=now)
        self.line = Storyline.objects.create(title="続く話題", first_seen=now, last_seen=now)
        self.article = self.make(outlet=self.home, title="コメントの多い見出し")
        self.membership = StoryMembership.objects.create(article=self.article, story=self.story)
        Thread.objects.create(article=self.article)
        self.size = 0

    def story_of(self, title: str, *articles, line=None) -> Story:
        now = timezone.now()
        story = Story.objects.create(title=title, first_seen=now, last_seen=now, storyline=line)
        for article in articles:
            StoryMembership.objects.create(article=article, story=story)
        return story

    def add(self, i: int) -> None:
        now = timezone.now()
        elsewhere = self.outlet_factory(f"o{i}.example", name=f"媒体{i}")
        listed = self.make(
            outlet=self.home,
            title=f"見出し{i}",
            image_url=f"https://img.example.com/{i}.jpg",
            picked_at=now - dt.timedelta(minutes=i),
        )
        copy = self.make(outlet=elsewhere, title=f"見出し{i}の転載")
        StoryMembership.objects.create(article=listed, story=self.story)
        StoryMembership.objects.create(article=copy, story=self.story, duplicate_of=listed)
        ArticleImage.objects.create(
            article=listed,
            source_url=listed.image_url,
            page_file=f"images/{listed.pk}/page-a.jpg",
            thumbnail_file=f"images/{listed.pk}/thumb-a.jpg",
        )
        ArticleViews.objects.create(article=listed, day=timezone.localdate(), views=10 + i)
        Mention.objects.create(article=listed, entity=self.entity)
        ArticleTag.objects.create(article=listed, tag=self.tag, source=ArticleTag.Source.AUTO)
        # The article page's own lists.
        named = Entity.objects.create(name=f"人物{i}", kind="person")
        Mention.objects.create(article=self.article, entity=named, first_position=i)
        Mention.objects.create(article=listed, entity=named)
        ArticleTag.objects.create(article=self.article, tag=Tag.objects.create(name=f"話題{i}", slug=f"t{i}"))
        Figure.objects.create(article=listed, text=f"{i}人", value=i, unit="人", sentence=f"死者は{i}人。")
        Event.objects.create(article=listed, date=now.date(), precision="day", text="5日", sentence="5日に。")
        Correction.objects.create(article=self.article, kind="correction", note=f"訂正{i}")
        Comment.objects.create(
            article=self.article, number=i + 1, body=f"コメント{i}", body_html=f"<p>{i}</p>"
        )
        # A related story in the storyline, and a storyline of its own of two stories.
        related = self.story_of(
            f"関連{i}", self.make(outlet=elsewhere), self.make(outlet=self.home), line=self.line
        )
        self.membership.related_story_ids = [*self.membership.related_story_ids, related.pk]
        self.membership.save()
        other = Storyline.objects.create(title=f"別の話題{i}", first_seen=now, last_seen=now)
        self.story_of(f"別{i}a", self.make(outlet=elsewhere), line=other)
        self.story_of(f"別{i}b", self.make(outlet=elsewhere), line=other)

    def grow(self, size: int) -> None:
        for i in range(self.size, size):
            self.add(i)
        self.size = size
        Thread.objects.filter(article=self.article).update(last_number=size)
        rankings.refresh()  # as the worker does after its page views

    def urls(self) -> dict[str, str]:
        return {
            **{key: key for key in MOST if key.startswith("/")},
            "article": self.article.get_absolute_url(),
            "story": self.story.get_absolute_url(),
            "storyline": self.line.get_absolute_url(),
        }


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def renders(client, archive: Archive) -> dict[str, tuple[int, int]]:
    """(first render, second render) queries of each page."""
    return {key: (queries(client, url), queries(client, url)) for key, url in archive.urls().items()}


@pytest.fixture
def archive(article_factory, outlet_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_SIZE": 200}  # every item of a listing on page one
    return Archive(article_factory, outlet_factory)


def test_reader_pages_run_as_many_queries_for_30_items_as_for_3(client, archive):
    archive.grow(3)
    few = renders(client, archive)
    archive.grow(30)
    many = renders(client, archive)
    assert many == few
    for key, (first, second) in many.items():
        assert second <= MOST[key], key
        assert first <= second + 4, key


def test_what_the_pages_show_grew(client, archive):
    """The pages above really show the 30 of each (a page that stopped listing would pass them)."""
    archive.grow(30)
    pages = {key: client.get(url).content.decode() for key, url in archive.urls().items()}
    # The 30 listed, the article, and the two of each related story and of each other storyline.
    assert pages["/"].count('class="item-headline"') == 30 + 1 + 60 + 60
    assert pages["/entities/test-country/"].count('class="item-headline"') == 30
    assert pages["/tags/test/"].count('class="item-headline"') == 30
    assert pages["/outlets/home.example/"].count("同じ記事の掲載先") == 30
    assert pages["article"].count('class="comment"') == 30
    assert pages["article"].count("訂正（") == 30
    assert pages["article"].count('rel="tag"') == 30
    assert pages["story"].count('class="story-article"') == 31
    assert pages["storyline"].count('class="story-item"') == 30
    assert pages["/storylines/"].count('class="story-item"') == 31


def test_walking_the_newest_finds_what_the_join_finds(article_factory, outlet_factory):
    """Entity and tag pages read their articles one of two ways (newsdesk/site/listings.py
    ``walk_newest``); both give the same articles and stories, in the same order."""
    from newsdesk.articles.models import Article
    from newsdesk.entities import service as entities
    from newsdesk.stories import queries
    from newsdesk.tags import service as tags

    entity = Entity.objects.create(name="テスト国", kind="country")
    tag = Tag.objects.create(name="テスト", slug="test")
    now = timezone.now()
    story = Story.objects.create(title="話題", first_seen=now, last_seen=now)
    quiet = Story.objects.create(title="無関係", first_seen=now, last_seen=now + dt.timedelta(hours=1))
    kinds = [
        {},  # published, named and tagged
        {"status": Article.Status.REVIEW},
        {"site_published_at": now + dt.timedelta(days=1)},  # scheduled
        {"source": ArticleTag.Source.REMOVED},
        {"copy": True},  # a copy of the first at another outlet: listed by tags once
    ]
    first = None
    for number, kind in enumerate(kinds * 2):
        source = kind.get("source", ArticleTag.Source.AUTO)
        fields = {key: value for key, value in kind.items() if key not in ("source", "copy")}
        article = article_factory(outlet=outlet_factory(f"w{number}.example"), **fields)
        Mention.objects.create(article=article, entity=entity)
        ArticleTag.objects.create(article=article, tag=tag, source=source)
        copy_of = first if kind.get("copy") else None
        StoryMembership.objects.create(article=article, story=story, duplicate_of=copy_of)
        first = first or article
    # A story whose only article naming the entity is unpublished is not the entity's.
    hidden = article_factory(status=Article.Status.REVIEW)
    Mention.objects.create(article=hidden, entity=entity)
    StoryMembership.objects.create(article=hidden, story=quiet)
    StoryMembership.objects.create(article=article_factory(), story=quiet)

    def pks(queryset) -> list[int]:
        return [row.pk for row in queryset]

    assert pks(entities.articles_of(entity, walk=True)) == pks(entities.articles_of(entity)) != []
    assert pks(tags.articles_with(tag, walk=True)) == pks(tags.articles_with(tag)) != []
    assert len(pks(tags.articles_with(tag))) == 2  # the first of each kind; copies and removals not
    assert pks(queries.stories_naming(entity, walk=True)) == pks(queries.stories_naming(entity)) == [story.pk]
