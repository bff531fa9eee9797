"""Freshness: date-only originals, the original's date beside ours, 「YYYY年M月の記事」, the news
sitemap and feeds dated by the original, and the lead under the headline and in listings."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.management import call_command
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.japanese.dates import JST, jst_midnight
from newsdesk.site import freshness
from newsdesk.stories.models import Story, StoryMembership
from tests.ingest_inputs import EN_PARAGRAPHS, html_page
from tests.test_exchange import empty_database

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SEPT_16 = jst_midnight(dt.date(2023, 9, 16))


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def short(moment: dt.datetime) -> str:
    """How a listing writes a time of this year: 「12月4日 15:30」."""
    local = moment.astimezone(JST)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def ingest(tmp_path, name: str, text: str) -> Article:
    (tmp_path / name).write_text(text, encoding="utf-8")
    call_command("ingest", str(tmp_path / name), stdout=io.StringIO(), stderr=io.StringIO())
    return Article.objects.get()


@pytest.fixture
def old_op_ed(article_factory):
    """A 2023 op-ed known only by its day, published by us a minute ago."""
    return article_factory(
        title="2023年の論説",
        published_at=SEPT_16,
        published_date_only=True,
        site_published_at=timezone.now() - dt.timedelta(minutes=1),
    )


# Date-only originals


def test_a_pasted_page_with_only_a_date_is_stored_date_only(tmp_path, db):
    text = "\n\n".join(
        [
            "Ferry link to resume after four years",
            "A ferry link between Shimonoseki and Busan will resume next month.",
            "Jane Doe\nHarbor Times\nSeptember 16, 2023",
            *EN_PARAGRAPHS,
            "harbor-times.example",
        ]
    )
    article = ingest(tmp_path, "en.txt", text + "\n")
    assert article.published_date_only
    assert article.published_at == SEPT_16  # the day written, kept as 0:00 JST
    assert article.published_day == dt.date(2023, 9, 16)


def test_an_html_page_with_only_a_date_is_stored_date_only(tmp_path, db):
    html = html_page().replace("2025-03-12T09:15:00+09:00", "2023-09-16").replace("/2025/03/12/", "/")
    article = ingest(tmp_path, "en.html", html)
    assert (article.published_at, article.published_date_only) == (SEPT_16, True)


def test_a_date_with_a_time_is_not_date_only(tmp_path, db):
    article = ingest(tmp_path, "en.html", html_page())
    assert article.published_at == dt.datetime(2025, 3, 12, 9, 15, tzinfo=JST)
    assert not article.published_date_only and article.published_day is None


def test_a_date_only_original_reads_as_its_day_in_a_zone_east_of_japan(db):
    """Midnight in Auckland is the day before in Japan: the day written is what is kept."""
    from newsdesk.ingest.document import ExtractedArticle
    from newsdesk.ingest.service import _original_time

    auckland = dt.timezone(dt.timedelta(hours=12))
    extracted = ExtractedArticle(
        shape="html",
        title="t",
        paragraphs=["p"],
        published_at=dt.datetime(2023, 9, 16, tzinfo=auckland),
        published_date_only=True,
    )
    assert _original_time(extracted) == SEPT_16


def test_a_date_only_original_is_shown_as_its_day(client, old_op_ed):
    article_page = page(client, old_op_ed.get_absolute_url())
    assert '原文 <time class="source-published" datetime="2023-09-16">2023年9月16日</time>' in article_page
    assert "00:00" not in article_page
    listing = page(client, "/")
    assert '原文 <time class="source-published" datetime="2023-09-16">2023年9月16日</time>' in listing
    assert "2023年9月16日 00:00" not in listing


def test_json_ld_gives_the_original_day_as_a_date(client, old_op_ed):
    data = json.loads(SCRIPT.findall(page(client, old_op_ed.get_absolute_url()))[0])
    assert data["isBasedOn"]["datePublished"] == "2023-09-16"
    # Ours stays a time.
    assert data["datePublished"] == old_op_ed.site_published_at.astimezone(JST).isoformat(timespec="seconds")


def test_export_writes_the_day_and_import_reads_it_back(tmp_path, old_op_ed, article_factory):
    timed = article_factory(published_at=dt.datetime(2024, 6, 23, 16, 6, tzinfo=dt.UTC))
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    records = {
        r["id"]: r
        for r in map(json.loads, target.read_text(encoding="utf-8").splitlines())
        if r["type"] == "article"
    }
    assert records[old_op_ed.pk]["published_at"] == "2023-09-16"
    assert records[timed.pk]["published_at"] == "2024-06-23T16:06:00+00:00"  # as before
    assert "published_date_only" not in records[old_op_ed.pk]

    empty_database()
    call_command("import", str(target), stdout=io.StringIO())
    restored = Article.objects.get(pk=old_op_ed.pk)
    assert (restored.published_at, restored.published_date_only) == (SEPT_16, True)
    again = Article.objects.get(pk=timed.pk)
    assert (again.published_at, again.published_date_only) == (timed.published_at, False)


# The original's date beside ours, and the label of an old original


def test_an_old_original_published_today_shows_both_dates_and_its_label(
    client, old_op_ed, article_factory, outlet_factory
):
    ours = short(old_op_ed.site_published_at)
    article_page = page(client, old_op_ed.get_absolute_url())
    dateline = re.search(r'<p class="dateline">(.*?)</p>', article_page, re.S).group(1)
    assert '<span class="stale-label">2023年9月の記事</span>' in dateline
    assert "原文 " in dateline and "2023年9月16日" in dateline
    assert "掲載 " in dateline and old_op_ed.site_published_at.astimezone(JST).strftime("%H:%M") in dateline
    # Under the headline, before the summary.
    assert article_page.index('class="dateline"') < article_page.index('class="summary"')

    listing = page(client, "/")
    meta = re.search(r'2023年の論説</a></h2>\s*<p class="item-meta">(.*?)</p>', listing, re.S).group(1)
    assert "2023年9月の記事" in meta and "2023年9月16日" in meta
    assert '掲載 <time class="site-published"' in meta and f">{ours}</time>" in meta  # this year: no year
    assert old_op_ed.outlet.get_absolute_url() in meta

    outlet_page = page(client, old_op_ed.outlet.get_absolute_url())
    assert "2023年9月の記事" in outlet_page and f">{ours}</time>" in outlet_page


def test_a_two_day_old_original_has_no_label(client, article_factory):
    now = timezone.now()
    recent = article_factory(
        title="二日前の原文", published_at=now - dt.timedelta(days=2), site_published_at=now
    )
    assert freshness.stale_label(recent) == ""
    listing = page(client, "/")
    assert "の記事</span>" not in listing
    assert "stale-label" not in page(client, recent.get_absolute_url())


def test_the_label_counts_calendar_days_in_japan_against_the_setting(article_factory, settings):
    ours = dt.datetime(2026, 12, 4, 6, 30, tzinfo=dt.UTC)  # 15:30 JST
    eight = article_factory(
        published_at=dt.datetime(2026, 11, 26, 14, 59, tzinfo=dt.UTC), site_published_at=ours
    )
    seven = article_factory(
        published_at=dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC), site_published_at=ours
    )
    unknown = article_factory(published_at=None, site_published_at=ours)
    assert freshness.stale_label(eight) == "2026年11月の記事"  # 26日 23:59 JST: 8 days before
    assert freshness.stale_label(seven) == ""  # 27日 00:00 JST: 7 days
    assert freshness.stale_label(unknown) == ""
    settings.NEWSDESK = {**settings.NEWSDESK, "STALE_DAYS": 30}
    assert freshness.stale_label(eight) == ""


def test_an_article_without_an_original_date_shows_ours_alone(client, article_factory):
    article = article_factory(title="日付のない原文", published_at=None)
    listing = page(client, "/")
    meta = re.search(r'日付のない原文</a></h2>\s*<p class="item-meta">(.*?)</p>', listing, re.S).group(1)
    assert "原文" not in meta and "掲載 <time" in meta
    dateline = re.search(r'<p class="dateline">(.*?)</p>', page(client, article.get_absolute_url()), re.S)
    assert "原文" not in dateline.group(1) and "掲載" in dateline.group(1)


def test_story_and_search_listings_show_both_dates(client, old_op_ed, article_factory):
    other = article_factory(outlet="other.example", published_at=timezone.now() - dt.timedelta(hours=3))
    story = Story.objects.create(title="論説の話", first_seen=SEPT_16, last_seen=timezone.now())
    for article in (old_op_ed, other):
        StoryMembership.objects.create(story=story, article=article)
    story_page = page(client, story.get_absolute_url())
    assert "2023年9月の記事" in story_page and "2023年9月16日" in story_page
    assert story_page.count('class="date-ours"') == 2

    Article.objects.filter(pk=old_op_ed.pk).update(translation=["論説の本文、港湾の再開について。"])
    Article.objects.get(pk=old_op_ed.pk).save()  # re-indexed
    results = page(client, "/search/?q=港湾の再開")
    assert "2023年9月の記事" in results and "原文 <time" in results and "掲載 <time" in results


# The news sitemap and feeds


def test_the_news_sitemap_lists_todays_news_not_an_old_original_published_today(
    client, old_op_ed, article_factory
):
    now = timezone.now()
    fresh = article_factory(
        published_at=now - dt.timedelta(hours=5), site_published_at=now - dt.timedelta(hours=1)
    )
    unknown = article_factory(published_at=None, site_published_at=now - dt.timedelta(hours=2))
    yesterday = article_factory(
        published_at=jst_midnight((now - dt.timedelta(days=1)).astimezone(JST).date()),
        published_date_only=True,
        site_published_at=now - dt.timedelta(hours=3),
    )
    three_days = article_factory(published_at=now - dt.timedelta(days=3), site_published_at=now)
    root = ET.fromstring(client.get("/news-sitemap.xml").content)
    listed = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    listed_ids = {int(loc.rstrip("/").rsplit("/", 1)[1]) for loc in listed}
    assert listed_ids == {fresh.pk, unknown.pk, yesterday.pk}
    assert old_op_ed.pk not in listed_ids and three_days.pk not in listed_ids


def test_feed_items_are_dated_by_the_original_and_updated_by_us(client, old_op_ed):
    old_op_ed.refresh_from_db()
    atom = ET.fromstring(client.get("/feeds/latest.atom").content).find(f"{ATOM}entry")
    assert atom.findtext(f"{ATOM}published") == "2023-09-16T00:00:00+09:00"
    assert atom.findtext(f"{ATOM}updated") == timezone.localtime(old_op_ed.updated_at).isoformat()
    rss = client.get("/feeds/latest.rss").content
    item = ET.fromstring(rss).find("channel/item")
    assert item.findtext("pubDate") == "Sat, 16 Sep 2023 00:00:00 +0900"
    assert feedparser.parse(rss).entries[0].published_parsed[:3] == (2023, 9, 15)  # in UTC


# The lead


def test_the_lead_sits_under_the_headline_and_is_the_listing_excerpt(client, article_factory):
    article = article_factory(
        title="リードのある記事",
        lead="The ferry returns.",
        lead_ja="下関と釜山を結ぶフェリーが4年ぶりに戻ってくる。",
        summary=["要約の一つ目。", "要約の二つ目。"],
    )
    article_page = page(client, article.get_absolute_url())
    assert (
        '<h1 class="headline">リードのある記事</h1>\n'
        '  <p class="standfirst">下関と釜山を結ぶフェリーが4年ぶりに戻ってくる。</p>' in article_page
    )
    assert "The ferry returns." not in article_page
    listing = page(client, "/")
    assert '<p class="item-excerpt">下関と釜山を結ぶフェリーが4年ぶりに戻ってくる。</p>' in listing
    assert "要約の一つ目。" not in listing


def test_without_a_lead_the_listing_shows_the_first_bullet(client, article_factory):
    untranslated = article_factory(title="訳のないリード", lead="An English lead.", summary=["最初の要約。"])
    listing = page(client, "/")
    assert '<p class="item-excerpt">最初の要約。</p>' in listing and "An English lead." not in listing
    assert 'class="standfirst"' not in page(client, untranslated.get_absolute_url())


def test_a_japanese_articles_lead_is_its_own_and_long_leads_are_cut(client, article_factory):
    lead = "日本語の記事のリード。" * 20
    article = article_factory(title="日本語の記事", language="ja", lead=lead, lead_ja="", translation=[])
    assert f'<p class="standfirst">{lead}</p>' in page(client, article.get_absolute_url())
    excerpt = re.search(r'<p class="item-excerpt">(.*?)</p>', page(client, "/")).group(1)
    assert len(excerpt) == 120 and excerpt.endswith("…") and lead.startswith(excerpt[:-1])
