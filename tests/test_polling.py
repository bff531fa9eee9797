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
