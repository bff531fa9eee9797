"""RSS 2.0 and Atom feeds of the latest list, outlets, entities, stories and the story list."""

from __future__ import annotations

import datetime as dt
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone

from newsdesk.entities.models import Entity, Kind, Mention
from newsdesk.sources.models import Outlet
from newsdesk.stories.models import Story, StoryMembership

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = 'ソウル & 東京 </script><script>alert(1)</script> "速報"'


def site(path: str) -> str:
    return settings.NEWSDESK["SITE_URL"] + path


def fetch(client, url: str, media_type: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == f"{media_type}; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def both(client, path: str):
    """The RSS and the Atom feed at ``path`` (without its extension), parsed."""
    rss = fetch(client, f"{path}.rss", "application/rss+xml")
    atom = fetch(client, f"{path}.atom", "application/atom+xml")
    assert rss[1].version == "rss20" and atom[1].version == "atom10"
    return [rss, atom]


def links(parsed) -> list[str]:
    return [entry.link for entry in parsed.entries]


def make_story(title: str, *articles, copies: dict | None = None) -> Story:
    moments = [a.published_at or a.site_published_at or a.created_at for a in articles]
    story = Story.objects.create(title=title, first_seen=min(moments), last_seen=max(moments))
    for article in articles:
        StoryMembership.objects.create(story=story, article=article, duplicate_of=(copies or {}).get(article))
    return story


@pytest.fixture
def newsroom(article_factory):
    """Two published articles, a copy of the newer at another outlet, a draft and a scheduled one."""
    newer = article_factory(
        title="北朝鮮、ロシアに砲弾を追加供与か",
        summary=["韓国の情報機関が分析した。", "累計は1200万発を超える。"],
        author="Jane Doe",
        published_at=dt.datetime(2024, 6, 23, 16, 6, tzinfo=dt.UTC),
        site_published_at=dt.datetime(2024, 6, 24, 0, 30, tzinfo=dt.UTC),
    )
    older = article_factory(site_published_at=dt.datetime(2024, 6, 23, 12, 0, tzinfo=dt.UTC))
    copy = article_factory(
        outlet="wire.example.net", site_published_at=dt.datetime(2024, 6, 24, 1, tzinfo=dt.UTC)
    )
    make_story("北朝鮮の砲弾", newer, copy, copies={copy: newer})
    draft = article_factory(status="review")
    scheduled = article_factory(site_published_at=timezone.now() + dt.timedelta(hours=1))
    return {"newer": newer, "older": older, "copy": copy, "draft": draft, "scheduled": scheduled}


def test_latest_feeds_list_what_the_latest_page_lists(client, newsroom):
    newer, older = newsroom["newer"], newsroom["older"]
    (rss_response, rss), (atom_response, atom) = both(client, "/feeds/latest")
    for parsed in (rss, atom):
        assert parsed.feed.title == "最新記事 | KJ 東アジア+"
        assert parsed.feed.language == "ja"
        assert parsed.feed.link == site("/")
        # Newest first; the copy, the draft and the scheduled article are not listed.
        assert links(parsed) == [site(newer.get_absolute_url()), site(older.get_absolute_url())]
        entry = parsed.entries[0]
        assert entry.title == "北朝鮮、ロシアに砲弾を追加供与か"
        assert entry.id == site(newer.get_absolute_url())
        assert entry.author == "Jane Doe（Example Times）"
        assert (
            entry.summary == "<ul><li>韓国の情報機関が分析した。</li><li>累計は1200万発を超える。</li></ul>"
        )
        # Dated by the original (16:06 UTC), not by our publication.
        assert entry.published_parsed == time.struct_time((2024, 6, 23, 16, 6, 0, 6, 175, 0))
        assert parsed.entries[1].author == "Example Times"

    # Dates are written in Japan time.
    item = ET.fromstring(rss_response.content).find("channel/item")
    assert item.findtext("pubDate") == "Mon, 24 Jun 2024 01:06:00 +0900"
    assert item.findtext("guid") == site(newer.get_absolute_url())
    entry = ET.fromstring(atom_response.content).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published") == "2024-06-24T01:06:00+09:00"
    newer.refresh_from_db()
    assert entry.findtext(f"{ATOM}updated") == timezone.localtime(newer.updated_at).isoformat()
    assert entry.findtext(f"{ATOM}updated").endswith("+09:00")
    self_link = ET.fromstring(atom_response.content).find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == site("/feeds/latest.atom")


def test_markup_in_headlines_and_summaries_is_text(client, article_factory):
    article_factory(title=HOSTILE, summary=["<b>太字</b> & 記号", "二つ目"])
    for response, parsed in both(client, "/feeds/latest"):
        assert b"<script>" not in response.content and b"<b>" not in response.content
        entry = parsed.entries[0]
        assert entry.title == HOSTILE
        assert entry.title_detail.type == "text/plain"
        assert entry.summary == "<ul><li>&lt;b&gt;太字&lt;/b&gt; &amp; 記号</li><li>二つ目</li></ul>"


def test_a_feed_has_as_many_items_as_a_page(client, article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_SIZE": 2}
    articles = [article_factory() for _ in range(3)]  # the factory makes each one older
    for _, parsed in both(client, "/feeds/latest"):
        assert links(parsed) == [site(a.get_absolute_url()) for a in articles[:2]]


def test_outlet_feeds_by_domain_and_by_id(client, article_factory, outlet_factory, newsroom):
    wire = outlet_factory("wire.example.net", name="Wire Service")
    own = article_factory(outlet=wire, site_published_at=dt.datetime(2024, 6, 22, tzinfo=dt.UTC))
    for _, parsed in both(client, "/feeds/outlets/wire.example.net"):
        assert parsed.feed.title == "Wire Serviceの記事 | KJ 東アジア+"
        assert parsed.feed.link == site("/outlets/wire.example.net/")
        # Its copy of another outlet's article is listed at the original, as on the outlet page.
        assert links(parsed) == [site(own.get_absolute_url())]

    weekly = Outlet.objects.create(name="半島ウィークリー", domain="")
    pasted = article_factory(outlet=weekly, url="")
    for _, parsed in both(client, f"/feeds/outlets/by-id/{weekly.pk}"):
        assert parsed.feed.title == "半島ウィークリーの記事 | KJ 東アジア+"
        assert parsed.feed.link == site(f"/outlets/by-id/{weekly.pk}/")
        assert links(parsed) == [site(pasted.get_absolute_url())]

    assert client.get("/feeds/outlets/unknown.example.rss").status_code == 404
    assert client.get(f"/feeds/outlets/by-id/{wire.pk}.atom").status_code == 404  # has a domain
    assert client.get("/feeds/outlets/by-id/999999.rss").status_code == 404


def test_entity_feeds_by_slug_and_by_id(client, article_factory):
    federation = Entity.objects.create(name="東海連邦", kind=Kind.COUNTRY, slug="tokai-federation")
    nameless = Entity.objects.create(name="架空港湾公社", kind=Kind.ORGANISATION)
    named = article_factory(title="韓国の記事")
    draft = article_factory(status="review")
    article_factory(title="関係のない記事")
    for article in (named, draft):
        Mention.objects.create(article=article, entity=federation)
    Mention.objects.create(article=named, entity=nameless)

    for _, parsed in both(client, "/feeds/entities/tokai-federation"):
        assert parsed.feed.title == "東海連邦に関する記事 | KJ 東アジア+"
        assert parsed.feed.link == site("/entities/tokai-federation/")
        assert links(parsed) == [site(named.get_absolute_url())]
    for _, parsed in both(client, f"/feeds/entities/{nameless.pk}"):
        assert parsed.feed.title == "架空港湾公社に関する記事 | KJ 東アジア+"
        assert links(parsed) == [site(named.get_absolute_url())]

    assert client.get("/feeds/entities/no-such-entity.rss").status_code == 404
    assert client.get("/feeds/entities/999999.atom").status_code == 404


def test_story_feeds_and_the_story_list_feed(client, article_factory, newsroom):
    newer, copy = newsroom["newer"], newsroom["copy"]
    story = StoryMembership.objects.get(article=newer).story
    later = article_factory(
        outlet="later.example.org", site_published_at=dt.datetime(2024, 6, 25, tzinfo=dt.UTC)
    )
    draft = article_factory(outlet="later.example.org", status="review")
    for article in (later, draft):
        StoryMembership.objects.create(story=story, article=article)
    unpublished_story = make_story("まだ公開されていない話", newsroom["draft"])

    for _, parsed in both(client, f"/feeds/stories/{story.pk}"):
        assert parsed.feed.title == "ストーリー：北朝鮮の砲弾 | KJ 東アジア+"
        assert parsed.feed.link == site(story.get_absolute_url())
        # The copy is listed under its original on the story page, so not on its own here.
        assert links(parsed) == [site(later.get_absolute_url()), site(newer.get_absolute_url())]
        assert site(copy.get_absolute_url()) not in links(parsed)

    for _, parsed in both(client, "/feeds/stories"):
        assert parsed.feed.title == "ストーリー | KJ 東アジア+"
        assert [entry.title for entry in parsed.entries] == ["北朝鮮の砲弾"]
        assert parsed.entries[0].link == site(story.get_absolute_url())
        assert parsed.entries[0].summary == "3媒体・3本の記事"

    assert client.get(f"/feeds/stories/{unpublished_story.pk}.rss").status_code == 404
    assert client.get("/feeds/stories/999999.atom").status_code == 404


def test_a_story_of_one_article_has_the_feed_its_page_links(client, article_factory):
    """Its page exists and links a feed, which a reader follows for the next outlet's report."""
    alone = make_story("一本だけの話", article_factory(outlet="alone.example.org"))
    page = client.get(alone.get_absolute_url())
    assert page.status_code == 200
    parser = HeadLinks()
    parser.feed(page.content.decode())
    linked = {link["href"] for link in parser.feeds if "/stories/" in link["href"]}
    assert linked == {f"/feeds/stories/{alone.pk}.rss", f"/feeds/stories/{alone.pk}.atom"}
    for path in linked:
        answer = client.get(path)
        assert answer.status_code == 200
        assert len(feedparser.parse(answer.content).entries) == 1


class HeadLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.feeds: list[dict] = []
        self.buttons: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("type", "").endswith("+xml"):
            self.feeds.append(attrs)
        if tag == "a" and attrs.get("type", "").endswith("+xml"):
            self.buttons.append(attrs["href"])


def test_pages_link_their_feeds_for_readers_to_discover(client, newsroom):
    newer = newsroom["newer"]
    story = StoryMembership.objects.get(article=newer).story
    federation = Entity.objects.create(name="東海連邦", kind=Kind.COUNTRY, slug="tokai-federation")
    Mention.objects.create(article=newer, entity=federation)
    site_wide = {"/feeds/latest.rss", "/feeds/latest.atom"}
    pages = {
        "/": set(),
        "/outlets/example.com/": {"/feeds/outlets/example.com.rss", "/feeds/outlets/example.com.atom"},
        "/entities/tokai-federation/": {
            "/feeds/entities/tokai-federation.rss",
            "/feeds/entities/tokai-federation.atom",
        },
        f"/stories/{story.pk}/": {f"/feeds/stories/{story.pk}.rss", f"/feeds/stories/{story.pk}.atom"},
        "/stories/": {"/feeds/stories.rss", "/feeds/stories.atom"},
        newer.get_absolute_url(): set(),
    }
    titles = {}
    for page, own in pages.items():
        parser = HeadLinks()
        parser.feed(client.get(page).content.decode())
        listing_feeds = {
            link["href"]: link["title"] for link in parser.feeds if "comments" not in link["href"]
        }
        assert set(listing_feeds) == own | site_wide, page
        if page != newer.get_absolute_url():
            assert set(parser.buttons) == (own or site_wide), page
        titles |= listing_feeds

    for href, title in titles.items():
        response = client.get(href)
        assert response.status_code == 200, href
        label = "RSS" if href.endswith(".rss") else "Atom"
        assert title == f"{feedparser.parse(response.content).feed.title}（{label}）"


def test_query_strings_cannot_multiply_cached_copies(client, article_factory):
    # Each distinct URL would be cached separately: anything but a sitemap page number goes.
    article_factory()
    response = client.get("/feeds/latest.rss?utm_source=reader&x=1")
    assert response.status_code == 301 and response["Location"] == "/feeds/latest.rss"
    assert client.get("/feeds/latest.atom?p=2")["Location"] == "/feeds/latest.atom"
    response = client.get("/sitemap-articles.xml?p=1&x=1")
    assert response.status_code == 301 and response["Location"] == "/sitemap-articles.xml?p=1"
    assert client.get("/sitemap-articles.xml?p=1&p=2")["Location"] == "/sitemap-articles.xml?p=2"
    for odd in ["01", "1.0", "-1", "abc", "99"]:
        assert client.get(f"/sitemap-articles.xml?p={odd}").status_code == 404, odd
    assert client.get("/sitemap-articles.xml?p=1").status_code == 200
