"""The storyline list page, its feeds and its sitemap section (the saga of tests/test_storylines.py)."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse

from tests.test_storylines import make, saga, story_of  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_the_list_shows_storylines_of_two_stories_or_more(saga, client):  # noqa: F811
    shells, troops, typhoon = saga
    line = story_of(shells).storyline
    page = client.get(reverse("stories:storylines"))
    assert page.status_code == 200
    html = page.content.decode()
    assert line.get_absolute_url() in html and "2件のストーリー・4媒体・4本" in html
    assert story_of(typhoon).get_absolute_url() not in html  # a story outside any storyline
    # Both pages lead to it: the story list and the storyline page's kicker.
    assert reverse("stories:storylines") in client.get(reverse("stories:list")).content.decode()
    assert reverse("stories:storylines") in client.get(line.get_absolute_url()).content.decode()

    # A storyline left with one story (an editor split the other off) is a story, not a storyline.
    from newsdesk.stories import editing

    editing.split_storyline([story_of(troops)], title="北朝鮮兵の派遣")
    assert line.get_absolute_url() not in client.get(reverse("stories:storylines")).content.decode()
    assert "まだストーリーラインはありません" in client.get(reverse("stories:storylines")).content.decode()


def test_a_storyline_has_feeds_of_its_articles_and_the_list_has_one(saga, client):  # noqa: F811
    shells, troops, _ = saga
    line = story_of(shells).storyline
    page = client.get(line.get_absolute_url()).content.decode()
    rss_path = reverse("feeds:storyline_rss", args=[line.pk])
    assert rss_path in page and reverse("feeds:storyline_atom", args=[line.pk]) in page

    feed = feedparser.parse(client.get(rss_path).content)
    assert not feed.bozo and line.title in feed.feed.title
    links = [entry.link for entry in feed.entries]
    # Four articles, one of them a copy of another (the same report reordered): shown once.
    assert len(links) == 3 and any(troops.get_absolute_url() in link for link in links)
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)  # newest first

    listing = feedparser.parse(client.get(reverse("feeds:storylines_atom")).content)
    assert [entry.title for entry in listing.entries] == [line.title]
    assert client.get(reverse("feeds:storyline_rss", args=[line.pk + 100])).status_code == 404


def test_the_sitemap_lists_the_storylines(saga, client):  # noqa: F811
    line = story_of(saga[0]).storyline
    index = client.get(reverse("feeds:sitemap_index")).content.decode()
    assert "sitemap-storylines.xml" in index
    section = client.get(reverse("feeds:sitemap", args=["storylines"])).content.decode()
    assert line.get_absolute_url() in section
    pages = client.get(reverse("feeds:sitemap", args=["pages"])).content.decode()
    assert reverse("stories:storylines") in pages
