"""Authors of sample pages: bylines, JSON-LD and meta authors, never the outlet.

The names, outlets and pages are samples invented for these tests; the shapes are real ones:
"By X and Y, Agency", job titles and credentials after the name, a date run into the byline,
「文：」「筆者：」「〇〇記者」, 【都市＝記者名】 datelines, Korean closing bylines with an address.
"""

from __future__ import annotations

import json

import pytest

from newsdesk.ingest.authors import is_name, names_in, names_in_text
from newsdesk.ingest.html import extract_html

EN_BODY = "".join(
    f"<p>{p}</p>"
    for p in (
        "The harbour authority said it would rebuild the container terminal over the next three years, "
        "raising its capacity by a fifth as traffic through the port keeps growing.",
        "The work will deepen the berths so that larger ships can call, and will be carried out in stages.",
        "Logistics firms welcomed the plan, though some warned of congestion during the building work.",
    )
)
JA_PARAGRAPHS = [
    "見本市の港湾局は、来年春から貨物ターミナルを再編し、コンテナの受け入れ能力を2割増やす計画を発表した。",
    "再編では老朽化した岸壁を改修し、大型船が接岸できるよう水深を深くする。工事は3年かけて段階的に進める。",
    "地元の物流会社からは歓迎する声が上がる一方、工事中の渋滞を心配する意見も出ている。",
]


def sample(
    *,
    head: str = "",
    after_h1: str = "",
    end: str = "",
    jsonld: dict | None = None,
    lang: str = "en",
    body: str = "",
    site: str = "Example Times",
) -> str:
    ld = (
        f'<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script>'
        if jsonld
        else ""
    )
    body = body or (EN_BODY if lang == "en" else "".join(f"<p>{p}</p>" for p in JA_PARAGRAPHS))
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Harbour | {site}</title>
<meta property="og:site_name" content="{site}">{head}{ld}</head><body>
<header class="site-header"><a href="/">{site}</a></header>
<main><article><h1>Harbour terminal to be rebuilt over three years</h1>{after_h1}{body}{end}</article>
<section class="comments"><div class="comment-author">Sam Commenter</div><p>Great news for the port.</p></section>
</main><footer><p>© 2024 {site}</p></footer></body></html>"""


def author_of(html: str, url: str = "https://www.exampletimes.example/news/harbour") -> str:
    return extract_html(html, url).author


def test_jsonld_author_array_of_objects_and_the_outlet_dropped():
    html = sample(
        jsonld={
            "@type": "NewsArticle",
            "author": [
                {"@type": "Person", "name": "Jane Sample"},
                {"@type": "Person", "name": "John Roe"},
                {"@type": "Organization", "name": "Example Times"},
            ],
        }
    )
    assert author_of(html) == "Jane Sample, John Roe"
    html = sample(
        jsonld={"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Example Times"}}
    )
    assert author_of(html) == ""


def test_meta_author_with_its_outlet():
    assert (
        author_of(sample(head='<meta name="author" content="Jane Sample, Example Times">')) == "Jane Sample"
    )


def test_visible_byline_with_agency_and_capitals():
    html = sample(after_h1='<p class="byline">By JANE SAMPLE and JOHN ROE, Associated Press</p>')
    assert author_of(html) == "Jane Sample, John Roe"


def test_visible_byline_beats_a_different_metadata_author():
    html = sample(
        jsonld={"@type": "NewsArticle", "author": {"@type": "Person", "name": "Web Producer"}},
        after_h1='<span class="single-header-byline">By Jane Sample</span>',
    )
    assert author_of(html) == "Jane Sample"


def test_byline_with_date_run_into_it_and_job_titles():
    html = sample(
        after_h1='<p class="byline">By Jane Sample and John Roe Monday, June 24, 2024, 04:05 pm</p>'
    )
    assert author_of(html) == "Jane Sample, John Roe"
    html = sample(after_h1='<div class="byline">Jane Sample Staff Writer</div>')
    assert author_of(html) == "Jane Sample"
    html = sample(after_h1='<div class="author">Analysis by Jane Sample, Example Times Editor-at-large</div>')
    assert author_of(html) == "Jane Sample"


def test_credentials_and_photo_credits_are_not_authors():
    html = sample(jsonld={"@type": "NewsArticle", "author": "Jane Sample, MS, RD"})
    assert author_of(html) == "Jane Sample"
    html = sample(
        after_h1='<p class="credit">Photo: Sample Images</p>',
        head='<meta name="author" content="Jane Sample">',
    )
    assert author_of(html) == "Jane Sample"


def test_generic_accounts_and_commenters_are_not_authors():
    html = sample(jsonld={"@type": "NewsArticle", "author": {"@type": "Person", "name": "admin"}})
    assert author_of(html) == ""
    html = sample(head='<meta name="author" content="webdesk_01">')
    assert author_of(html) == ""


def test_rel_author_links():
    html = sample(
        after_h1='<p>By <a rel="author" href="/people/jane">Jane Sample</a>, '
        '<a rel="author" href="/people/john">John Roe</a></p>'
    )
    assert author_of(html) == "Jane Sample, John Roe"
    html = sample(after_h1='<p><a rel="author" href="/people/jane">Jane Sample</a></p>')
    assert author_of(html) == "Jane Sample"


def test_an_agency_alone_is_a_byline_but_the_outlet_is_not():
    html = sample(after_h1='<p class="byline">By Reuters</p>')
    assert author_of(html) == "Reuters"
    html = sample(after_h1='<p class="byline">By Example Times</p>')
    assert author_of(html) == ""


def test_japanese_bylines():
    page = sample(lang="ja", after_h1='<p class="author">文：見本 花子</p>', site="見本新聞")
    assert author_of(page, "https://www.mihon-shimbun.example/a") == "見本 花子"
    page = sample(
        lang="ja", after_h1='<div class="writer">筆者：見本花子（見本大学教授）</div>', site="見本新聞"
    )
    assert author_of(page, "https://www.mihon-shimbun.example/a") == "見本花子"
    page = sample(lang="ja", after_h1='<span class="byline">見本新聞 見本太郎記者</span>', site="見本新聞")
    assert author_of(page, "https://www.mihon-shimbun.example/a") == "見本太郎"
    page = sample(
        lang="ja", after_h1='<span class="article-author">港町支局　見本 一郎</span>', site="見本新聞"
    )
    assert author_of(page, "https://www.mihon-shimbun.example/a") == "見本 一郎"
    body = "".join(f"<p>{p}</p>" for p in ["【ソウル＝見本次郎】" + JA_PARAGRAPHS[0], *JA_PARAGRAPHS[1:]])
    page = sample(lang="ja", body=body, site="見本新聞")
    assert author_of(page, "https://www.mihon-shimbun.example/a") == "見本次郎"


def test_korean_closing_byline():
    assert names_in_text(["본문입니다.", "홍견본 기자 sample@example.kr"]) == ["홍견본"]
    assert names_in_text(["본문입니다.", "칼럼니스트 홍견본", "sample@example.kr"]) == ["홍견본"]
    assert names_in_text(["본문입니다."]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By Jane Sample | Example Media for example.com", ["Jane Sample"]),
        ("Jane Sample. Example International", ["Jane Sample"]),
        ("JANE SAMPLE, AP Science Writer", ["Jane Sample"]),
        ("By JANE SAMPLE and JOHN ROE Associated Press", ["Jane Sample", "John Roe"]),
        ("Example Post Staff", ["Example Post Staff"]),
        ("Текст: Анна Образцова", ["Анна Образцова"]),
        ("05/10/2024 - Publicado por: Ana Exemplo - Categoria: Saúde", ["Ana Exemplo"]),
        ("Jane Sample Jane Sample", ["Jane Sample"]),
        ("Senior Contributor", []),
        ("The harbour and customs authorities", []),
    ],
)
def test_names_in(text, expected):
    assert names_in(text, ["Example Times"], "exampletimes.example", strict=True) == expected


def test_is_name():
    assert is_name("Jane van der Sample") and is_name("見本 花子") and is_name("홍견본")
    assert not is_name("a harbour at a crossroads") and not is_name("Room 101")


@pytest.mark.parametrize(
    ("lang", "byline", "author"),
    [
        # A Japanese regional paper: the date, the desk and the reporter in one line under the
        # headline, inside the body's paragraphs (the name spaced differently from its JSON-LD).
        ("ja", '<p class="news-date"><time>2025/04/15 07:00</time>　報道部　見本 太郎</p>', "見本太郎"),
        ("en", "<p>By Jane Doe</p>", "Jane Doe"),
        ("ja", "<p>（見本 太郎）</p>", "見本太郎"),
    ],
)
def test_a_byline_printed_as_a_paragraph_is_the_authors_not_the_bodys(lang, byline, author):
    body = EN_BODY if lang == "en" else "".join(f"<p>{p}</p>" for p in JA_PARAGRAPHS)
    page = sample(lang=lang, body=byline + body, jsonld={"@type": "NewsArticle", "author": {"name": author}})
    art = extract_html(page, "https://www.exampletimes.example/news/harbour")
    assert art.author == author
    first = JA_PARAGRAPHS[0] if lang == "ja" else "The harbour authority said"
    assert art.paragraphs[0].startswith(first[:20])
    assert len(art.paragraphs) == 3
    assert [reason for _, reason in art.dropped] == ["byline-repeat"]


def test_a_paragraph_that_names_the_author_in_a_sentence_stays():
    said = "<p>Jane Doe, who covered the port for a decade, said the plan was overdue.</p>"
    page = sample(body=EN_BODY + said, jsonld={"@type": "NewsArticle", "author": {"name": "Jane Doe"}})
    assert extract_html(page).paragraphs[-1].startswith("Jane Doe, who covered")
