"""Headlines without site names: sample titles in the shapes real sites give them.

Every title, outlet, domain and person here is invented for these tests (samples). What is copied
from real sites is only the shape: the separators between headline and site name, site-name
suffixes and prefixes, bracketed site names, section names, og:title disagreeing with <title>,
logo and section H1s.
"""

from __future__ import annotations

import json

import pytest

from newsdesk.ingest.headline import (
    TitleSources,
    choose_headline,
    domain_labels,
    is_section,
    is_site,
    strip_chrome,
)
from newsdesk.ingest.html import extract_html

JA_BODY = [
    "見本市の港湾局は24日、来年春から貨物ターミナルを再編し、コンテナの受け入れ能力を2割増やす計画を発表した。",
    "再編では老朽化した岸壁を改修し、大型船が接岸できるよう水深を深くする。工事は3年かけて段階的に進める。",
    "港湾局によると、取扱量はこの5年で1.5倍に増え、ターミナルの混雑が慢性化していた。",
    "地元の物流会社からは歓迎する声が上がる一方、工事中の渋滞を心配する意見も出ている。",
]
EN_BODY = [
    "The harbour authority said on Monday it would rebuild the container terminal over the next three "
    "years, raising its capacity by a fifth as traffic through the port keeps growing.",
    "The work will deepen the berths so that larger ships can call, and will be carried out in stages "
    "to keep the terminal open while it lasts.",
    "Freight volumes through the port have grown by half in five years, and queues of lorries at the "
    "gates have become a daily sight for residents of the harbour district.",
    "Logistics firms welcomed the plan, though some warned of congestion during the building work.",
]


def sample_page(
    *,
    title: str = "",
    og_title: str = "",
    site_name: str = "",
    head: str = "",
    h1: str = "",
    header: str = "",
    jsonld: dict | None = None,
    lang: str = "ja",
    body: list[str] | None = None,
) -> str:
    """A sample article page: head tags as given, a site header (logo), the article with its H1."""
    body = body if body is not None else (JA_BODY if lang == "ja" else EN_BODY)
    metas = "".join(
        f'<meta property="{k}" content="{v}">'
        for k, v in (("og:title", og_title), ("og:site_name", site_name))
        if v
    )
    ld = (
        f'<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script>'
        if jsonld
        else ""
    )
    headline = f"<h1>{h1}</h1>" if h1 else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
{metas}{head}{ld}</head><body>
<header class="site-header">{header}<nav><ul><li><a href="/">トップ</a></li><li><a href="/news/">ニュース</a></li></ul></nav></header>
<main><article>{headline}{paragraphs}</article></main>
<footer><p>Copyright sample publisher. All rights reserved.</p></footer></body></html>"""


def headline_of(html: str, url: str) -> str:
    return extract_html(html, url).title


# --- Japanese title shapes ------------------------------------------------------------------------

JA_CASES = [
    # (<title>, og:title, og:site_name, url, headline)
    # site name with a tail after a full-width pipe: 「…｜〇〇通信 オンライン」
    ("港湾ターミナル、来春から再編｜サンプル通信 オンライン", "", "サンプル通信", "https://www.sample-tsushin.example/a/1", "港湾ターミナル、来春から再編"),
    # 「… - 〇〇 Japan」 known only from the domain
    ("港湾ターミナル、来春から再編 - Samplewire Japan", "", "", "https://jp.samplewire.example/news/2", "港湾ターミナル、来春から再編"),
    # bracketed site name after a pipe: 「… | 〇〇！（〇〇！）」
    ("港湾ターミナル、来春から再編 | みほんナビ！（みほんナビ！）", "", "みほんナビ！", "https://navi.example/a/3", "港湾ターミナル、来春から再編"),
    # an institution after a full-width colon: 「…：独立行政法人 〇〇機構」
    ("港湾ターミナル再編の調査報告：独立行政法人 見本港湾機構", "", "見本港湾機構", "https://www.mihon-kowan.example/r/4", "港湾ターミナル再編の調査報告"),
    # leading site name: 「〇〇 Japan - …」
    ("Samplewire Japan - 港湾ターミナル、来春から再編", "", "Samplewire Japan", "https://jp.samplewire.example/n/5", "港湾ターミナル、来春から再編"),
    # trailing section name: 「… : スポーツ」
    ("見本市の高校、初の全国大会へ : スポーツ", "見本市の高校、初の全国大会へ : スポーツ", "", "https://www.mihon-nippo.example/sports/6", "見本市の高校、初の全国大会へ"),
    # a colon that belongs to the headline stays: 「新型機を比較：さらば旧モデル、次はこれ」
    ("新型機を比較：さらば旧モデル、次はこれ｜見本デジタル", "", "見本デジタル", "https://mihon-digital.example/7", "新型機を比較：さらば旧モデル、次はこれ"),
    # an unspaced double dash belongs to the headline: 「…--今週のニュースまとめ」
    ("AI半導体の需要が急増--今週のニュースまとめ - 見本ジャパン", "", "見本ジャパン", "https://japan.mihon.example/8", "AI半導体の需要が急増--今週のニュースまとめ"),
    # leading bracketed site name: 「【〇〇新聞】…」
    ("【見本新聞】港湾の再編計画まとまる", "", "見本新聞", "https://www.mihon-shimbun.example/9", "港湾の再編計画まとまる"),
    # trailing parenthesised site name: 「…（〇〇新聞）」
    ("港湾の再編計画まとまる（見本新聞）", "", "見本新聞", "https://www.mihon-shimbun.example/10", "港湾の再編計画まとまる"),
    # og:title without the chrome that <title> adds: section and unknown site both go
    ("港湾再編、来春から着工｜地域｜見本日報", "港湾再編、来春から着工", "", "https://mihon-nippo.example/11", "港湾再編、来春から着工"),
    # nothing but the title: a short part after a pipe is the site
    ("港湾再編、来春から着工へ 岸壁を改修 | みほんタイムス", "", "", "https://times.mihon.example/12", "港湾再編、来春から着工へ 岸壁を改修"),
    # leading own site name before a colon
    ("見本新聞デジタル：港湾再編、来春から着工", "", "見本新聞デジタル", "https://digital.mihon-shimbun.example/13", "港湾再編、来春から着工"),
    # ・ inside the headline stays
    ("日韓・日中の首脳会談、来月にも開催へ｜見本通信", "", "見本通信", "https://mihon-tsushin.example/14", "日韓・日中の首脳会談、来月にも開催へ"),
    # full-width slash before the site name
    ("港湾ターミナル、来春から再編／見本ビジネス", "", "見本ビジネス", "https://biz.mihon.example/15", "港湾ターミナル、来春から再編"),
    # a label at the start is the headline's; the broadcaster's shortened name goes
    ("【速報】見本市の倉庫で火災、けが人なし - 見本放送", "", "見本放送NEWS", "https://news.mihon-hoso.example/16", "【速報】見本市の倉庫で火災、けが人なし"),
    # ・ before the site name
    ("港湾ターミナル、来春から再編・見本新報", "", "見本新報", "https://mihon-shimpo.example/17", "港湾ターミナル、来春から再編"),
    # section and site: 「…｜経済｜〇〇」
    ("港湾ターミナル、来春から再編｜経済｜見本新報", "", "見本新報", "https://mihon-shimpo.example/18", "港湾ターミナル、来春から再編"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "og_title", "site_name", "url", "expected"), JA_CASES)
def test_japanese_title_shapes(title, og_title, site_name, url, expected):
    html = sample_page(title=title, og_title=og_title, site_name=site_name)
    assert headline_of(html, url) == expected


def test_application_name_and_jsonld_publisher_name_the_site():
    html = sample_page(
        title="港湾ターミナル、来春から再編 - みほんウェブ",
        head='<meta name="application-name" content="みほんウェブ">',
    )
    assert headline_of(html, "https://mihon-web.example/1") == "港湾ターミナル、来春から再編"
    html = sample_page(
        title="港湾ターミナル、来春から再編 ｜ ミホン経済",
        jsonld={"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "ミホン経済"}},
    )
    assert headline_of(html, "https://keizai.example/1") == "港湾ターミナル、来春から再編"


def test_logo_and_section_h1s_are_not_the_headline():
    logo = '<h1 class="logo"><a href="/">見本新聞</a></h1>'
    html = sample_page(title="港湾の再編計画まとまる｜見本新聞", site_name="見本新聞", header=logo)
    assert headline_of(html, "https://www.mihon-shimbun.example/1") == "港湾の再編計画まとまる"
    html = sample_page(title="港湾の再編計画まとまる｜見本新聞", site_name="見本新聞", h1="スポーツ")
    assert headline_of(html, "https://www.mihon-shimbun.example/2") == "港湾の再編計画まとまる"


def test_h1_wins_over_a_head_title_written_for_search():
    html = sample_page(
        title="港湾再編 計画 2025 来春 着工 岸壁｜見本新聞",
        og_title="港湾再編 計画 2025 来春 着工 岸壁",
        site_name="見本新聞",
        h1="港湾ターミナル、来春から再編へ　受け入れ能力2割増",
    )
    # (spaces squashed: the ideographic space becomes a plain one)
    assert (
        headline_of(html, "https://www.mihon-shimbun.example/3")
        == "港湾ターミナル、来春から再編へ 受け入れ能力2割増"
    )


# --- English title shapes -------------------------------------------------------------------------

EN_CASES = [
    # (<title>, og:title, og:site_name, url, headline)
    ("Harbour terminal to be rebuilt | Example Times", "", "Example Times", "https://www.exampletimes.example/a", "Harbour terminal to be rebuilt"),
    ("Harbour terminal to be rebuilt - Samplenews", "", "", "https://www.samplenews.example/b", "Harbour terminal to be rebuilt"),
    ("Example Wire: Harbour terminal to be rebuilt", "", "Example Wire", "https://examplewire.example/c", "Harbour terminal to be rebuilt"),
    ("Kim and Putin: what the summit means | Example Times", "", "Example Times", "https://www.exampletimes.example/d", "Kim and Putin: what the summit means"),
    ("Opinion | Why the harbour needs a new terminal - The Example Post", "", "", "https://www.examplepost.example/opinion/e", "Why the harbour needs a new terminal"),
    ("Harbour terminal to be rebuilt « Sample Harbour Blog", "", "Sample Harbour Blog", "https://harbourblog.example/f", "Harbour terminal to be rebuilt"),
    ("Harbour terminal to be rebuilt – Harbourlight Productions", "", "", "https://harbourlight.example/g", "Harbour terminal to be rebuilt"),
    ("Harbour terminal to be rebuilt | World | Regional News | Example Herald", "Harbour terminal to be rebuilt", "", "https://exampleherald.example/h", "Harbour terminal to be rebuilt"),
    ("Port deal - what changes for shippers", "", "", "https://www.example.com/i", "Port deal - what changes for shippers"),
    ("The Example Times view on the harbour: a city at a crossroads | Editorial | Example Times", "", "Example Times", "https://www.exampletimes.example/j", "The Example Times view on the harbour: a city at a crossroads"),
    ("Example Gift Guide: what to buy a harbour pilot", "", "", "https://www.example.com/k", "Example Gift Guide: what to buy a harbour pilot"),
    ("Harbour terminal to be rebuilt - Markets - Sample Ledger", "", "", "https://sampleledger.example/markets/l", "Harbour terminal to be rebuilt"),
    ("Harbour terminal to be rebuilt · Sample Review", "", "Sample Review", "https://samplereview.example/m", "Harbour terminal to be rebuilt"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "og_title", "site_name", "url", "expected"), EN_CASES)
def test_english_title_shapes(title, og_title, site_name, url, expected):
    html = sample_page(title=title, og_title=og_title, site_name=site_name, lang="en")
    assert headline_of(html, url) == expected


def test_rewritten_h1_beats_og_title_and_jsonld_entities_are_decoded():
    html = sample_page(
        title="Port to rebuild its terminal - Example Times",
        og_title="Port to rebuild its terminal",
        site_name="Example Times",
        h1="Harbour authority will rebuild the container terminal over three years",
        lang="en",
    )
    assert headline_of(html, "https://www.exampletimes.example/x") == (
        "Harbour authority will rebuild the container terminal over three years"
    )
    html = sample_page(
        title="",
        jsonld={"@type": "NewsArticle", "headline": "&#8216;A new start&#8217; for the harbour"},
        lang="en",
    )
    assert (
        headline_of(html, "https://www.exampletimes.example/y") == "\u2018A new start\u2019 for the harbour"
    )


def test_an_h1_about_something_else_is_not_the_headline():
    teaser = '<article class="teaser"><h1>Why seals come back to the old pier every spring</h1></article>'
    html = (
        sample_page(
            title="Harbour terminal to be rebuilt | Example Times",
            site_name="Example Times",
            lang="en",
            header=teaser,
        )
        .replace('<header class="site-header">', "<div>")
        .replace("</nav></header>", "</nav></div>")
    )
    assert headline_of(html, "https://www.exampletimes.example/z") == "Harbour terminal to be rebuilt"


# --- the rules one by one -------------------------------------------------------------------------


def test_strip_chrome_never_cuts_a_headline_part():
    for title in (
        "Kim and Putin: what the summit means",
        "新型機を比較：さらば旧モデル、次はこれ",
        "AI半導体の需要が急増--今週のニュースまとめ",
        "Seoul–Tokyo talks: a new start?",
        "BREAKING NEWS - Ferry service suspended after storm",
        "Harbour Festival 2024 | A lamp made of light",
    ):
        assert strip_chrome(title, ["Example Times"], "exampletimes.example") == title


def test_agreement_between_sources_marks_chrome():
    assert strip_chrome("港湾再編｜見本日報", others=["港湾再編"]) == "港湾再編"
    # a shorter source does not cut a real part of a headline at a weak separator
    assert strip_chrome("Kim and Putin: what the summit means for the region", others=["Kim and Putin"]) == (
        "Kim and Putin: what the summit means for the region"
    )


def test_site_and_section_recognition():
    assert is_site("Nikkei Asia", [], "asia.nikkei.com")
    assert is_site("The Space Sample", [], "thespacesample.example")
    assert is_site("サンプル通信 オンライン", ["サンプル通信"])
    assert is_site("独立行政法人 見本港湾機構", ["見本港湾機構"])
    assert is_site("みほんナビ！（みほんナビ！）", ["みほんナビ！"])
    assert not is_site("The Example Times view on the harbour", ["Example Times"], "exampletimes.example")
    assert not is_site("Example Poll", ["Example"], "example.com", strict=True)
    assert domain_labels("www.mihon.co.jp") == ["mihon"]
    assert domain_labels("asia.nikkei.com") == ["nikkei", "asia"]
    assert is_section("スポーツ") and is_section("Opinion") and is_section("Markets", "/markets/2024/x")
    assert not is_section("remake-of-an-old-series", "/remake-of-an-old-series/")


def test_choose_headline_without_any_title_is_empty():
    assert choose_headline(TitleSources()) == ""
    assert (
        choose_headline(TitleSources(h1s=["港湾ターミナル、来春から再編へ"]))
        == "港湾ターミナル、来春から再編へ"
    )


MORE_SHAPES = [
    # (title, site names, domain, headline)
    # site name followed by its tagline
    ("港湾ターミナル、来春から再編 | ミホン経済オンライン | 社会を読む経済ニュース", ["ミホン経済オンライン"], "mihon-keizai.example", "港湾ターミナル、来春から再編"),
    ("Harbour terminal to be rebuilt | News | The Example Times | The Harbour City's Paper", ["The Example Times"], "exampletimes.example", "Harbour terminal to be rebuilt"),
    # the page counter of a story split over pages, then the site
    ("港湾ターミナル、来春から再編（1/2ページ） - みほんメディア NEWS", ["みほんメディア NEWS"], "news.mihon-media.example", "港湾ターミナル、来春から再編"),
    # a broadcaster's name with a region tail
    ("港湾ターミナル、来春から再編｜見本放送 港町のニュース", ["見本放送"], "mihon-hoso.example", "港湾ターミナル、来春から再編"),
    # the site's name with its reading in brackets, after an unspaced pipe
    ("港湾ターミナル、来春から再編|58NEWS（ごはちニュース）", ["58NEWS"], "58news.example", "港湾ターミナル、来春から再編"),
    # an agency credit in brackets, then the portal
    ("港湾ターミナル、来春から再編（共同通信） - みほん！ニュース", ["みほん！ニュース"], "news.mihon.example", "港湾ターミナル、来春から再編"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "names", "domain", "expected"), MORE_SHAPES)
def test_more_site_shapes(title, names, domain, expected):
    assert strip_chrome(title, names, domain) == expected


def test_a_short_japanese_h1_label_is_not_taken_for_the_headline():
    sources = TitleSources(
        title="港湾ターミナル、来春から再編｜見本新聞",
        site_names=["見本新聞"],
        h1s=["ニュース一覧"],
        context="見本新聞のニュース。港湾局は来春からターミナルを再編する。",
    )
    assert choose_headline(sources) == "港湾ターミナル、来春から再編"
