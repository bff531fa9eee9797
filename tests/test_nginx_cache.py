"""The documented nginx configuration (docs/nginx.conf), run by Debian's nginx with its cache-purge
module in front of `newsdesk serve` on the demo's sample site: anonymous readers are served from
nginx's cache, editors pass by it, and every kind of change shows through nginx on the next
request, purged by newsdesk (newsdesk/site/frontcache.py)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from newsdesk.site import frontcache
from tests import nginx
from tests.processes import free_port, newsdesk_env, wait_for_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not nginx.available() and os.environ.get("CI") != "true",
        reason="nginx and libnginx-mod-http-cache-purge are not installed (on CI this test always runs)",
    ),
]

# Runs each line it reads (JSON: Python source) in a Django set up on the served site, then says
# "ok": changes made as the admin and the worker make them, in a process of their own.
CHANGER = """
import json, sys
import django
django.setup()
for line in sys.stdin:
    exec(json.loads(line), {})
    print("ok", flush=True)
"""


class Site:
    def __init__(self, base: str, changer: subprocess.Popen, password: str) -> None:
        self.base, self.changer, self.password = base, changer, password

    def get(self, path: str, **kwargs) -> httpx.Response:
        response = httpx.get(self.base + path, timeout=10, **kwargs)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def cached(self, path: str) -> httpx.Response:
        """The page, once nginx holds it. A change's second purge (AGAIN_AFTER seconds after it)
        may take the copy after the first read, so it is read until one comes from nginx."""
        deadline = time.monotonic() + frontcache.AGAIN_AFTER + 5
        while (response := self.get(path)).headers["X-Cache-Status"] != "HIT":
            assert time.monotonic() < deadline, path
            time.sleep(0.1)
        return response

    def change(self, code: str) -> None:
        assert self.changer.stdin and self.changer.stdout
        self.changer.stdin.write(json.dumps(code) + "\n")
        self.changer.stdin.flush()
        assert self.changer.stdout.readline() == "ok\n"


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the process and its children: their own group
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("nginx-cache")
    port, purge_port, serve_port = free_port(), free_port(), free_port()
    env = newsdesk_env(
        NEWSDESK_DATA_DIR=str(folder / "data"),
        NEWSDESK_TRUSTED_PROXIES="127.0.0.1",
        NEWSDESK_FRONTEND_CACHE_BACKEND="newsdesk.site.purge.NginxPurge",
        NEWSDESK_FRONTEND_CACHE_PURGE_URL=f"http://127.0.0.1:{purge_port}/purge",
        NEWSDESK_SITE_URL=f"http://127.0.0.1:{port}",
        NEWSDESK_COMMENT_RATE_THREAD="100/60",
        # A ranking computed when a page needs it moves the version (site/rankings.py), which
        # purges: computed once at the start, not again during the run.
        NEWSDESK_RANKING_CACHE_SECONDS="3600",
    )
    demo = subprocess.run(
        [sys.executable, "-m", "newsdesk", "demo", "--no-serve"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    password = re.search(r"パスワード (\S+)", demo.stdout)[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(serve_port), "--workers", "2"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    changer = subprocess.Popen(
        [sys.executable, "-c", CHANGER],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    proxy = None
    try:
        wait_for_server(serve_port, server)
        site = nginx.documented_site(
            port, purge_port, serve_port, folder / "cache", folder / "data" / "static"
        )
        proxy = nginx.start(folder / "nginx", site, port)
        base = f"http://127.0.0.1:{port}"
        for path in ("/", "/stories/", "/popular/", "/recommended/"):  # the rankings, computed now
            httpx.get(base + path, timeout=30)
        time.sleep(frontcache.AGAIN_AFTER + 1)  # and the purges of those moves done
        yield Site(base, changer, password)
    finally:
        if proxy is not None:
            nginx.stop(proxy)
        _stop(changer)
        _stop(server)


def article_path(site: Site) -> str:
    return re.search(r'href="(/articles/\d+/)"', site.get("/").text)[1]


def test_anonymous_readers_share_one_copy_in_nginx(site):
    first = site.get("/")
    assert first.headers["X-Cache-Status"] in ("MISS", "EXPIRED")
    again = site.get("/", headers={"Accept-Language": "en-US,en;q=0.5"})
    assert again.headers["X-Cache-Status"] == "HIT" and again.content == first.content
    assert "vary" not in again.headers and "set-cookie" not in again.headers
    assert "public" in again.headers["Cache-Control"] and "s-maxage" in again.headers["Cache-Control"]
    for path in (article_path(site), re.search(r'href="(/stories/\d+/)"', site.get("/stories/").text)[1]):
        assert site.cached(path).headers["Cache-Control"] == first.headers["Cache-Control"]
    static = httpx.get(f"{site.base}/static/newsdesk/site.css", timeout=10)
    assert static.status_code == 200 and static.headers["Cache-Control"] == "max-age=60"
    assert "X-Cache-Status" not in static.headers  # from the folder, not newsdesk


def test_editors_pass_by_the_cache_and_leave_nothing_in_it(site):
    public = site.cached("/")
    with httpx.Client(base_url=site.base, timeout=10) as editor:
        form = editor.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
        login = editor.post(
            "/admin/login/?next=/admin/",
            data={"username": "editor", "password": site.password, "csrfmiddlewaretoken": token},
        )
        assert login.status_code == 302 and "sessionid" in editor.cookies
        page = editor.get("/")
        assert page.headers["X-Cache-Status"] == "BYPASS"
        assert "private" in page.headers["Cache-Control"]
    after = site.get("/")
    assert after.headers["X-Cache-Status"] == "HIT" and after.content == public.content


def test_readers_are_told_apart_behind_nginx(site):
    """The comment API through nginx: NEWSDESK_TRUSTED_PROXIES makes newsdesk read each poster's
    address from X-Forwarded-For, so two readers get two daily IDs and one reader keeps one."""
    article = article_path(site).split("/")[2]
    tags = []
    for address, body in (
        ("127.0.0.2", "一人目の投稿"),
        ("127.0.0.3", "二人目の投稿"),
        ("127.0.0.2", "一人目の再投稿"),
    ):
        with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10) as client:
            posted = client.post(f"{site.base}/api/articles/{article}/comments", json={"body": body})
        assert posted.status_code == 201, posted.text
        tags.append(posted.json()["id_tag"])
    assert tags[0] == tags[2] != tags[1]


# Each change: what it does (Python, in a process of its own; ARTICLE, the article's id), the page
# that shows it, text that appears, text that goes.
TAKE_DOWN = """
from newsdesk.articles.models import Article
article = Article.objects.get(pk=ARTICLE)
article.status = Article.Status.REVIEW
article.save()
"""
PUBLISH = """
from newsdesk.articles.models import Article
article = Article.objects.get(pk=ARTICLE)
article.publish()
article.save()
"""
EDIT = """
from newsdesk.articles.models import Article
article = Article.objects.get(pk=ARTICLE)
article.title = "ナジンクス越しに書き直した見出し"
article.save()
"""
CORRECT = """
from newsdesk.articles.models import Article
from newsdesk.editorial.models import Correction
Correction.objects.create(article_id=ARTICLE, kind=Correction.Kind.CORRECTION, note="ナジンクス越しの訂正")
"""
HIDE = """
from newsdesk.comments import moderation
from newsdesk.comments.models import Comment
moderation.hide(Comment.objects.filter(body="APIから消される投稿"))
"""
RETITLE_STORY = """
from newsdesk.stories.models import Story
story = Story.objects.get(pk=STORY)
story.title = "ナジンクス越しに改めた題"
story.save()
"""


def test_every_change_shows_through_nginx_at_once(site):
    path = article_path(site)
    article = int(path.split("/")[2])
    story_path = re.search(r'href="(/stories/\d+/)"', site.get(path).text)[1]
    story = int(story_path.split("/")[2])

    def check(code: str | None, post, page: str, appears: str | None, goes: str | None) -> None:
        before = site.cached(page).text
        assert appears is None or appears not in before
        assert goes is None or goes in before
        if code is not None:
            site.change(code.replace("ARTICLE", str(article)).replace("STORY", str(story)))
        if post is not None:
            post()
        after = site.get(page)
        assert appears is None or appears in after.text, (page, after.headers.get("X-Cache-Status"))
        assert goes is None or goes not in after.text, (page, after.headers.get("X-Cache-Status"))

    check(TAKE_DOWN, None, "/", None, f'href="{path}"')
    check(PUBLISH, None, "/", f'href="{path}"', None)
    check(EDIT, None, path, "ナジンクス越しに書き直した見出し", None)
    check(CORRECT, None, path, "ナジンクス越しの訂正", None)

    def form_post():  # the form without JavaScript, through nginx
        posted = httpx.post(
            f"{site.base}{path}comments", data={"body": "フォームからの投稿"}, headers={"Origin": site.base}
        )
        assert posted.status_code == 302

    def api_post():
        posted = httpx.post(
            f"{site.base}/api/articles/{article}/comments", json={"body": "APIから消される投稿"}
        )
        assert posted.status_code == 201

    check(None, form_post, path, "フォームからの投稿", None)
    check(None, api_post, path, "APIから消される投稿", None)
    check(HIDE, None, path, None, "APIから消される投稿")
    check(RETITLE_STORY, None, story_path, "ナジンクス越しに改めた題", None)
