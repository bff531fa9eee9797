"""Metadata for search engines and link previews: schema.org JSON-LD (a NewsArticle based on the
original on the article page, an ItemList on the story page) and OpenGraph / X card tags."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import timezone

from newsdesk.entities.models import Entity, Kind, Mention
from newsdesk.sources.models import Outlet
from newsdesk.stories.models import Story, StoryMembership
from tests.images import store_image

pytestmark = pytest.mark.django_db

HOSTILE = 'ソウル & 東京 </script><script>alert(1)</script> "速報" <!--'
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def site(path: str) -> str:
    return settings.NEWSDESK["SITE_URL"] + path


def json_ld(client, path: str) -> dict:
    page = client.get(path).content.decode()
    scripts = SCRIPT.findall(page)
    assert len(scripts) == 1
    # Escaped as \u003C etc., so no "</script>" or "<!--" in a headline can end the element early.
    assert not set("<>&") & set(scripts[0])
    return json.loads(scripts[0])


def test_article_is_a_news_article_based_on_the_original(client, article_factory):
    article = article_factory(
        title="ロシアと金正恩の同盟はどれほど危険か",
        original_title="How worrying is a Russia-Kim Jong Un alliance?",
        summary=["北朝鮮はロシアに砲弾を送っている。", "同盟は地域の安全保障を変える。"],
        author="Jane Doe",
        image_url="https://img.example.com/summit.jpg",
        url="https://www.example.com/news/world-asia-123",
        published_at=dt.datetime(2024, 6, 23, 16, 6, tzinfo=dt.UTC),
        site_published_at=dt.datetime(2024, 6, 24, 0, 30, tzinfo=dt.UTC),
    )
    image = store_image(article)
    data = json_ld(client, article.get_absolute_url())
    article.refresh_from_db()
    canonical = site(article.get_absolute_url())
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "ロシアと金正恩の同盟はどれほど危険か",
        "alternativeHeadline": "How worrying is a Russia-Kim Jong Un alliance?",
        "description": "北朝鮮はロシアに砲弾を送っている。",
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "inLanguage": "ja",
        "datePublished": "2024-06-24T09:30:00+09:00",
        "dateModified": timezone.localtime(article.updated_at).isoformat(timespec="seconds"),
        "image": [site(image.page_url)],  # our stored copy, not the source's
        "author": {"@type": "Person", "name": "Jane Doe"},
        "publisher": {"@type": "Organization", "name": "KJ 東アジア+", "url": site("/")},
        "isBasedOn": {
            "@type": "NewsArticle",
            "url": "https://www.example.com/news/world-asia-123",
            "headline": "How worrying is a Russia-Kim Jong Un alliance?",
            "inLanguage": "en",
            "author": {"@type": "Person", "name": "Jane Doe"},
            "publisher": {"@type": "Organization", "name": "Example Times", "url": "https://example.com/"},
            "datePublished": "2024-06-24T01:06:00+09:00",
        },
    }
    assert data["dateModified"].endswith("+09:00")


def test_without_a_byline_the_outlet_is_the_author(client, article_factory):
    weekly = Outlet.objects.create(name="半島ウィークリー", domain="")
    article = article_factory(
        outlet=weekly,
        url="",
        source_url="https://files.example.org/weekly.txt",
        language="ja",
        original_title="釜山港の新ターミナル",
        title="釜山港の新ターミナル",
        summary=[],
        lead_ja="釜山港に新しいターミナルが開業した。",
    )
    data = json_ld(client, article.get_absolute_url())
    outlet = {"@type": "Organization", "name": "半島ウィークリー"}
    assert data["author"] == outlet
    assert data["isBasedOn"] == {
        "@type": "NewsArticle",
        "url": "https://files.example.org/weekly.txt",
        "headline": "釜山港の新ターミナル",
        "inLanguage": "ja",
        "author": outlet,
        "publisher": outlet,
    }
    assert data["description"] == "釜山港に新しいターミナルが開業した。"
    assert "alternativeHeadline" not in data and "image" not in data


def test_markup_in_a_headline_stays_inside_the_json(client, article_factory):
    article = article_factory(title=HOSTILE, original_title=HOSTILE, summary=["<b>太字</b> & 記号"])
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    data = json_ld(client, article.get_absolute_url())
    assert data["headline"] == HOSTILE
    assert data["isBasedOn"]["headline"] == HOSTILE
    assert data["description"] == "<b>太字</b> & 記号"


def test_story_page_lists_its_articles(client, article_factory):
    first = article_factory(outlet="a.example", published_at=dt.datetime(2024, 6, 23, tzinfo=dt.UTC))
    second = article_factory(outlet="b.example", published_at=dt.datetime(2024, 6, 24, tzinfo=dt.UTC))
    draft = article_factory(outlet="b.example", status="review")
    story = Story.objects.create(title=HOSTILE, first_seen=first.published_at, last_seen=second.published_at)
    for article in (first, second, draft):
        StoryMembership.objects.create(story=story, article=article)
    data = json_ld(client, story.get_absolute_url())
    assert data["@type"] == "ItemList"
    assert data["name"] == HOSTILE
    assert data["url"] == site(story.get_absolute_url())
    assert data["numberOfItems"] == 2
    assert data["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "url": site(first.get_absolute_url())},
        {"@type": "ListItem", "position": 2, "url": site(second.get_absolute_url())},
    ]


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name", "")).startswith(("og:", "twitter:")):
            self.tags[attrs.get("property") or attrs["name"]] = attrs["content"]


def test_listing_pages_have_link_previews(client, article_factory):
    article = article_factory(image_url="https://img.example.com/port.jpg")
    image = store_image(article)
    story = Story.objects.create(title="釜山港の話", first_seen=timezone.now(), last_seen=timezone.now())
    StoryMembership.objects.create(story=story, article=article)
    federation = Entity.objects.create(name="東海連邦", kind=Kind.COUNTRY, slug="tokai-federation")
    Mention.objects.create(article=article, entity=federation)
    pages = {
        "/": ("KJ 東アジア+", "/"),
        "/outlets/example.com/": ("Example Timesの記事", "/outlets/example.com/"),
        "/entities/tokai-federation/": ("東海連邦に関する記事", "/entities/tokai-federation/"),
        story.get_absolute_url(): ("釜山港の話", story.get_absolute_url()),  # one outlet: no 「各媒体」
        "/stories/": ("ストーリー", "/stories/"),
    }
    tags_of = {}
    for path, (title, url) in pages.items():
        parser = MetaTags()
        parser.feed(client.get(path).content.decode())
        tags = tags_of[path] = parser.tags
        assert tags["og:title"] == title, path
        assert tags["og:url"] == site(url), path
        assert tags["og:site_name"] == "KJ 東アジア+" and tags["og:locale"] == "ja_JP", path
        assert tags["og:type"] == "website" and tags["og:description"], path
        assert tags["twitter:card"] == (
            "summary_large_image" if path == story.get_absolute_url() else "summary"
        )
    assert tags_of[story.get_absolute_url()]["og:image"] == site(image.page_url)
