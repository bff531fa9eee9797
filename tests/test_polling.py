"""Feeds editors register are polled with conditional GET; only unseen entries come back."""

import pytest

from newsdesk.ingest import fetch
from newsdesk.pipeline.polling import poll_due_urls
from newsdesk.sources.models import Outlet, Source
from tests.httpserver import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(server, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_ALLOW_PRIVATE": True}
    fetch.clear_robots_cache()
    items = "".join(f"<item><title>{n}</title><link>{server.base}/story/{n}</link></item>" for n in (1, 2))
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode()
    )

    def answer(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            send(handler, 304)
        else:
            send(handler, 200, body, Content_Type="application/rss+xml", ETag='"v1"')

    server.routes["/feed.xml"] = answer
    outlet = Outlet.objects.create(name="Harbor Times", domain="harbor-times.example")
    return Source.objects.create(outlet=outlet, url=f"{server.base}/feed.xml")


def test_new_entries_then_nothing_when_unchanged(feed, server):
    assert poll_due_urls() == [f"{server.base}/story/1", f"{server.base}/story/2"]
    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.last_polled_at and feed.last_error == ""
    assert poll_due_urls() == []  # 304 Not Modified
    assert server.requests[-1][1]["if-none-match"] == '"v1"'


def test_failures_are_recorded_on_the_source(feed, server):
    feed.url = f"{server.base}/missing.xml"
    feed.save()
    assert poll_due_urls() == []
    feed.refresh_from_db()
    assert "404" in feed.last_error


def test_inactive_sources_are_skipped(feed, server):
    feed.active = False
    feed.save()
    assert poll_due_urls() == [] and server.requests == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>', "フィードの XML が壊れている"),
        (b"<!DOCTYPE html><html><body><p>a page</p></body></html>", "フィードではありません"),
    ],
)
def test_a_feed_that_cannot_be_read_is_recorded_as_an_error(feed, server, body, error):
    server.routes["/feed.xml"] = lambda h: send(h, 200, body, Content_Type="text/html")
    assert poll_due_urls() == []
    feed.refresh_from_db()
    assert feed.last_result == Source.Result.ERROR and error in feed.last_error


def test_a_huge_feed_gives_its_entries_a_bounded_number_at_a_time(feed, server, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FEED_MAX_ENTRIES": 2}
    links = [*(f"{server.base}/story/{n}" for n in range(5)), "javascript:alert(1)"]
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    server.routes["/feed.xml"] = lambda h: send(
        h, 200, body.encode(), Content_Type="application/rss+xml", ETag='"v2"'
    )
    assert poll_due_urls() == links[:2]
    feed.refresh_from_db()
    assert feed.last_new == 2 and feed.last_found == 5  # the javascript: link is no entry to take
    assert feed.last_error == "新しい記事 5 件のうち 2 件を取り込みます。残りは次の取得で取り込みます"
    assert feed.etag == ""  # so the next poll reads the feed whole, not "not modified"
