"""Outlets: the registry, recognising an article's outlet from its address, page and pasted text,
merging, the migration that adopts existing outlets, and what the public site shows.

The pages below copy the shapes of real outlets' pages (title suffixes, og:site_name, JSON-LD
publisher, masthead lines) with real outlet names and domains; every article text is a sample
written for these tests.
"""

from __future__ import annotations

import json
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from newsdesk.articles.models import Article
from newsdesk.ingest import service
from newsdesk.ingest.models import RawInput
from newsdesk.ingest.plaintext import extract_text
from newsdesk.sources import recognize
from newsdesk.sources.merge import merge
from newsdesk.sources.models import Outlet, OutletAlias, Source
from newsdesk.sources.registry import load, registry

pytestmark = pytest.mark.django_db

SAMPLE_EN = [
    "This is a sample article written for newsdesk tests; the events in it did not happen.",
    "A ferry operator said on Wednesday it would resume a route between two port cities next month.",
    "Officials said the terminal had been renovated and that about 200,000 passengers were expected.",
]
SAMPLE_JA = [
    "これはnewsdeskのテスト用に書いたサンプル記事で、実際の出来事ではありません。",
    "港町を結ぶフェリー航路が来月再開すると、運航会社が水曜日に発表した。",
    "ターミナルは改修を終え、初年度は約20万人の利用を見込むという。",
]


def page(title, *, url="", site="", publisher="", lang="en", paragraphs=None):
    """An article page in the usual shape: <title> with the site's suffix, optional og:site_name,
    canonical and JSON-LD publisher."""
    paragraphs = paragraphs or (SAMPLE_JA if lang == "ja" else SAMPLE_EN)
    head = [f"<title>{title}</title>"]
    if site:
        head.append(f'<meta property="og:site_name" content="{site}">')
    if url:
        head.append(f'<link rel="canonical" href="{url}">')
    if publisher:
        ld = {
            "@type": "NewsArticle",
            "headline": "x",
            "publisher": {"@type": "NewsMediaOrganization", "name": publisher},
        }
        head.append(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{"".join(head)}</head>'
        f"<body><article><h1>Sample</h1>{body}</article></body></html>"
    )


def outlet_of(html_or_text: str, url: str = "") -> Outlet:
    stored = service.ingest_bytes(
        html_or_text.encode(), kind=RawInput.Kind.FILE, location="sample", url=url, stages=["extract"]
    )
    return stored.article.outlet


# -- the registry ----------------------------------------------------------------------------------


def test_the_registry_lists_the_outlets_the_site_follows():
    reg = load()
    assert len(reg.entries) >= 40
    for key in ["bbc", "reuters", "ap", "afp", "bloomberg", "asia-times", "arab-news-japan", "nikkei-asia",
                "japan-times", "nhk-world", "kyodo", "yonhap", "kbs", "korea-herald", "chosun", "joongang",
                "hankyoreh", "kcna", "nk-news", "38-north", "xinhua", "global-times", "scmp", "taipei-times",
                "focus-taiwan", "tass", "ria-novosti", "moscow-times", "guardian", "nyt", "wsj",
                "washington-post", "cnn", "aljazeera", "france24", "dw", "rfa", "voa", "diplomat",
                "foreign-policy"]:  # fmt: skip
        assert reg.get(key) is not None, key
    for entry in reg.entries.values():
        assert entry.ja and entry.en and entry.domains, entry.key
        assert reg.for_name(entry.en) is entry, entry.key  # a masthead's English name finds it again
        for domain in entry.domains:
            host, _, path = domain.partition("/")
            assert reg.for_host(host, path) is entry, domain
    expected = {"reuters": "ロイター", "ap": "AP通信", "afp": "AFP通信", "yonhap": "聯合ニュース",
                "kcna": "朝鮮中央通信", "xinhua": "新華社", "global-times": "環球時報", "tass": "タス通信",
                "dw": "ドイチェ・ヴェレ", "voa": "ボイス・オブ・アメリカ", "nikkei-asia": "日経アジア"}  # fmt: skip
    assert {key: reg.get(key).ja for key in expected} == expected


def test_subdomains_and_path_prefixes_pick_the_edition():
    reg = registry()
    cases = {
        "https://feeds.bbci.co.uk/news/world/asia/rss.xml": "bbc",
        "https://www.bbc.com/japanese/articles/sample": "bbc-japanese",
        "https://www3.nhk.or.jp/nhkworld/en/news/sample/": "nhk-world",
        "https://www3.nhk.or.jp/news/html/sample.html": "nhk",
        "https://english.kyodonews.net/news/sample": "kyodo",
        "https://japanese.joins.com/JArticle/1": "joongang-japanese",
        "https://www.joongang.co.kr/article/1": "joongang",
        "https://jp.yna.co.kr/view/1": "yonhap-japanese",
        "https://en.yna.co.kr/view/1": "yonhap",
        "https://jp.reuters.com/world/sample": "reuters-japan",
        "https://www.bloomberg.com/jp/news/articles/sample": "bloomberg-japan",
        "https://www.bloomberg.com/news/articles/sample": "bloomberg",
    }
    assert {url: reg.for_url(url).key for url in cases} == cases
    assert reg.for_url("https://news.example.com/a") is None
    assert reg.for_url("http://127.0.0.1:8000/feed.xml") is None


# -- recognition -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "url", "name"),
    [
        # the address, subdomains included
        (page("Sample ferry story - BBC News", url="https://www.bbc.co.uk/news/world-asia-0000"), "", "BBC"),
        (page("Sample", url="https://english.kyodonews.net/news/2025/03/sample"), "", "共同通信"),
        (page("Sample", url="https://www3.nhk.or.jp/nhkworld/en/news/sample/"), "", "NHKワールド"),
        (page("Sample", site="Reuters"), "https://jp.reuters.com/world/sample", "ロイター日本語版"),
        # og:site_name and JSON-LD publisher, no address
        (page("Sample", site="the Guardian"), "", "ガーディアン"),
        (page("Sample", publisher="Nikkei Asia"), "", "日経アジア"),
        (page("Sample", site="Yonhap News Agency"), "", "聯合ニュース"),
        # title suffixes, no address
        (page("Ferry link to resume - BBC News"), "", "BBC"),
        (page("フェリー航路が来月再開へ｜ロイター", lang="ja"), "", "ロイター日本語版"),
        (page("Ferry link to resume | Reuters"), "", "ロイター"),
        (page("Ferry link to resume - The Japan Times"), "", "ジャパンタイムズ"),
        (page("フェリー航路が来月再開｜聯合ニュース", lang="ja"), "", "聯合ニュース日本語版"),
        (page("Ferry link to resume | South China Morning Post"), "", "サウスチャイナ・モーニング・ポスト"),
        (page("Ferry link to resume | Al Jazeera"), "", "アルジャジーラ"),
    ],
)
def test_an_html_page_gets_its_outlets_display_name(html, url, name):
    outlet = outlet_of(html, url)
    assert str(outlet) == outlet.name == name
    assert outlet.registry_key and not outlet.policy_reviewed
    assert outlet.reuse_policy == Outlet.ReusePolicy.SUMMARY  # NEWSDESK_DEFAULT_REUSE_POLICY


def test_a_title_suffix_naming_the_outlet_is_cut_from_the_headline():
    stored = service.ingest_bytes(
        page("フェリー航路が来月再開へ｜ロイター", lang="ja").encode(),
        kind="file",
        location="x",
        stages=["extract"],
    )
    assert stored.article.original_title == "フェリー航路が来月再開へ"


def test_articles_of_one_outlet_from_several_domains_share_it():
    first = outlet_of(page("Sample", url="https://www.bbc.co.uk/news/a-1"))
    second = outlet_of(page("Sample", url="https://www.bbc.com/news/a-2", paragraphs=SAMPLE_EN[:2]))
    assert first == second and Outlet.objects.filter(registry_key="bbc").count() == 1
    assert first.domain == "bbc.com" and first.name_en == "BBC News"


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["The Japan Times", "ALL THE NEWS WITHOUT FEAR OR FAVOR"], "ジャパンタイムズ"),
        (["38 North", "Informed Analysis of North Korea"], "38ノース"),
        (["The Moscow Times", "Independent News From Russia"], "モスクワ・タイムズ"),
        (["The Korea Herald"], "コリア・ヘラルド"),
        (["Democracy Dies in Darkness"], "ワシントン・ポスト"),
    ],
)
def test_masthead_and_tagline_lines_of_pasted_text_name_the_outlet_and_are_dropped(lines, name):
    text = "\n".join([*lines, "", "Ferry link to resume after four years", "", *SAMPLE_EN]) + "\n"
    extracted = extract_text(text)
    assert extracted.title == "Ferry link to resume after four years"
    assert extracted.paragraphs == SAMPLE_EN
    assert extracted.dropped_lines == lines
    assert outlet_of(text).name == name


def test_a_japanese_masthead_and_a_copyright_line():
    text = "\n".join(
        ["聯合ニュース", "", "フェリー航路が来月再開へ", "", *SAMPLE_JA, "", "© 2025 The Washington Post"]
    )
    extracted = extract_text(text)
    assert extracted.outlet == "聯合ニュース" and extracted.title == "フェリー航路が来月再開へ"
    assert extracted.dropped_lines == ["聯合ニュース", "© 2025 The Washington Post"]
    assert outlet_of(text).name == "聯合ニュース日本語版"


def test_a_source_line_in_pasted_text_gives_the_domain():
    text = "\n".join(
        ["Ferry link to resume", "", *SAMPLE_EN, "", "Source: https://www.scmp.com/news/asia/sample"]
    )
    assert outlet_of(text).name == "サウスチャイナ・モーニング・ポスト"


def test_an_unknown_outlet_keeps_its_site_name_or_domain():
    named = outlet_of(page("Sample", url="https://harbor-ledger.example/a/1", site="Harbor Ledger"))
    assert (named.name, named.domain, named.registry_key) == ("Harbor Ledger", "harbor-ledger.example", "")
    bare = outlet_of(page("Sample", url="https://quiet-wire.example/a/1", paragraphs=SAMPLE_EN[1:]))
    assert bare.name == "quiet-wire.example"  # nothing better is known
    # A later page of that outlet that names it upgrades the name.
    again = outlet_of(
        page("Sample", url="https://quiet-wire.example/a/2", site="Quiet Wire", paragraphs=SAMPLE_EN[::2])
    )
    assert again == bare and Outlet.objects.get(pk=bare.pk).name == "Quiet Wire"
    assert recognize.outlet_for(names=[]).name == "不明な媒体"


def test_an_outlet_an_editor_made_for_a_registry_domain_is_adopted_with_its_name():
    mine = Outlet.objects.create(name="BBC（英国放送協会）", domain="bbc.co.uk", policy_reviewed=True)
    found = recognize.outlet_for(urls=["https://feeds.bbci.co.uk/news/rss.xml"])
    mine.refresh_from_db()
    assert found == mine and mine.registry_key == "bbc" and mine.name == "BBC（英国放送協会）"
    assert mine.name_en == "BBC News" and mine.policy_reviewed


# -- merging ---------------------------------------------------------------------------------------


def test_merge_moves_articles_and_feeds_and_keeps_the_domain(article_factory, outlet_factory):
    keep = outlet_factory("harbor-times.example", name="ハーバー・タイムズ")
    other = outlet_factory("harbortimes.example", name="Harbor Times")
    article = article_factory(outlet=other)
    feed = Source.objects.create(outlet=other, url="https://harbortimes.example/feed.xml")
    assert merge(keep, [other]) == 1
    article.refresh_from_db()
    feed.refresh_from_db()
    assert article.outlet == keep and feed.outlet == keep
    assert not Outlet.objects.filter(pk=other.pk).exists()
    assert set(keep.aliases.values_list("kind", "value")) == {
        ("domain", "harbortimes.example"),
        ("name", "Harbor Times"),
    }
    later = outlet_of(page("Sample", url="https://www.harbortimes.example/news/2", site="Harbor Times"))
    assert later == keep


# -- the migration that adopts existing outlets ----------------------------------------------------


def test_the_migration_adopts_merges_and_renames_existing_outlets(article_factory):
    migration = import_module("newsdesk.sources.migrations.0004_adopt_registry_outlets")
    old_uk = Outlet.objects.create(name="bbc.co.uk", domain="bbc.co.uk")
    old_com = Outlet.objects.create(name="BBC News", domain="bbc.com")
    article_factory(outlet=old_uk, url="https://www.bbc.co.uk/news/a-1")
    com = article_factory(outlet=old_com, url="https://www.bbc.com/news/a-2")
    japanese = article_factory(outlet=old_com, url="https://www.bbc.com/japanese/articles/a-3")
    pasted = Outlet.objects.create(name="ロイター")  # a name met in pasted text
    editors = Outlet.objects.create(name="編集部の名前", domain="reuters.com")
    unknown = Outlet.objects.create(name="Harbor Times", domain="harbor-times.example")

    migration.forwards(apps, SimpleNamespace(connection=connection))

    bbc = Outlet.objects.get(registry_key="bbc")
    assert bbc.pk == old_uk.pk and bbc.name == "BBC" and bbc.name_en == "BBC News"
    assert not Outlet.objects.filter(pk=old_com.pk).exists()
    assert OutletAlias.objects.get(kind="domain", value="bbc.com").outlet == bbc
    assert Article.objects.get(pk=com.pk).outlet == bbc
    assert Article.objects.get(pk=japanese.pk).outlet.name == "BBCニュース日本語版"
    assert Outlet.objects.get(pk=pasted.pk).name == "ロイター日本語版"
    assert Outlet.objects.get(pk=editors.pk).name == "編集部の名前"  # an editor's name stays
    assert Outlet.objects.get(pk=editors.pk).registry_key == "reuters"
    assert Outlet.objects.get(pk=unknown.pk).registry_key == ""
    # Later articles: bbc.com (now an alias) lands on the outlet kept, its Japanese edition apart.
    assert recognize.outlet_for(urls=["https://www.bbc.com/news/a-4"]) == bbc
    assert (
        recognize.outlet_for(urls=["https://www.bbc.com/japanese/articles/a-5"]).name == "BBCニュース日本語版"
    )


# -- the public site -------------------------------------------------------------------------------


def test_public_pages_and_feeds_show_display_names_not_domains(client, article_factory):
    outlet = recognize.outlet_for(urls=["https://www.bbc.co.uk/news/world-asia-0000"])
    article = article_factory(outlet=outlet, url="https://www.bbc.co.uk/news/world-asia-0000")
    edition = recognize.outlet_for(urls=["https://www.bbc.com/japanese/articles/sample"])
    article_factory(outlet=edition, url="https://www.bbc.com/japanese/articles/sample")
    detail = client.get(article.get_absolute_url()).content.decode()
    assert 'class="source-outlet"' in detail and ">BBC</a>" in detail
    latest = client.get("/").content.decode()
    assert ">BBC</a>" in latest and ">BBCニュース日本語版</a>" in latest
    assert ">bbc.com<" not in latest and ">bbc.co.uk<" not in latest
    outlet_page = client.get(outlet.get_absolute_url()).content.decode()
    assert '<h1 class="page-title">BBC</h1>' in outlet_page and "BBC News" in outlet_page
    assert client.get(edition.get_absolute_url()).status_code == 200
    rss = client.get("/feeds/latest.rss").content.decode()
    assert "（BBC）" in rss or "<dc:creator>BBC</dc:creator>" in rss or ">BBC<" in rss
    assert "bbc.com<" not in rss
    outlet_feed = client.get(f"/feeds/outlets/{outlet.domain}.rss").content.decode()
    assert "<title>BBCの記事" in outlet_feed
    assert '"name": "BBC"' in detail or '"name":"BBC"' in detail.replace(" ", "")
