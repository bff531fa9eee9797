"""extract_html on pages written for these tests (the outlets, people and events are made up)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.ingest.document import IngestError
from newsdesk.ingest.html import extract_html
from newsdesk.ingest.htmlmeta import DateEvidence, choose_date, clean_title, normalise_language, parse_date

JST = timezone(timedelta(hours=9))

EN_BODY = [
    "The two governments agreed on Tuesday to reopen the passenger ferry route between the ports, "
    "four years after the service was suspended during the pandemic.",
    "Officials said the first sailing would leave in the spring, with two round trips a week at "
    "first and daily crossings later in the year if demand allows it.",
    "Port operators on both sides have spent the winter refitting the terminals, replacing the "
    "boarding bridges and hiring customs staff for the new schedule.",
    "Travel agencies reported a rush of early enquiries, most of them from tour groups and students "
    "who used the route before it closed.",
    "The ferry company said fares would stay close to their old level for the first season.",
]
JA_BODY = [
    "下関と釜山を結ぶ旅客フェリーが、来春にも4年ぶりに運航を再開することが分かった。両国の港湾当局が24日、合意した。",
    "運航会社によると、当初は週2往復で始め、需要を見ながら年内に毎日運航へ増やす方針だという。",
    "両港ではこの冬、旅客ターミナルの改修が進められ、乗船橋の交換や税関職員の増員が行われている。",
    "旅行会社には団体旅行や修学旅行の問い合わせが相次いでおり、関係者は地域経済への効果に期待を寄せている。",
    "運賃は初年度、休止前とほぼ同じ水準に据え置かれる見通しだ。",
]


def page(
    *,
    lang: str = "en",
    title: str = "",
    head: str = "",
    body: list[str] = EN_BODY,
    before: str = "",
    jsonld: dict | None = None,
) -> str:
    ld = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}{ld}</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/asia">Asia</a></li></ul></nav></header>
<main><article>{before}{paragraphs}</article></main>
<footer><p>Copyright the publisher. All rights reserved.</p></footer>
</body></html>"""


# --- titles -------------------------------------------------------------------------------------


def test_japanese_outlet_suffix_is_stripped_using_site_name():
    html = page(
        lang="ja",
        title="日韓フェリー航路、4年ぶり再開へ｜朝日新聞デジタル",
        head='<meta property="og:site_name" content="朝日新聞デジタル">',
        body=JA_BODY,
    )
    article = extract_html(html, "https://www.asahi.com/articles/ABC123.html")
    assert article.title == "日韓フェリー航路、4年ぶり再開へ"
    assert article.outlet == "朝日新聞デジタル"
    assert article.language == "ja"
    assert article.shape == "html"


def test_shortened_site_name_after_fullwidth_colon_is_stripped():
    html = page(
        lang="ja",
        head='<meta property="og:title" content="港湾協定、物流を一本化：日本経済新聞">'
        '<meta property="og:site_name" content="日本経済新聞 電子版">',
        body=JA_BODY,
    )
    assert extract_html(html, "https://www.nikkei.com/article/X1/").title == "港湾協定、物流を一本化"


def test_english_prefix_and_suffix_are_stripped_and_legit_hyphen_kept():
    html = page(
        title="BBC News - How worrying is a Russia-Kim Jong Un alliance?",
        head='<meta property="og:site_name" content="BBC News">',
    )
    article = extract_html(html, "https://www.bbc.com/news/world-asia-1")
    assert article.title == "How worrying is a Russia-Kim Jong Un alliance?"
    html = page(
        head='<meta property="og:title" content="How worrying is a Russia-Kim Jong Un alliance? - BBC News">'
    )
    assert extract_html(html, "https://www.bbc.com/news/world-asia-1").title == (
        "How worrying is a Russia-Kim Jong Un alliance?"
    )


def test_suffix_matching_only_the_domain_is_stripped():
    html = page(title="Seoul and Tokyo reopen a ferry route – Asia Times")
    article = extract_html(html, "https://asiatimes.com/2024/06/ferry/")
    assert article.title == "Seoul and Tokyo reopen a ferry route"
    assert article.outlet_domain == "asiatimes.com"


def test_titles_with_dashes_that_are_not_site_names_are_untouched():
    for title in (
        "How worrying is a Russia-Kim Jong Un alliance?",
        "Port deal - what changes for shippers",
        "Seoul–Tokyo talks: a new start?",
    ):
        assert clean_title(title, ["Example Times"], "example.com") == title


# --- dates --------------------------------------------------------------------------------------


def test_jsonld_and_meta_agreeing_beat_a_wrong_time_element_and_url():
    html = page(
        title="Ferry route to reopen",
        head='<meta property="article:published_time" content="2024-06-24T01:06:25+09:00">',
        jsonld={
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "datePublished": "2024-06-24T01:06:25+09:00",
        },
        before='<p class="related">Related: <time datetime="2021-03-02">2 March 2021</time></p>',
    )
    article = extract_html(html, "https://example.com/2019/01/05/ferry")
    assert article.published_at == datetime(2024, 6, 24, 1, 6, 25, tzinfo=JST)
    assert article.published_at.utcoffset() == timedelta(hours=9)


def test_choose_date_outvotes_a_single_wrong_guess_and_keeps_the_precise_value():
    evidence = [
        DateEvidence("trafilatura", datetime(2023, 1, 5), False),
        parse_date("2024-06-23T16:06:25Z", "jsonld"),
        parse_date("2024-06-24T01:06:25+09:00", "meta"),
        DateEvidence("url", datetime(2024, 6, 24), False),
    ]
    chosen = choose_date(evidence, JST)
    assert chosen == datetime(2024, 6, 24, 1, 6, 25, tzinfo=JST)
    assert chosen.utcoffset() == timedelta(hours=9)  # the page's own offset is kept


def test_date_without_zone_on_a_japanese_page_is_jst():
    html = page(
        lang="ja",
        title="日韓フェリー航路、再開へ",
        head='<meta name="pubdate" content="2024-06-24 01:06">',
        body=JA_BODY,
    )
    article = extract_html(html, "https://www.example.jp/news/1")
    assert article.published_at == datetime(2024, 6, 24, 1, 6, tzinfo=JST)
    assert article.published_at.utcoffset() == timedelta(hours=9)


def test_date_without_zone_on_an_english_page_is_utc():
    html = page(title="Ferry route", head='<meta name="pubdate" content="2024-06-24 01:06">')
    article = extract_html(html, "https://example.com/news/1")
    assert article.published_at == datetime(2024, 6, 24, 1, 6, tzinfo=UTC)
    assert article.published_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24 Jun 2024 01:06:25 GMT9", datetime(2024, 6, 24, 1, 6, 25, tzinfo=JST)),
        ("2024年6月24日 01:06", datetime(2024, 6, 24, 1, 6)),
        ("Mon, 24 Jun 2024 01:06:25 GMT", datetime(2024, 6, 24, 1, 6, 25, tzinfo=UTC)),
    ],
)
def test_parse_date_forms(text, expected):
    assert parse_date(text, "meta").value == expected


# --- links, images, captions, people ------------------------------------------------------------


def test_canonical_url_image_made_absolute_and_caption_kept():
    html = page(
        title="Ferry route to reopen | Example Times",
        head='<link rel="canonical" href="https://www.example.com/news/ferry-route-123">'
        '<meta property="og:image" content="/media/2024/ferry-terminal.jpg">'
        '<meta property="og:site_name" content="Example Times">',
        before='<figure><img src="/media/2024/ferry-terminal.jpg" alt="ferry">'
        "<figcaption>A passenger ferry enters the port.\n   (Example Times / file photo)"
        "</figcaption></figure>",
    )
    article = extract_html(html, "https://example.com/news/ferry-route-123?utm_source=feed")
    assert article.url == "https://www.example.com/news/ferry-route-123"
    assert article.outlet_domain == "example.com"
    assert article.image_url == "https://www.example.com/media/2024/ferry-terminal.jpg"
    assert article.caption == "A passenger ferry enters the port. (Example Times / file photo)"
    assert article.title == "Ferry route to reopen"
    assert article.paragraphs[0].startswith("The two governments agreed")


def test_jsonld_author_publisher_image_and_language():
    html = page(
        lang="en-GB",
        title="Ferry route",
        jsonld={
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "NewsMediaOrganization", "@id": "#org", "name": "Harbour Post"},
                {
                    "@type": "NewsArticle",
                    "headline": "Ferry route to reopen after four years",
                    "author": [
                        {"@type": "Person", "name": "Jane Roe"},
                        {"@type": "Person", "name": "Kim Min"},
                    ],
                    "publisher": {"@id": "#org"},
                    "image": {"@type": "ImageObject", "url": "//cdn.harbour.example/ferry.jpg"},
                },
            ],
        },
    )
    article = extract_html(html, "https://harbour.example/ferry")
    assert article.title == "Ferry route to reopen after four years"
    assert article.author == "Jane Roe, Kim Min"
    assert article.outlet == "Harbour Post"
    assert article.image_url == "https://cdn.harbour.example/ferry.jpg"
    assert article.language == "en"


def test_lead_kept_when_distinct_and_dropped_when_it_repeats_the_first_paragraph():
    distinct = page(title="Ferry", head='<meta property="og:description" content="Fares stay low.">')
    assert extract_html(distinct, "https://example.com/a").lead == "Fares stay low."
    repeat = page(title="Ferry", head=f'<meta name="description" content="{EN_BODY[0][:90]}…">')
    assert extract_html(repeat, "https://example.com/a").lead == ""


def test_language_normalisation():
    assert [normalise_language(v) for v in ("ja-JP", "ko_KR", "zh-Hant", "ru", "jpn", "EN")] == [
        "ja",
        "ko",
        "zh",
        "ru",
        "ja",
        "en",
    ]


# --- no article ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        page(title="Example Times", body=["Sign in to continue."]),
        "<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></body></html>",
    ],
)
def test_page_without_article_raises(html):
    with pytest.raises(IngestError) as err:
        extract_html(html, "https://example.com/")
    assert "\n" not in str(err.value) and str(err.value)


def test_standfirst_becomes_the_lead_not_the_first_paragraph():
    body = "".join(
        f"<p>Paragraph {n} of the report on the new rail link between the two ports.</p>" for n in range(4)
    )
    page = f"""<html lang="en"><head><title>Rail link approved | Sample Post</title>
    <meta property="og:description" content="Officials approved the line on Monday."></head>
    <body><article><h1>Rail link approved</h1><h2 class="story__dek">Officials approved the line on Monday.</h2>
    {body}</article></body></html>"""
    extracted = extract_html(page, "https://sample-post.example/rail")
    assert extracted.lead == "Officials approved the line on Monday."
    assert extracted.paragraphs[0].startswith("Paragraph 0")
