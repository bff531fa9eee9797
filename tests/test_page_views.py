"""Counting article page views in the cache and moving them to the database."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from newsdesk.articles.models import Article, ArticleViews
from newsdesk.comments.identity import source_hash
from newsdesk.site import pageviews
from newsdesk.site.tasks import flush_views

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


_readers = itertools.count(1)


def view(client, article, user_agent=BROWSER, **headers):
    """The article page's report of a view (site.js) by a new reader (another address) unless
    REMOTE_ADDR is given."""
    headers.setdefault("REMOTE_ADDR", f"198.51.100.{next(_readers) % 250 + 1}")
    headers.setdefault("HTTP_ORIGIN", "http://testserver")
    response = client.post(f"/articles/{article.pk}/view", HTTP_USER_AGENT=user_agent, **headers)
    assert response.status_code == 204
    assert "no-store" in response["Cache-Control"]
    return response


def stored_views(article) -> dict[dt.date, int]:
    return dict(ArticleViews.objects.filter(article=article).values_list("day", "views"))


def counted(article) -> int | None:
    return cache.get(pageviews.counter_key(article.pk))


def test_a_page_view_counts_once(client, article):
    view(client, article, REMOTE_ADDR="203.0.113.9")
    assert counted(article) == 1
    view(client, article)
    assert counted(article) == 2
    assert ArticleViews.objects.count() == 0  # nothing written to the database on the page


def test_a_source_viewing_again_within_the_hour_counts_once(client, article_factory):
    article, other = article_factory(), article_factory()
    for _ in range(5):  # a script reloading without revalidation headers
        view(client, article, REMOTE_ADDR="203.0.113.9")
    view(client, article, REMOTE_ADDR="2001:db8:1:2::7")
    view(client, article, REMOTE_ADDR="2001:db8:1:2::8")  # the same /64: the same source
    view(client, other, REMOTE_ADDR="203.0.113.9")  # another article is another view
    assert (counted(article), counted(other)) == (2, 1)
    # What recognises the repeat is a keyed hash of the source in the cache, never the address.
    seen = f"views:seen:{article.pk}:{source_hash('203.0.113.9')[:32]}"
    assert cache.get(seen) == 1 and "203.0.113.9" not in seen


@pytest.mark.parametrize(
    "user_agent,headers",
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", {}),
        ("Mozilla/5.0 (compatible; bingbot/2.0)", {}),
        ("Mozilla/5.0 (compatible; Yahoo! Slurp)", {}),
        ("facebookexternalhit/1.1", {}),
        ("curl/8.5.0", {}),
        ("", {}),
        (BROWSER, {"HTTP_CACHE_CONTROL": "max-age=0"}),  # a reload
        (BROWSER, {"HTTP_CACHE_CONTROL": "no-cache", "HTTP_PRAGMA": "no-cache"}),  # a hard reload
        (BROWSER, {"HTTP_SEC_PURPOSE": "prefetch"}),
    ],
)
def test_bots_reloads_and_prefetches_do_not_count(client, article, user_agent, headers):
    view(client, article, user_agent, **headers)
    assert counted(article) is None


def test_the_page_itself_counts_nothing(client, article):
    # It is the same cached copy for every reader: the script on it reports the view.
    page = client.get(f"/articles/{article.pk}/", HTTP_USER_AGENT=BROWSER)
    assert f'data-view-url="/articles/{article.pk}/view"' in page.content.decode()
    assert client.head(f"/articles/{article.pk}/view", HTTP_USER_AGENT=BROWSER).status_code == 405
    assert client.get(f"/articles/{article.pk}/view", HTTP_USER_AGENT=BROWSER).status_code == 405
    assert counted(article) is None


def test_another_site_cannot_count_views(article):
    # Otherwise a busy site could make each of its visitors' browsers view an article here.
    strict = Client(enforce_csrf_checks=True)
    url = f"/articles/{article.pk}/view"
    for headers in ({"HTTP_ORIGIN": "https://evil.example"}, {}):
        assert strict.post(url, HTTP_USER_AGENT=BROWSER, **headers).status_code == 403
    assert counted(article) is None
    assert strict.post(url, HTTP_USER_AGENT=BROWSER, HTTP_ORIGIN="http://testserver").status_code == 204
    assert counted(article) == 1


def test_only_published_articles_of_the_window_count(client, article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "RANKING_DAYS": 3}
    old = article_factory(site_published_at=timezone.now() - dt.timedelta(days=3, minutes=1))
    draft = article_factory(status=Article.Status.REVIEW)
    view(client, old)
    assert client.post(f"/articles/{draft.pk}/view", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert counted(old) is None and counted(draft) is None


def test_flush_moves_counts_to_the_database_once(client, article_factory):
    first, second = article_factory(), article_factory()
    for _ in range(3):
        view(client, first)
    view(client, second)
    assert pageviews.flush() == 4
    today = timezone.localdate()
    assert stored_views(first) == {today: 3}
    assert stored_views(second) == {today: 1}
    assert pageviews.flush() == 0
    assert stored_views(first) == {today: 3}
    view(client, first)
    assert pageviews.flush() == 1
    assert stored_views(first) == {today: 4}


def test_each_day_has_its_own_row(client, article):
    view(client, article)
    now = timezone.now()
    pageviews.flush(now)
    view(client, article)
    view(client, article)
    pageviews.flush(now + dt.timedelta(days=1))
    today = timezone.localdate(now)
    assert stored_views(article) == {today: 1, today + dt.timedelta(days=1): 2}


def test_views_counted_during_a_flush_are_not_lost(client, article, monkeypatch):
    for _ in range(3):
        view(client, article)
    read = pageviews.read_counts

    def read_then_two_more_views(article_ids):
        counts = read(article_ids)
        view(client, article)
        view(client, article)
        return counts

    monkeypatch.setattr(pageviews, "read_counts", read_then_two_more_views)
    assert pageviews.flush() == 3
    assert counted(article) == 2  # the two views after the read wait for the next flush
    monkeypatch.undo()
    assert pageviews.flush() == 2
    assert stored_views(article) == {timezone.localdate(): 5}


def test_a_refused_database_write_puts_the_counts_back(client, article, monkeypatch):
    view(client, article)
    view(client, article)

    def refuse(counts, day):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(pageviews, "_add_to_day", refuse)
    with pytest.raises(DatabaseError):
        pageviews.flush()
    assert counted(article) == 2
    monkeypatch.undo()
    assert pageviews.flush() == 2
    assert stored_views(article) == {timezone.localdate(): 2}


def test_flushes_take_turns(client, article):
    view(client, article)
    cache.add(pageviews.LOCK_KEY, 1)  # another flush is running
    assert pageviews.flush() is None
    with pytest.raises(CommandError, match="別の集計が実行中"):
        call_command("flushviews")
    assert counted(article) == 1
    cache.delete(pageviews.LOCK_KEY)
    out = io.StringIO()
    call_command("flushviews", stdout=out)
    assert "1 件の閲覧" in out.getvalue()
    assert stored_views(article) == {timezone.localdate(): 1}


def test_the_worker_flushes_every_few_minutes(client, article):
    schedule = flush_views.s()
    assert schedule.validate_datetime(dt.datetime(2025, 1, 1, 9, 5))  # NEWSDESK_VIEW_FLUSH_MINUTES=5
    assert not schedule.validate_datetime(dt.datetime(2025, 1, 1, 9, 3))
    view(client, article)
    flush_views.call_local()
    assert stored_views(article) == {timezone.localdate(): 1}
    assert counted(article) == 0
