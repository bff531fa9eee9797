"""Reader pages are the same bytes for every anonymous reader, public to any cache, with validators:
no cookie, no Vary: Cookie, 304s; editors' and flash-message requests get private pages. Through
the whole middleware stack (Django's test client); newsdesk's own page cache is in test_page_cache.py.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from newsdesk.entities.models import Entity, Kind, Mention
from newsdesk.site import caching
from newsdesk.stories.models import Story, Storyline, StoryMembership
from newsdesk.tags.models import ArticleTag, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_site(article_factory):
    """One of everything a reader page shows: articles in a story of a storyline, naming an
    entity, under a tag, with a comment."""
    first = article_factory(title="港湾協定の見出し")
    second = article_factory(title="続報の見出し")
    now = timezone.now()
    line = Storyline.objects.create(title="港湾の物語", first_seen=now, last_seen=now, story_count=2)
    story = Story.objects.create(title="港湾協定", first_seen=now, last_seen=now, storyline=line)
    sequel = Story.objects.create(title="港湾協定の発効", first_seen=now, last_seen=now, storyline=line)
    StoryMembership.objects.create(story=sequel, article=article_factory(title="発効の見出し"))
    entity = Entity.objects.create(name="東海連邦", kind=Kind.COUNTRY, slug="tokai-federation")
    tag = Tag.objects.create(name="港湾", slug="port", keywords="港湾")
    for article in (first, second):
        StoryMembership.objects.create(story=story, article=article)
        Mention.objects.create(article=article, entity=entity)
        ArticleTag.objects.create(article=article, tag=tag)
    Client().post(f"/articles/{first.pk}/comments", {"body": "最初のコメント"})
    return {"article": first, "story": story, "storyline": line, "entity": entity, "tag": tag}


def reader_urls(site) -> list[str]:
    article, story = site["article"], site["story"]
    pages = [
        "/",
        "/popular/",
        "/recommended/",
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?sort=new",
        "/outlets/example.com/",
        "/stories/",
        story.get_absolute_url(),
        "/storylines/",
        site["storyline"].get_absolute_url(),
        site["entity"].get_absolute_url(),
        "/tags/",
        site["tag"].get_absolute_url(),
        "/search/?q=港湾",
    ]
    feeds = [
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/feeds/popular.rss",
        "/feeds/recommended.atom",
        "/feeds/outlets/example.com.rss",
        "/feeds/stories.rss",
        f"/feeds/stories/{story.pk}.atom",
        "/feeds/storylines.rss",
        f"/feeds/storylines/{site['storyline'].pk}.atom",
        "/feeds/tags/port.rss",
        "/feeds/entities/tokai-federation.atom",
        reverse("comments:feed", args=[article.pk]),
    ]
    return pages + feeds


def readers() -> list[Client]:
    """Two readers who share nothing: other addresses, browsers and languages."""
    return [
        Client(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0"),
        Client(
            REMOTE_ADDR="2001:db8::9", HTTP_USER_AGENT="Mozilla/5.0 Chrome/126.0", HTTP_ACCEPT_LANGUAGE="en"
        ),
    ]


def test_every_reader_page_is_the_same_public_bytes_for_every_anonymous_reader(reader_site, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_MAX_AGE": 5, "PAGE_SHARED_MAX_AGE": 120}
    for url in reader_urls(reader_site):
        first, second = (reader.get(url) for reader in readers())
        for response in (first, second):
            assert response.status_code == 200, url
            assert not response.cookies and not response.has_header("Set-Cookie"), url
            assert "cookie" not in response.get("Vary", "").lower(), url
            directives = {d.strip() for d in response["Cache-Control"].split(",")}
            assert directives == {"public", "max-age=5", "s-maxage=120"}, url
            assert response.has_header("Last-Modified"), url
        assert first.content == second.content, url
        assert first["ETag"] == second["ETag"], url
        assert b"csrfmiddlewaretoken" not in first.content, url


def test_a_reader_holding_the_page_gets_a_304(reader_site):
    url = reader_site["article"].get_absolute_url()
    reader = Client()
    page = reader.get(url)
    again = reader.get(url, HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == page["ETag"] and "public" in again["Cache-Control"]
    assert reader.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    feed = reader.get("/feeds/latest.atom")
    assert reader.get("/feeds/latest.atom", HTTP_IF_NONE_MATCH=feed["ETag"]).status_code == 304


def test_a_change_gives_the_page_a_new_etag(reader_site):
    article = reader_site["article"]
    page = Client().get(article.get_absolute_url())
    article.title = "差し替えた見出し"
    article.save()
    changed = Client().get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"])
    assert changed.status_code == 200 and "差し替えた見出し" in changed.content.decode()


def private(response) -> bool:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


def test_an_editor_signed_in_gets_a_private_page(reader_site, admin_client):
    response = admin_client.get(reader_site["article"].get_absolute_url())
    assert response.status_code == 200 and private(response)
    assert not response.has_header("ETag")


def test_a_flash_message_makes_its_page_private(reader_site, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "SPAM_THRESHOLD": 0.0}  # every post is held
    article = reader_site["article"]
    reader = Client()
    posted = reader.post(f"/articles/{article.pk}/comments", {"body": "確認待ちになる投稿"})
    assert posted.status_code == 302 and "messages" in reader.cookies
    page = reader.get(article.get_absolute_url())
    assert "確認後に表示されます" in page.content.decode() and private(page)
    after = reader.get(article.get_absolute_url())  # shown once: the cookie is gone
    assert "確認後に表示されます" not in after.content.decode() and not private(after)


def test_a_page_that_sets_a_cookie_is_never_public():
    # As a template that used {% csrf_token %} again would: the answer is one reader's.
    @caching.reader_page()
    def page_with_token(request):
        return HttpResponse(get_token(request))

    stack = caching.ReaderPageMiddleware(CsrfViewMiddleware(page_with_token))
    response = stack(RequestFactory().get("/"))
    assert response.cookies and private(response)
    assert not getattr(response, caching.PAGE_CACHE_ATTRIBUTE)


# The plain forms (no JavaScript) on a page without a token: the Origin is checked.


def test_a_form_post_from_this_site_works_without_a_token(reader_site):
    article = reader_site["article"]
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        f"/articles/{article.pk}/comments", {"body": "同じサイトから"}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302
    assert "同じサイトから" in browser.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
        {"HTTP_REFERER": "https://evil.example/articles/1/"},
        {},
    ],
)
def test_a_form_post_from_elsewhere_is_refused_with_a_clear_page(reader_site, headers):
    article = reader_site["article"]
    response = Client(enforce_csrf_checks=True).post(
        f"/articles/{article.pk}/comments", {"body": "よそから"}, **headers
    )
    assert response.status_code == 403
    assert "送信を受け付けられません" in response.content.decode()
    assert "よそから" not in Client().get(article.get_absolute_url()).content.decode()


def test_trusted_origins_are_accepted(reader_site, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://news.example.jp", "https://*.example.net"]
    article = reader_site["article"]
    browser = Client(enforce_csrf_checks=True)
    url = f"/articles/{article.pk}/comments"
    for origin in ("https://news.example.jp", "https://m.example.net"):
        assert browser.post(url, {"body": f"{origin}から"}, HTTP_ORIGIN=origin).status_code == 302
    assert browser.post(url, {"body": "http"}, HTTP_ORIGIN="http://m.example.net").status_code == 403
