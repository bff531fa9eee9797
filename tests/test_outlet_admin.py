"""The outlet and feed admin: names, domains, the reuse policy's review, merging, adding a feed,
polling now against a real feed server, pausing."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from newsdesk.articles.models import Article
from newsdesk.ingest import fetch
from newsdesk.pipeline.tasks import poll_sources
from newsdesk.sources import recognize
from newsdesk.sources.models import Outlet, OutletAlias, Source
from tests.httpserver import send
from tests.ingest_inputs import html_page

pytestmark = pytest.mark.django_db

OUTLETS = reverse("admin:sources_outlet_changelist")
FEEDS = reverse("admin:sources_source_changelist")


def action(client, url, name, objects, **extra):
    data = {"action": name, ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects], **extra}
    return client.post(url, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_outlet_list_shows_names_domains_policy_and_articles(admin_client, article_factory):
    bbc = recognize.outlet_for(urls=["https://www.bbc.co.uk/news/world-asia-0000"])
    article_factory(outlet=bbc)
    page = admin_client.get(OUTLETS).content.decode()
    row = re.search(r"<tr[^>]*>.*?BBC News.*?</tr>", page, re.S).group(0)
    assert ">BBC</a>" in row and "bbc.com、bbc.co.uk、bbci.co.uk" in row
    assert "要約と抜粋" in row and 'alt="False"' in row  # not reviewed
    assert re.search(r'class="field-article_count">1<', row)
    change = admin_client.get(reverse("admin:sources_outlet_change", args=[bbc.pk])).content.decode()
    assert "feeds.bbci.co.uk" in change and "媒体台帳" in change


def test_changing_the_policy_marks_it_reviewed(admin_client):
    bbc = recognize.outlet_for(urls=["https://www.bbc.com/news/a"])
    url = reverse("admin:sources_outlet_change", args=[bbc.pk])
    data = {
        "name": bbc.name, "name_en": bbc.name_en, "language": bbc.language, "domain": bbc.domain,
        "reuse_policy": "link", "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    bbc.refresh_from_db()
    assert bbc.reuse_policy == "link" and bbc.policy_reviewed


def test_editors_add_an_outlet(admin_client):
    data = {
        "name": "港湾ウィークリー", "name_en": "Harbor Weekly", "language": "en",
        "domain": "harbor-weekly.example", "reuse_policy": "summary",
        "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0",
        "aliases-0-kind": "domain", "aliases-0-value": "www.harborweekly.example",
        "sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0",
    }  # fmt: skip
    assert admin_client.post(reverse("admin:sources_outlet_add"), data).status_code == 302
    outlet = Outlet.objects.get(name="港湾ウィークリー")
    assert outlet.aliases.get().value == "harborweekly.example"
    assert recognize.outlet_for(urls=["https://news.harborweekly.example/a"]) == outlet


def test_merging_outlets_in_the_admin(admin_client, article_factory, outlet_factory):
    keep = outlet_factory("harbor-times.example", name="ハーバー・タイムズ")
    other = outlet_factory("harbortimes.example", name="Harbor Times")
    article = article_factory(outlet=other)
    feed = Source.objects.create(outlet=other, url="https://harbortimes.example/feed.xml")
    confirm = action(admin_client, OUTLETS, "merge_outlets", [keep, other])
    page = confirm.content.decode()
    assert "残す媒体を選んでください" in page and 'name="keep"' in page
    done = action(admin_client, OUTLETS, "merge_outlets", [keep, other], post="yes", keep=str(keep.pk))
    assert any("まとめました" in m for m in messages_of(done))
    article.refresh_from_db()
    feed.refresh_from_db()
    assert article.outlet == keep and feed.outlet == keep
    assert not Outlet.objects.filter(pk=other.pk).exists()
    assert OutletAlias.objects.get(kind="domain", value="harbortimes.example").outlet == keep
    # A later article from the merged-away domain lands on the outlet kept.
    from newsdesk.ingest import service

    stored = service.ingest_bytes(
        html_page(url="https://harbortimes.example/news/later", site="Harbor Times").encode(),
        kind="file",
        location="later.html",
        stages=["extract"],
    )
    assert stored.article.outlet == keep


def test_merging_needs_two_outlets(admin_client, outlet_factory):
    one = outlet_factory("one.example")
    response = action(admin_client, OUTLETS, "merge_outlets", [one])
    assert "2つ以上" in " ".join(messages_of(response))


# -- feeds -----------------------------------------------------------------------------------------


def test_adding_a_feed_finds_its_outlet_from_the_address(admin_client):
    add = reverse("admin:sources_source_add")
    data = {"url": "https://feeds.bbci.co.uk/japanese/rss.xml", "outlet": "", "is_feed": "on", "active": "on"}
    assert admin_client.post(add, data).status_code == 302
    feed = Source.objects.get()
    assert feed.outlet.name == "BBCニュース日本語版" and feed.outlet.registry_key == "bbc-japanese"
    unknown = {**data, "url": "https://unknown-outlet.example/feed.xml"}
    response = admin_client.post(add, unknown)
    assert response.status_code == 200 and "媒体を選んでください" in response.content.decode()


@pytest.fixture
def feed_server(server, settings):
    """A feed of two entries (ETag, then 304) whose pages are articles of Harbor Times."""
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_ALLOW_PRIVATE": True}
    fetch.clear_robots_cache()
    items = "".join(f"<item><title>{n}</title><link>{server.base}/story/{n}</link></item>" for n in (1, 2))
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode()
    )

    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            send(handler, 304)
        else:
            send(handler, 200, body, Content_Type="application/rss+xml", ETag='"v1"')

    def story(n):
        paragraphs = [
            f"Sample story {n} for newsdesk tests: a ferry route will resume next month, its operator said."
        ]
        paragraphs.append(f"Story {n} is invented; the outlet, people and events are fictional samples.")
        html = html_page(
            title=f"Sample story {n}", paragraphs=paragraphs, url=f"https://harbor-times.example/{n}"
        )
        return lambda handler: send(handler, 200, html.encode(), Content_Type="text/html; charset=utf-8")

    server.routes.update({"/feed.xml": feed, "/story/1": story(1), "/story/2": story(2)})
    return server


def test_poll_now_records_the_result_on_the_feed(admin_client, feed_server, outlet_factory):
    outlet = outlet_factory("harbor-times.example", name="ハーバー・タイムズ")
    add = reverse("admin:sources_source_add")
    data = {"url": f"{feed_server.base}/feed.xml", "outlet": str(outlet.pk), "is_feed": "on", "active": "on"}
    assert admin_client.post(add, data).status_code == 302
    feed = Source.objects.get()
    assert "未取得" in admin_client.get(FEEDS).content.decode()

    response = action(admin_client, FEEDS, "poll_now", [feed])
    assert "新着2件を取り込みに回しました" in " ".join(messages_of(response))
    feed.refresh_from_db()
    assert (feed.last_result, feed.last_found, feed.last_new, feed.last_error) == ("new", 2, 2, "")
    assert Article.objects.filter(outlet=outlet).count() == 2  # the queue runs in-process in tests
    listing = admin_client.get(FEEDS).content.decode()
    assert "新着2件（2件中）" in listing
    local = feed.last_polled_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    # Japan time, short in the list and whole on hover.
    assert (
        f'title="{local.year}年{local.month}月{local.day}日 {local:%H:%M}">{local.month}/{local.day} {local:%H:%M}<'
        in listing
    )

    action(admin_client, FEEDS, "poll_now", [feed])  # the server answers 304 now
    assert "変更なし" in admin_client.get(FEEDS).content.decode()

    feed.url = f"{feed_server.base}/missing.xml"
    feed.save()
    response = action(admin_client, FEEDS, "poll_now", [feed])
    assert any("404" in m for m in messages_of(response))
    feed.refresh_from_db()
    assert feed.last_result == "error" and "404" in feed.last_error
    assert "エラー" in admin_client.get(FEEDS).content.decode()


def test_a_paused_feed_is_not_polled(admin_client, feed_server, outlet_factory):
    feed = Source.objects.create(
        outlet=outlet_factory("harbor-times.example"), url=f"{feed_server.base}/feed.xml"
    )
    response = action(admin_client, FEEDS, "deactivate", [feed])
    assert "一時停止しました" in " ".join(messages_of(response))
    feed.refresh_from_db()
    assert not feed.active
    poll_sources()  # the periodic task
    response = action(admin_client, FEEDS, "poll_now", [feed])
    assert "一時停止中の1件は取得していません" in " ".join(messages_of(response))
    assert feed_server.requests == [] and Article.objects.count() == 0
    action(admin_client, FEEDS, "activate", [feed])
    poll_sources()
    feed.refresh_from_db()
    assert feed.active and feed.last_result == "new" and Article.objects.count() == 2
