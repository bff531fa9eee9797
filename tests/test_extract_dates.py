"""Publication dates of sample pages: the article's own metadata and date line, never a copyright
year, a modified date, a footer's or a teaser's date, or a 1 January placeholder.

The pages are samples written for these tests (outlets and events invented); their shapes are
those of real sites: date meta tags, JSON-LD, <time> elements, date lines under the headline.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from newsdesk.ingest.html import extract_html
from newsdesk.ingest.htmlmeta import DateEvidence, choose_published, parse_date, url_date
from newsdesk.japanese.dates import JST

EDT = timezone(timedelta(hours=-4))

JA_BODY = "".join(
    f"<p>{p}</p>"
    for p in (
        "見本市の港湾局は、来年春から貨物ターミナルを再編し、コンテナの受け入れ能力を2割増やす計画を発表した。",
        "再編では老朽化した岸壁を改修し、大型船が接岸できるよう水深を深くする。工事は3年かけて段階的に進める。",
        "地元の物流会社からは歓迎する声が上がる一方、工事中の渋滞を心配する意見も出ている。",
    )
)
EN_BODY = "".join(
    f"<p>{p}</p>"
    for p in (
        "The harbour authority said it would rebuild the container terminal over the next three years, "
        "raising its capacity by a fifth as traffic through the port keeps growing.",
        "The work will deepen the berths so that larger ships can call, and will be carried out in stages.",
        "Logistics firms welcomed the plan, though some warned of congestion during the building work.",
    )
)


def sample(
    *,
    head: str = "",
    before: str = "",
    after_h1: str = "",
    footer: str = "",
    jsonld: dict | None = None,
    lang="ja",
) -> str:
    ld = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    body = JA_BODY if lang == "ja" else EN_BODY
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>港湾再編｜見本新聞</title>
{head}{ld}</head><body><header class="site-header"><a href="/">見本新聞</a></header>
<main>{before}<article><h1>港湾ターミナル、来春から再編</h1>{after_h1}{body}</article></main>
<footer>{footer or "<p>© 2022 見本新聞社 All rights reserved.</p>"}</footer></body></html>"""


def published(
    html: str, url: str = "https://www.mihon-shimbun.example/news/a1"
) -> tuple[datetime | None, bool]:
    article = extract_html(html, url)
    return article.published_at, article.published_date_only


def test_dateline_under_the_headline_and_no_copyright_year():
    html = sample(after_h1='<div class="article-date">2024年6月24日 10時30分</div>')
    assert published(html) == (datetime(2024, 6, 24, 10, 30, tzinfo=JST), False)


def test_copyright_year_in_the_footer_is_no_date():
    assert published(sample()) == (None, False)
    html = sample(footer='<p class="copyright-date">Copyright <time datetime="2022">2022</time></p>')
    assert published(html) == (None, False)


def test_date_only_metadata_is_reported_as_date_only():
    html = sample(head='<meta property="article:published_time" content="2024-06-24">')
    value, date_only = published(html)
    assert value == datetime(2024, 6, 24, tzinfo=JST) and date_only
    # a midnight on the dot is how CMSs write a bare date
    html = sample(jsonld={"@type": "NewsArticle", "datePublished": "2024-06-24T00:00:00+09:00"})
    assert published(html) == (datetime(2024, 6, 24, tzinfo=JST), True)
    # a time of day anywhere in the agreeing sources makes it precise
    html = sample(
        jsonld={"@type": "NewsArticle", "datePublished": "2024-06-24T00:00:00+09:00"},
        after_h1='<p class="date">2024年6月24日 15:05</p>',
    )
    assert published(html) == (datetime(2024, 6, 24, 15, 5, tzinfo=JST), False)


def test_first_of_january_placeholder_is_no_date():
    html = sample(
        jsonld={"@type": "NewsArticle", "datePublished": "2022-01-01T00:00:00+09:00"},
        after_h1='<p class="post-date">公開日：2024/06/24</p>',
    )
    assert published(html) == (datetime(2024, 6, 24, tzinfo=JST), True)
    html = sample(jsonld={"@type": "NewsArticle", "datePublished": "2022-01-01T00:00:00+09:00"})
    assert published(html) == (None, False)
    # ... unless another source gives the same day
    html = sample(
        jsonld={"@type": "NewsArticle", "datePublished": "2024-01-01T00:00:00+09:00"},
        after_h1='<p class="date">2024年1月1日</p>',
    )
    assert published(html)[0] == datetime(2024, 1, 1, tzinfo=JST)


def test_a_bare_year_or_month_is_no_date():
    assert parse_date("2023", "meta") is None
    assert parse_date("November 2023", "meta") is None
    html = sample(head='<meta name="date" content="2023">')
    assert published(html) == (None, False)


def test_modified_dates_are_never_the_publication_date():
    html = sample(
        head='<meta property="article:published_time" content="2024-06-24T09:00:00+09:00">'
        '<meta property="article:modified_time" content="2024-06-28T18:00:00+09:00">',
        jsonld={"@type": "NewsArticle", "dateModified": "2024-06-28T18:00:00+09:00"},
        after_h1='<p class="byline">Updated <time datetime="2024-06-28T18:00:00+09:00">6月28日</time></p>',
    )
    assert published(html) == (datetime(2024, 6, 24, 9, 0, tzinfo=JST), False)
    # only a modified date on the page: better than none, as a last resort
    html = sample(after_h1='<p><time class="updated" datetime="2024-06-28T18:00:00+09:00">6月28日</time></p>')
    assert published(html)[0].date() == datetime(2024, 6, 28).date()


def test_published_and_updated_on_one_line():
    html = sample(after_h1='<div class="meta">更新 2024/06/25 10:00　公開 2024/06/24 09:00</div>')
    assert published(html) == (datetime(2024, 6, 24, 9, 0, tzinfo=JST), False)
    html = sample(after_h1='<div class="meta">2024年6月24日 9時00分（2024年6月25日 10時00分更新）</div>')
    assert published(html) == (datetime(2024, 6, 24, 9, 0, tzinfo=JST), False)


def test_teasers_captions_and_footers_do_not_date_the_article():
    teaser = (
        '<ul class="latest"><li><a href="/b2">'
        '<time datetime="2024-07-01T08:00:00+09:00">7月1日</time>別の記事</a></li></ul>'
    )
    quote = '<p class="statement-meta">2023年12月3日の会見で</p>'
    caption = '<figure><img src="/p.jpg"><figcaption class="caption">2019年3月1日撮影</figcaption></figure>'
    html = sample(
        before=teaser + quote,
        after_h1=caption + '<p class="dateline">2024年6月24日 18時00分</p>',
        footer='<p class="footer-date"><time datetime="2024-07-02">7月2日</time></p>',
    )
    assert published(html) == (datetime(2024, 6, 24, 18, 0, tzinfo=JST), False)


def test_time_element_marked_published_even_when_labelled_updated():
    html = sample(
        lang="en",
        after_h1='<span class="timestamp">Updated <time itemprop="datePublished" '
        'datetime="2024-06-24T13:30:00Z">9:30 am EDT, June 24, 2024</time></span>',
    )
    assert published(html, "https://example.com/news/a")[0] == datetime(2024, 6, 24, 13, 30, tzinfo=UTC)


def test_english_and_era_datelines():
    html = sample(
        lang="en",
        after_h1='<p class="article__meta">By Jane Sample on Monday, June 24th, 2024 at 9:30 a.m. EDT</p>',
    )
    assert published(html, "https://example.com/news/a") == (datetime(2024, 6, 24, 9, 30, tzinfo=EDT), False)
    html = sample(after_h1='<p class="date">令和6年6月24日</p>')
    assert published(html) == (datetime(2024, 6, 24, tzinfo=JST), True)


def test_url_dates_with_month_names_and_choose_published():
    assert url_date("https://example.com/world/2024/jun/24/harbour").value == datetime(2024, 6, 24)
    evidence = [
        DateEvidence("jsonld", datetime(2022, 1, 1), False),
        DateEvidence("url", datetime(2024, 6, 24), False),
    ]
    assert choose_published(evidence, UTC) == (datetime(2024, 6, 24, tzinfo=UTC), True)
    assert choose_published([], UTC) == (None, False)
