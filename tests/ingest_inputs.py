"""Articles written for the tests (fictional outlets and people), in the shapes ingest reads."""

JA_PARAGRAPHS = [
    "下関と釜山を結ぶ旅客フェリーが、4年ぶりに運航を再開する。運航会社のサンプル海運が12日に発表した。",
    "同社によると、再開後は週3往復で、初年度の乗客は約20万人を見込む。運賃は片道1万2000円からとなる。",
    "航路は2021年に休止していた。港湾当局は、旅客ターミナルの改修に約15億円を投じたと説明している。",
    "地元の観光協会は、韓国からの個人旅行客が増えるとみて、港周辺の案内所を増やす計画を立てている。",
    "一方で、燃料費の高騰が続けば運賃の見直しもあり得ると、同社の担当者である田中一郎氏は述べた。",
    "両市は来年、航路開設50周年を記念する式典を共同で開く予定である。",
    "※この記事はnewsdeskのテスト用サンプルです。登場する媒体・人物は架空です。",
]

EN_PARAGRAPHS = [
    "A ferry link between Shimonoseki and Busan will resume next month after four years, its operator said on Wednesday.",
    "Sample Shipping said it would run three round trips a week and expected about 200,000 passengers in the first year.",
    "The route was suspended in 2021. Port officials said they had spent about $10 million renovating the terminal.",
    "Tourism groups on both sides of the strait expect more independent travellers.",
    "This is a sample article written for newsdesk tests; outlets and people are fictional.",
]


def html_page(
    title="Ferry link to resume after four years",
    paragraphs=EN_PARAGRAPHS,
    lang="en",
    url="https://harbor-times.example/news/2025/03/12/ferry-link",
    site="Harbor Times",
):
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="/images/ferry.jpg">
<meta property="article:published_time" content="2025-03-12T09:15:00+09:00">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "{title}", "datePublished": "2025-03-12T09:15:00+09:00",
 "author": {{"@type": "Person", "name": "Jane Doe"}},
 "publisher": {{"@type": "Organization", "name": "{site}"}}}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/asia">Asia</a></nav>
<article><h1>{title}</h1><p class="byline">By Jane Doe</p>
<time datetime="2025-03-12T09:15:00+09:00">12 March 2025</time>
<figure><img src="/images/ferry.jpg" alt="A ferry"><figcaption>A passenger ferry enters Busan port.</figcaption></figure>
{body}
</article>
<footer><p>© Harbor Times (sample)</p></footer>
</body></html>"""


def ja_text(paragraphs=JA_PARAGRAPHS):
    """Shape 2 of product.md: title, standfirst, author/outlet/date block, body, biography, domain."""
    return (
        "\n\n".join(
            [
                "日韓フェリー航路、4年ぶりに再開へ",
                "下関と釜山を結ぶ航路が来月再開する。",
                "山田花子\nサンプル通信\n2025年3月12日",
                *paragraphs,
                "山田花子はサンプル通信の記者である。",
                "sample-tsushin.example",
            ]
        )
        + "\n"
    )
