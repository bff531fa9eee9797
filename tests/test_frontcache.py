"""Purging a cache in front of the site (newsdesk/site/frontcache.py, purge.py) against a local HTTP
server standing in for nginx's purge location: what is recorded, what each change purges and when,
and that a cache in front that fails never fails the change."""

from __future__ import annotations

import logging
import time

import pytest
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.test import Client

from newsdesk.comments.posting import post_comment
from newsdesk.editorial.models import Correction
from newsdesk.site import frontcache, versions
from newsdesk.site.pagecache import PageCache
from newsdesk.site.purge import NginxPurge, PurgeError
from tests.httpserver import send
from tests.processes import free_port
from tests.test_page_cache import HOST, call

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = f"http://{HOST}/entities/%E9%87%91%E6%AD%A3%E6%81%A9/?page=2"


@pytest.fixture
def purged(server, settings, monkeypatch):
    """The site set to purge through ``server``, which records each purge as it comes."""
    settings.NEWSDESK = {
        **settings.NEWSDESK,
        "FRONTEND_CACHE_BACKEND": "newsdesk.site.purge.NginxPurge",
        "FRONTEND_CACHE_PURGE_URL": f"{server.base}/purge",
    }
    monkeypatch.setattr(frontcache, "AGAIN_AFTER", 0.2)
    yield server
    wait_for(lambda: not frontcache.LATER.running)  # no purge of this test reaches the next one's


def purges(server) -> list[str]:
    """The paths purged, each asked with the page's host."""
    assert all(headers["host"] == HOST for _, headers in server.requests)
    return server.paths()


def wait_for(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def warm(purged, app, *urls: str) -> None:
    """Reads ``urls`` once, moves the version, and forgets those purges: a first render computes
    the rankings, which moves the version (newsdesk/site/rankings.py) as a worker's refresh would."""
    for url in urls:
        call(app, url)
    versions.bump()
    wait_for(lambda: not frontcache.LATER.running)
    purged.requests.clear()


def test_the_nginx_backend_asks_the_purge_location_with_the_pages_host(server):
    server.routes["/purge/broken/"] = lambda handler: send(handler, 500)
    backend = NginxPurge(f"{server.base}/purge")
    backend.purge(PAGE)  # 404 from the server: nginx held no copy, which is no failure
    assert server.requests[-1][0] == "/purge/entities/%E9%87%91%E6%AD%A3%E6%81%A9/?page=2"
    assert server.requests[-1][1]["host"] == HOST
    with pytest.raises(PurgeError, match="HTTP 500"):
        backend.purge(f"http://{HOST}/broken/")
    with pytest.raises(PurgeError):
        NginxPurge(f"http://127.0.0.1:{free_port()}/purge").purge(PAGE)


def test_the_address_is_the_one_nginx_keys(settings):
    environ = {"HTTP_HOST": "News.Example.JP:8080", "PATH_INFO": "/entities/金/".encode().decode("latin-1")}
    environ |= {"QUERY_STRING": "page=2", "wsgi.url_scheme": "http"}
    assert frontcache.page_url(environ) == "http://news.example.jp/entities/%E9%87%91/?page=2"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    environ |= {"HTTP_X_FORWARDED_PROTO": "https", "QUERY_STRING": ""}
    assert frontcache.page_url(environ) == "https://news.example.jp/entities/%E9%87%91/"


def test_each_change_purges_every_page_answered_since_the_last_twice(purged, article):
    app = PageCache(get_wsgi_application())
    story_less = article.get_absolute_url()
    warm(purged, app, "/", story_less)
    for url in ("/", story_less, "/?utm_source=portal", "/"):  # the query variant is public too
        assert call(app, url)["status"] == 200
    assert call(app, "/admin/")["status"] == 302  # not a public page: never recorded
    version = versions.current()
    assert sorted(frontcache.recorded(cache, version)) == sorted(
        f"http://{HOST}{url}" for url in ("/", story_less, "/?utm_source=portal")
    )
    Correction.objects.create(article=article, kind=Correction.Kind.CORRECTION, note="訂正")
    once = ["/purge/", f"/purge{story_less}", "/purge/?utm_source=portal"]
    assert purges(purged) == once  # before the change's save returned
    wait_for(lambda: not frontcache.LATER.running)
    assert purges(purged) == once + once
    assert frontcache.recorded(cache, version) == []  # forgotten after the second pass
    call(app, "/")
    Correction.objects.create(article=article, kind=Correction.Kind.CORRECTION, note="再訂正")
    assert purges(purged)[6:] == ["/purge/"]  # only what was answered since


def test_a_page_rendered_across_a_change_is_purged_after_it(purged, article):
    old = versions.current()
    versions.bump()
    wait_for(lambda: not frontcache.LATER.running)  # both passes done: nothing was answered
    assert purges(purged) == []
    # A render that read the old version before the change records its page after both passes:
    response = Client().get("/")
    environ = {"HTTP_HOST": HOST, "PATH_INFO": "/", "QUERY_STRING": "", "wsgi.url_scheme": "http"}
    frontcache.record(cache, environ, {versions.VERSION_KEY: old}, response)
    assert purges(purged) == []
    wait_for(lambda: purges(purged) == ["/purge/"])


def test_a_comment_purges_only_the_pages_that_show_comments(purged, article):
    app = PageCache(get_wsgi_application())
    page, feed = article.get_absolute_url(), f"/articles/{article.pk}/comments.atom"
    warm(purged, app, "/", page, feed, "/popular/")
    for url in ("/", page, feed, "/popular/"):
        assert call(app, url)["status"] == 200
    post_comment(article, name="", body="読者の声", address="198.51.100.7")
    wait_for(lambda: not frontcache.LATER.running)
    # Twice each (at once and after the races): the thread's pages, then the comment counts'.
    assert sorted(purges(purged)) == sorted(2 * [f"/purge{page}", f"/purge{feed}", "/purge/popular/"])


def test_records_are_capped(purged, settings, article):
    settings.NEWSDESK = {**settings.NEWSDESK, "FRONTEND_CACHE_MAX_URLS": 2}
    app = PageCache(get_wsgi_application())
    warm(purged, app, "/")
    for url in ("/", "/?utm_source=a", "/?utm_source=b", "/"):
        assert call(app, url)["status"] == 200
    recorded = frontcache.recorded(cache, versions.current())
    assert recorded == [f"http://{HOST}/", f"http://{HOST}/?utm_source=a"]


def test_a_cache_in_front_that_is_down_does_not_fail_the_change(purged, settings, article, caplog):
    settings.NEWSDESK = {**settings.NEWSDESK, "FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{free_port()}/p"}
    app = PageCache(get_wsgi_application())
    warm(purged, app, "/", article.get_absolute_url())
    call(app, "/")
    call(app, article.get_absolute_url())
    with caplog.at_level(logging.WARNING, logger="newsdesk.site.frontcache"):
        Correction.objects.create(article=article, kind=Correction.Kind.CORRECTION, note="訂正")
    assert Correction.objects.filter(note="訂正").exists()
    assert "purge failed (2 left to expire by s-maxage)" in caplog.text


def test_the_system_check_names_what_is_missing(settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FRONTEND_CACHE_BACKEND": "newsdesk.site.purge.NginxPurge"}
    assert [problem.id for problem in frontcache.check_frontend_cache(None)] == ["newsdesk.site.E001"]
    settings.NEWSDESK = {**settings.NEWSDESK, "FRONTEND_CACHE_PURGE_URL": "http://127.0.0.1:8081/purge"}
    assert frontcache.check_frontend_cache(None) == []
    settings.NEWSDESK = {**settings.NEWSDESK, "PAGE_CACHE_SECONDS": 0}
    assert [problem.id for problem in frontcache.check_frontend_cache(None)] == ["newsdesk.site.W001"]


def test_reader_pages_vary_on_nothing(client, article):
    """One copy per page in a cache in front: nginx keeps a copy per value of each Vary header,
    and a purge removes only one of them."""
    for url in ("/", article.get_absolute_url(), "/feeds/latest.rss"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.status_code == 200 and "Vary" not in response, url
