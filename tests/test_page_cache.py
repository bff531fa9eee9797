"""newsdesk's own page cache (newsdesk/site/pagecache.py) in front of the real site, called as the
server calls it: pages come from the shared cache without reaching Django, every kind of change
shows at once in every process, and a crowd on a cold page renders it once.

"Two processes" are two page caches, each with its own client of the one shared cache (two
connections to the disk cache's SQLite files; two connection pools to Redis, when
NEWSDESK_TEST_REDIS_URL is set), as two web processes have: nothing but the cache is shared.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
import redis
from django.core.cache import caches
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.utils import timezone

from newsdesk import conf
from newsdesk.articles.models import Article
from newsdesk.comments import moderation
from newsdesk.comments.models import Comment
from newsdesk.comments.posting import post_comment
from newsdesk.editorial.models import Correction
from newsdesk.settings import cache_config
from newsdesk.site import versions
from newsdesk.site.pagecache import PageCache
from newsdesk.site.tasks import flush_views
from newsdesk.stories.models import Story, StoryMembership
from tests.wsgi_call import HOST
from tests.wsgi_call import call as wsgi_call

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = conf.get("NEWSDESK_TEST_REDIS_URL")
ORIGIN = f"http://{HOST}"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def call(app, url: str, method: str = "GET", form: dict | None = None, **headers) -> dict:
    body = urlencode(form or {}).encode()
    content_type = "application/x-www-form-urlencoded" if form is not None else ""
    return wsgi_call(app, url, method, body, content_type, **headers)


class Renders:
    """Django's handler, counting the requests that reach it (each one a render)."""

    def __init__(self, delay: float = 0.0):
        self.handler = get_wsgi_application()
        self.delay = delay
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        time.sleep(self.delay)  # a slow render, so that a crowd arrives during it
        return self.handler(environ, start_response)


@pytest.fixture
def site(article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_RATE_THREAD": "100/60", "COMMENT_RATE_SITE": "100/60"}
    article = article_factory(title="港湾協定の見出し")
    quiet = article_factory(title="静かな記事の見出し")
    now = timezone.now()
    story = Story.objects.create(title="港湾の話", first_seen=now, last_seen=now)
    StoryMembership.objects.create(story=story, article=article)  # quiet stands alone in 特に人気
    post_comment(article, name="", body="消されるコメント", address="198.51.100.1")
    draft = article_factory(status="review", title="公開を待つ見出し")
    return {"article": article, "quiet": quiet, "story": story, "draft": draft}


@pytest.fixture(params=["disk", "redis"])
def processes(request, settings):
    """Two web processes' page caches in front of one counted Django, sharing only the cache."""
    prefix = f"newsdesk-test-{uuid.uuid4().hex}"
    if request.param == "redis":
        if not REDIS_URL:
            pytest.skip("NEWSDESK_TEST_REDIS_URL is not set")
        settings.CACHES = {"default": {**cache_config(REDIS_URL), "KEY_PREFIX": prefix}}
    renders = Renders()
    yield [PageCache(renders, store=caches.create_connection("default")) for _ in range(2)], renders
    if request.param == "redis":
        client = redis.Redis.from_url(REDIS_URL)
        if keys := list(client.scan_iter(f"{prefix}:*")):
            client.delete(*keys)


# Each change: (make it, the page that shows it, text that must appear, text that must go).
def publish(site, app):
    draft = site["draft"]
    draft.publish()
    return lambda: draft.save(), "/", "公開を待つ見出し", None


def edit(site, app):
    article = site["article"]
    article.title = "書き直した見出し"
    return lambda: article.save(), article.get_absolute_url(), "書き直した見出し", None


def correction(site, app):
    article, note = site["article"], "数字を訂正しました"

    def correct():
        Correction.objects.create(article=article, kind=Correction.Kind.CORRECTION, note=note)

    return correct, article.get_absolute_url(), note, None


def comment(site, app):
    article = site["article"]

    def post():  # the form without JavaScript, through the server
        answer = call(
            app, f"/articles/{article.pk}/comments", "POST", {"body": "新しいコメント"}, HTTP_ORIGIN=ORIGIN
        )
        assert answer["status"] == 302

    return post, article.get_absolute_url(), "新しいコメント", None


def moderate(site, app):
    comments = Comment.objects.filter(article=site["article"])
    return lambda: moderation.hide(comments), site["article"].get_absolute_url(), None, "消されるコメント"


def story(site, app):
    story = site["story"]
    story.title = "改めた題の話"
    return lambda: story.save(), story.get_absolute_url(), "改めた題の話", None


def ranking(site, app):
    quiet = site["quiet"]

    def read_and_refresh():  # a reader's view, then the worker's flush, which ranks again
        view = call(
            app, f"/articles/{quiet.pk}/view", "POST", {}, HTTP_ORIGIN=ORIGIN, HTTP_USER_AGENT=BROWSER
        )
        assert view["status"] == 204
        flush_views.call_local()

    return read_and_refresh, "/popular/", "静かな記事の見出し", None


def withdraw(site, app):  # an instance read afresh, as the admin reads it
    article = Article.objects.get(pk=site["article"].pk)
    article.status = Article.Status.REJECTED
    return lambda: article.save(), "/", None, "港湾協定の見出し"


def send_back(site, app):  # the very instance that was saved published
    quiet = site["quiet"]
    quiet.status = Article.Status.REVIEW
    return lambda: quiet.save(update_fields=["status"]), "/", None, "静かな記事の見出し"


CHANGES = [publish, edit, correction, comment, moderate, story, ranking, withdraw, send_back]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_every_change_shows_at_once_in_every_process(site, processes, change):
    (first, second), renders = processes
    make_change, url, appears, disappears = change(site, first)
    before = call(first, url)
    assert before["status"] == 200 and "public" in before["headers"]["cache-control"]
    assert call(second, url)["body"] == before["body"]
    assert appears is None or appears not in before["text"]
    assert disappears is None or disappears in before["text"]
    make_change()
    for process in (second, first):
        after = call(process, url)
        assert after["status"] == 200
        assert appears is None or appears in after["text"]
        assert disappears is None or disappears not in after["text"]


def test_a_stored_page_is_answered_without_django(site, processes):
    (first, second), renders = processes
    url = site["article"].get_absolute_url()
    page = call(first, url)
    assert renders.count == 1
    for process in (first, second, first):
        again = call(process, url)
        assert (again["status"], again["headers"], again["body"]) == (200, page["headers"], page["body"])
    headers = page["headers"]
    assert "set-cookie" not in headers and "cookie" not in headers.get("vary", "").lower()
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    head = call(second, url, "HEAD")
    assert head["status"] == 200 and head["body"] == b"" and head["headers"] == headers
    etag, last_modified = headers["etag"], headers["last-modified"]
    for conditional in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": last_modified}):
        held = call(second, url, **conditional)
        assert held["status"] == 304 and held["body"] == b"" and held["headers"]["etag"] == etag
    assert call(second, url, HTTP_IF_NONE_MATCH='"other"')["status"] == 200
    assert renders.count == 1


def test_an_unchanged_page_keeps_its_last_modified_after_a_change_elsewhere(site, processes):
    (first, _), renders = processes
    url = site["story"].get_absolute_url()
    page = call(first, url)
    time.sleep(1.1)  # HTTP dates are whole seconds
    site["draft"].publish()
    site["draft"].save()  # on the front page, not on this story's
    again = call(first, url, HTTP_IF_MODIFIED_SINCE=page["headers"]["last-modified"])
    assert renders.count == 2 and again["status"] == 304


def test_a_crowd_on_a_cold_page_renders_it_once(site):
    renders = Renders(delay=0.3)
    app = PageCache(renders)
    url = site["article"].get_absolute_url()

    def read(_):
        try:
            return call(app, url)
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(read, range(8)))
    assert renders.count == 1
    assert {answer["status"] for answer in answers} == {200}
    assert len({answer["body"] for answer in answers}) == 1


def test_a_page_rendered_while_the_site_changes_is_not_kept(site):
    article = site["article"]

    class ChangingDuringTheRender(Renders):
        def __call__(self, environ, start_response):
            response = super().__call__(environ, start_response)
            if self.count == 1:  # committed after the render read the article
                article.title = "描画中に変わった見出し"
                article.save()
            return response

    renders = ChangingDuringTheRender()
    app = PageCache(renders)
    assert "港湾協定の見出し" in call(app, article.get_absolute_url())["text"]
    assert "描画中に変わった見出し" in call(app, article.get_absolute_url())["text"]
    assert renders.count == 2


def test_editors_flash_messages_and_unknown_parameters_bypass_it(site):
    renders = Renders()
    app = PageCache(renders)
    url = site["article"].get_absolute_url()
    call(app, url)
    call(app, url)
    assert renders.count == 1
    editor = call(app, url, HTTP_COOKIE="sessionid=abc")
    flash = call(app, url, HTTP_COOKIE="messages=abc")
    assert renders.count == 3
    for personal in (editor, flash):
        assert "private" in personal["headers"]["cache-control"] and "etag" not in personal["headers"]
    for query in ("?utm_source=portal", "?utm_source=portal"):  # served, never stored
        tracked = call(app, url + query)
        assert "public" in tracked["headers"]["cache-control"]
    assert renders.count == 5
    call(app, url + "?sort=new")
    call(app, url + "?sort=new")  # what the page reads: stored
    assert renders.count == 6


def test_a_scheduled_article_appears_when_its_time_comes(article_factory):
    app = PageCache(Renders())
    article_factory(title="予約した見出し", site_published_at=timezone.now() + dt.timedelta(seconds=1.5))
    assert "予約した見出し" not in call(app, "/")["text"]
    assert "予約した見出し" not in call(app, "/")["text"]
    time.sleep(1.6)
    assert "予約した見出し" in call(app, "/")["text"]


def test_a_comment_renders_again_only_the_pages_that_show_comments(site, processes):
    """Posters must not empty the cache for readers (bench/cluster.py): a comment moves its
    thread's number and the comment counts', not the site's."""
    (first, second), renders = processes
    article, quiet = site["article"], site["quiet"]
    unaffected = ["/", quiet.get_absolute_url(), site["story"].get_absolute_url(), "/feeds/latest.atom"]
    showing = [article.get_absolute_url(), f"/articles/{article.pk}/comments.atom", "/popular/"]
    for _ in range(2):  # the first render of a ranking ranks, which moves the site's number
        for url in unaffected + showing:
            assert call(first, url)["status"] == 200
    settled = renders.count
    for url in unaffected + showing:
        call(second, url)
    assert renders.count == settled
    posted = call(
        first, f"/articles/{article.pk}/comments", "POST", {"body": "読者の新しい声"}, HTTP_ORIGIN=ORIGIN
    )
    assert posted["status"] == 302
    for url in unaffected:
        assert "読者の新しい声" not in call(second, url)["text"]
    assert renders.count == settled + 1  # the redirect's answer; nothing else rendered
    assert "読者の新しい声" in call(second, showing[0])["text"]
    assert "読者の新しい声" in call(second, showing[1])["text"]
    assert "コメント 2件" in call(second, "/popular/")["text"]
    assert renders.count == settled + 4


def test_asking_for_any_article_leaves_no_number_behind(site, processes):
    """A path names an article: a thread's number is made by its first comment, never by a read
    (a crawler asking for every id would otherwise fill the cache with numbers kept for good)."""
    (first, _), renders = processes
    quiet = site["quiet"]
    store = first.store
    assert call(first, quiet.get_absolute_url())["status"] == 200
    assert call(first, "/articles/987654/")["status"] == 404
    assert store.get(versions.thread_key(quiet.pk)) is None
    assert store.get(versions.thread_key(987654)) is None
    post_comment(quiet, name="", body="最初のコメント", address="198.51.100.9")
    assert store.get(versions.thread_key(quiet.pk)) is not None
    assert "最初のコメント" in call(first, quiet.get_absolute_url())["text"]


def test_a_hit_reads_only_the_numbers_from_the_shared_cache(site, processes):
    """Each process keeps a copy of the pages it answered: a hit reads the small numbers it is
    kept under, not the page, from the shared cache; with the disk cache, not even them while the
    machine's count of moves says none has moved (versions.moves). A change still shows at once."""
    (first, second), renders = processes
    url = site["article"].get_absolute_url()
    page = call(first, url)
    asked: list[list[str]] = []
    get_many = first.store.get_many
    first.store.get_many = lambda keys: asked.append(list(keys)) or get_many(keys)
    assert call(first, url)["body"] == page["body"]
    if versions.moves(first.store) is None:
        assert all(key.startswith("pages:") for key in asked[-1])
    else:
        assert asked == []
    site["article"].title = "別のプロセスで直した見出し"
    site["article"].save()
    assert "別のプロセスで直した見出し" in call(first, url)["text"]
    assert asked and all(key.startswith("pages:") for key in asked[0])  # the numbers, read again
    assert renders.count == 2
