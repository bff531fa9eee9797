"""Cached reader pages in a real Chromium, served by the site's own WSGI application (the page
cache in front of Django) on a real server: the page is the same copy for every reader and sets no
cookie, yet the comment form works with JavaScript (the JSON API, no token) and without it (the
browser's Origin), each post shows at once, and the page's script counts the view."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.db import connections
from django.test.testcases import LiveServerThread

from newsdesk.handlers import application_with_api
from newsdesk.site import pageviews
from tests.browser import BROWSER_MARKS

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]

# Headless Chromium names itself in its User-Agent, which is not counted as a reader.
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)


@pytest.fixture
def site_server(transactional_db):
    """The server's own application (newsdesk.handlers) on a threaded server, as live_server runs
    Django's test handler; the in-memory SQLite test database is shared with its threads."""
    shared = {}
    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            connection.inc_thread_sharing()
            shared[connection.alias] = connection
    thread = LiveServerThread("localhost", lambda django_handler: application_with_api(), shared)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


@pytest.fixture
def article(article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_RATE_THREAD": "100/60", "SPAM_THRESHOLD": 2.0}
    return article_factory(title="港湾協定が物流を変える")


def reader(browser, *, javascript=True):
    return browser.new_context(java_script_enabled=javascript, user_agent=READER_AGENT, locale="ja-JP")


def bodies(page) -> list[str]:
    return page.locator(".comment-list .comment-body").all_inner_texts()


def views(article) -> int | None:
    deadline = time.monotonic() + 5
    while (counted := cache.get(pageviews.counter_key(article.pk))) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return counted


def test_the_cached_page_posts_with_javascript_and_counts_the_view(site_server, article, chromium):
    url = f"{site_server}{article.get_absolute_url()}"
    first, second = reader(chromium), reader(chromium)
    try:
        page = first.new_page()
        response = page.goto(url)
        assert "public" in response.headers["cache-control"] and "set-cookie" not in response.headers
        assert views(article) == 1
        other = second.new_page()
        assert other.goto(url).body() == response.body()  # the stored copy
        page.fill("#id_body", "スクリプトからの投稿")
        page.click(".comment-form button[type=submit]")
        page.wait_for_selector(".comment-new")
        assert bodies(page) == ["スクリプトからの投稿"]
        other.goto(url)  # a new copy, with the post
        assert bodies(other) == ["スクリプトからの投稿"]
        assert first.cookies() == [] and second.cookies() == []
    finally:
        first.close()
        second.close()


def test_the_cached_page_posts_without_javascript(site_server, article, chromium):
    url = f"{site_server}{article.get_absolute_url()}"
    context = reader(chromium, javascript=False)
    try:
        page = context.new_page()
        page.goto(url)
        page.goto(url)  # now from the page cache
        page.fill("#id_body", "フォームからの投稿")
        page.click(".comment-form button[type=submit]")
        page.wait_for_url("**#c1")
        assert bodies(page) == ["フォームからの投稿"]
        assert context.cookies() == []
    finally:
        context.close()
