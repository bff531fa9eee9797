"""/sitemap.xml (an index of sections), the Google News sitemap and /robots.txt."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.entities.models import Entity, Kind, Mention
from newsdesk.site.sitemaps import ArticleSitemap
from newsdesk.sources.models import Outlet
from newsdesk.stories.models import Story, StoryMembership

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
HOSTILE = 'ソウル & 東京 </script><script>alert(1)</script> "速報"'


def site(path: str) -> str:
    return settings.NEWSDESK["SITE_URL"] + path


def xml(client, url: str, **headers) -> ET.Element:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def sections(client, **headers) -> dict[str, str]:
    """Each sitemap the index lists, by its address, with the lastmod the index gives it."""
    index = xml(client, "/sitemap.xml", **headers)
    assert index.tag == f"{SITEMAP}sitemapindex"
    return {
        entry.findtext(f"{SITEMAP}loc"): entry.findtext(f"{SITEMAP}lastmod")
        for entry in index.iter(f"{SITEMAP}sitemap")
    }


def urls(client, location: str) -> dict[str, str]:
    address = urlsplit(location)
    root = xml(client, address.path + (f"?{address.query}" if address.query else ""))
    assert root.tag == f"{SITEMAP}urlset"
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")
    }


@pytest.fixture
def published_site(article_factory):
    article = article_factory(
        title="北朝鮮、ロシアに砲弾を追加供与か",
        site_published_at=dt.datetime(2024, 6, 24, 0, 30, tzinfo=dt.UTC),
    )
    draft = article_factory(status="review")
    # A newer article the reader cannot see yet must not date the pages that will list it.
    scheduled = article_factory(site_published_at=timezone.now() + dt.timedelta(days=1))
    story = Story.objects.create(title="砲弾", first_seen=timezone.now(), last_seen=timezone.now())
    hidden_story = Story.objects.create(title="未公開", first_seen=timezone.now(), last_seen=timezone.now())
    StoryMembership.objects.create(story=story, article=article)
    StoryMembership.objects.create(story=story, article=scheduled)
    # A story is listed once it has two published articles.
    earlier = article_factory(site_published_at=dt.datetime(2024, 6, 23, tzinfo=dt.UTC))
    StoryMembership.objects.create(story=story, article=earlier)
    StoryMembership.objects.create(story=hidden_story, article=draft)
    federation = Entity.objects.create(name="東海連邦", kind=Kind.COUNTRY, slug="tokai-federation")
    unmentioned = Entity.objects.create(name="架空港湾公社", kind=Kind.ORGANISATION)
    for other in (article, draft, scheduled):
        Mention.objects.create(article=other, entity=federation)
    Mention.objects.create(article=draft, entity=unmentioned)
    nameless = Outlet.objects.create(name="半島ウィークリー", domain="")
    article_factory(outlet=nameless, url="", site_published_at=dt.datetime(2024, 6, 20, tzinfo=dt.UTC))
    return {
        "article": article,
        "draft": draft,
        "scheduled": scheduled,
        "story": story,
        "hidden_story": hidden_story,
        "federation": federation,
        "unmentioned": unmentioned,
        "nameless": nameless,
    }


def test_sitemap_index_and_sections_list_every_public_page(client, published_site):
    article, federation, story = (
        published_site["article"],
        published_site["federation"],
        published_site["story"],
    )
    listed = sections(client)
    assert set(listed) == {
        site(f"/sitemap-{section}.xml")
        for section in ("pages", "articles", "stories", "storylines", "entities", "outlets", "tags")
    }
    everything = {}
    for location in listed:
        everything |= urls(client, location)

    assert all(location.startswith(site("/")) for location in everything)
    article.refresh_from_db()
    assert everything[site(article.get_absolute_url())] == timezone.localtime(article.updated_at).isoformat(
        timespec="seconds"
    )
    assert everything[site(article.get_absolute_url())].endswith("+09:00")
    assert site(published_site["draft"].get_absolute_url()) not in everything
    assert site(published_site["scheduled"].get_absolute_url()) not in everything
    # Listing pages changed last when their newest visible article appeared.
    assert everything[site(story.get_absolute_url())] == "2024-06-24T09:30:00+09:00"
    assert everything[site(federation.get_absolute_url())] == "2024-06-24T09:30:00+09:00"
    assert everything[site("/outlets/example.com/")] == "2024-06-24T09:30:00+09:00"
    assert site(f"/outlets/by-id/{published_site['nameless'].pk}/") in everything
    assert site(published_site["hidden_story"].get_absolute_url()) not in everything
    assert site(published_site["unmentioned"].get_absolute_url()) not in everything
    assert {
        site("/"),
        site("/popular/"),
        site("/recommended/"),
        site("/stories/"),
        site("/storylines/"),
    } <= set(everything)
    assert listed[site("/sitemap-outlets.xml")] == "2024-06-24T09:30:00+09:00"


def test_addresses_come_from_site_url_not_the_request(client, article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "SITE_URL": "https://kj.example.jp"}
    article = article_factory()
    listed = sections(client, HTTP_HOST="localhost")
    assert all(location.startswith("https://kj.example.jp/sitemap-") for location in listed)
    assert "https://kj.example.jp" + article.get_absolute_url() in urls(client, "/sitemap-articles.xml")


def test_a_long_section_is_split_into_pages(client, article_factory, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [article_factory() for _ in range(3)]
    pages = [location for location in sections(client) if "articles" in location]
    assert pages == [site("/sitemap-articles.xml"), site("/sitemap-articles.xml?p=2")]
    by_page = [set(urls(client, location)) for location in pages]
    assert by_page == [
        {site(a.get_absolute_url()) for a in articles[:2]},
        {site(articles[2].get_absolute_url())},
    ]
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap_lists_the_last_two_days(client, article_factory):
    now = timezone.now().replace(microsecond=0)
    recent = article_factory(title=HOSTILE, site_published_at=now - dt.timedelta(hours=1))
    yesterday = article_factory(site_published_at=now - dt.timedelta(hours=30))
    old = article_factory(site_published_at=now - dt.timedelta(days=3))
    draft = article_factory(status="review")
    scheduled = article_factory(site_published_at=now + dt.timedelta(hours=1))

    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    assert b"<script>" not in response.content
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    entries = root.findall(f"{SITEMAP}url")
    assert [url.findtext(f"{SITEMAP}loc") for url in entries] == [
        site(recent.get_absolute_url()),
        site(yesterday.get_absolute_url()),
    ]
    news = entries[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "KJ 東アジア+"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "ja"
    published = news.findtext(f"{NEWS}publication_date")
    assert published.endswith("+09:00")
    assert dt.datetime.fromisoformat(published) == recent.site_published_at
    assert news.findtext(f"{NEWS}title") == HOSTILE
    listed = {url.findtext(f"{SITEMAP}loc") for url in entries}
    assert not listed & {site(a.get_absolute_url()) for a in (old, draft, scheduled)}


def test_news_sitemap_stops_at_a_thousand_newest(client, outlet_factory):
    outlet = outlet_factory("example.com")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            outlet=outlet,
            original_title=f"Bulk {n}",
            title=f"一括{n}",
            url=f"https://example.com/bulk/{n}",
            content_hash=f"bulk-{n}",
            status=Article.Status.PUBLISHED,
            site_published_at=now - dt.timedelta(minutes=n + 1),
        )
        for n in range(1001)
    )
    root = ET.fromstring(client.get("/news-sitemap.xml").content)
    titles = [url.findtext(f"{NEWS}news/{NEWS}title") for url in root.iter(f"{SITEMAP}url")]
    assert titles == [f"一括{n}" for n in range(1000)]


def test_robots_txt_keeps_crawlers_out_of_admin_and_api_and_names_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:4] == ["User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /api/"]
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {site('/sitemap.xml')}",
        f"Sitemap: {site('/news-sitemap.xml')}",
    ]
