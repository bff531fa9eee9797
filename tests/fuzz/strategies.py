"""Hostile inputs built from what real pages, pastes, feeds and comments are made of.

Every strategy mixes realistic pieces (lines of the sample articles, bylines, datelines, chrome,
HTML fragments) with the nasty ones: control characters, bidi and zero-width characters, lone
surrogates (where the input is ``str``), broken entities, huge repetition and deep nesting.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import strategies as st

from newsdesk.ingest.decode import decode_bytes
from tests.fuzz.harness import MAX_DEPTH, MAX_REPEAT

SAMPLES = Path(__file__).resolve().parents[2] / "newsdesk" / "samples"

# -- characters and small pieces -------------------------------------------------------------------

ANY_CHAR = st.characters()  # every code point, lone surrogates included
NO_SURROGATE = st.characters(exclude_categories=["Cs"])
# Lone surrogates, made with chr(): some tools read a "\ud800" escape in source as U+FFFD.
SURROGATES = (chr(0xD800), chr(0xDFFF), chr(0xDC80) + chr(0xD83D))
JUNK = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x7f", "\x85", "\x9f",
    "\t", "\r", "\r\n", "\n\n\n\n\n", "\u2028", "\u2029", "\u3000", "\xa0", "\u200b", "\u200c",
    "\u200d", "\u200e", "\u202e", "\u2066", "\ufeff", "\ufffd", "\ufe0f", "\u3099", "\uff9e",
    "\u0301", "\U0001f468\u200d\U0001f469", "ｶﾞ", "Σ", "ß", "İ", "ﬁ", "①", "㍻", "㈱", "\u1100\u1161",
    *SURROGATES,
]  # fmt: skip
HTML_BITS = [
    "<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "<h1>", "</h1>", "<script>alert(1)</script>",
    "<script", "</script>", "<style>p{}</style>", "<!--", "-->", "<!-- x -->", "<![CDATA[", "]]>",
    "<?xml version='1.0'?>", "<!DOCTYPE html>", "&nbsp;", "&amp;", "&lt;", "&#0;", "&#xD800;",
    "&#x110000;", "&#9999999999;", "&eacute;", "&bogus;", "&", "<", ">", '"', "'", "`",
    "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>", "<svg><script>x</script>",
    "<iframe src=//evil>", "<math><mi>", "<template>", "<noscript>", "<table><tr><td>", "</html>",
]  # fmt: skip
DATES = [
    "12 Mar 2025 09:15:00 GMT9", "Mon, 24 Jun 2024 01:06:25 +0900", "September 16, 2023",
    "Sep 16, 2023 10:30 AM EDT", "2023年9月16日（土）午後3時5分", "令和6年6月24日", "昭和64年1月7日",
    "平成元年1月8日", "令和元年5月1日", "明治0年1月1日", "令和99年13月40日", "2024년 6월 24일 10:30",
    "2023/09/16 10:30", "2023.09.16", "2024-06-24T01:06:25+09:00", "2024-06-24", "0000-01-01",
    "0001-01-01 00:00", "9999-12-31 23:59 GMT+14", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00+14:00",
    "2024-02-30", "2024-06-24T25:61:61+99:99", "Updated: 2024-06-24 12:00 JST", "公開日：2024/06/24 10:30",
    "Published 31 Feb 2024", "29 Feb 2023", "1st January 2024 at 12 pm", "12 a.m. 1 Jan 2024",
    "２０２４年６月２４日　１０時３０分", "2024年6月24日 午前0時", "2024年6月24日 午後13時", "Z", "GMT-99",
    "(UTC+09:00)", "日本時間", "最終更新日時：2024年1月1日", "2024-06-24 10:30 ", "9999年12月31日",
]  # fmt: skip
LINES = [
    "日韓フェリー航路、4年ぶりに再開へ", "Port deal set to reshape regional logistics",
    "下関と釜山を結ぶ旅客フェリーが、4年ぶりに運航を再開する。",
    "The ferry will resume service after four years, officials said.",
    "facebook", "twitter", "Share", "シェア", "Facebook | X | LINE", "Short Url:", "最新", "特に人気",
    "オススメ", "return to top", "関連記事", "© 2025 Example Times. All rights reserved.", "Image1",
    "Since 1990", "匿名コメント募集中", "「匿名コメント募集中」", "ホーム > 国際 > 韓国", "Advertisement",
    "By John Smith", "John Smith", "JOHN SMITH", "Example Times", "山田花子（サンプル通信）", "山田 花子",
    "【ソウル＝山田花子】", "文：山田花子", "Written by Jane Doe and Ken Sato", "山田花子記者",
    "ソース:https://www.example.com/news/port-deal-123", "Source: Example Times (https://example.com/x)",
    "Source:", "出典：", "ソース:http://[::1", "ソース:https://", "example.com", "https://example.com/",
    "www.example.co.jp", "steppe-sea.example", "The Japan Times", "ALL THE NEWS WITHOUT FEAR OR FAVOR",
    "釜山港に入る旅客フェリー（サンプル通信/資料写真）", "(AP Photo/Jane Doe)", "Photo: Reuters/File",
    "ジョン・スミスはサンプル大学の経済学教授である。",
    "John Smith is a professor of economics at Example University.", "■プロフィール", "About the author",
    "“The port will be chosen,” he said.", "「港は選ばれる」と述べた。", "— Hanako Yamada",
    "1. 翻訳の第一段落", "2. 翻訳の第二段落", "• 箇条書きの要約", "- a bullet", "* ", "• ", "1.", "コメント",
    "サンプル東アジア", "Claire Whitford is a transport correspondent for Steppe & Sea Review.",
    "1400万人", "6億2000万円", "三千五百", "数十万", "2.5億ドル", "約3割", "3分の1", "1時間40分",
    "a" * 300, "。" * 50, "長" * 250,
]  # fmt: skip


# The sample articles, in the encodings they are saved in (one is UTF-16).
SAMPLE_BYTES = [path.read_bytes() for path in sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.html"))]
SAMPLE_TEXTS = [decode_bytes(path.read_bytes())[0] for path in sorted(SAMPLES.glob("*.txt"))]
SAMPLE_PAGES = [decode_bytes(path.read_bytes())[0] for path in sorted(SAMPLES.glob("*.html"))]
SAMPLE_LINES = [line for text in SAMPLE_TEXTS for line in text.splitlines() if line.strip()]


def _pieces(surrogates: bool) -> st.SearchStrategy[str]:
    chars = ANY_CHAR if surrogates else NO_SURROGATE
    junk = JUNK if surrogates else [j for j in JUNK if j not in SURROGATES]
    return st.one_of(
        st.sampled_from(LINES),
        st.sampled_from(SAMPLE_LINES),
        st.sampled_from(DATES),
        st.sampled_from(junk),
        st.sampled_from(HTML_BITS),
        st.text(chars, max_size=12),
    )


def line(surrogates: bool = True) -> st.SearchStrategy[str]:
    """One line: a few realistic or nasty pieces run together, sometimes with a list bullet."""
    return st.builds(
        lambda bullet, parts: bullet + "".join(parts),
        st.sampled_from(["", "", "", "  • ", "- ", "* ", "1. ", "　", "> "]),
        st.lists(_pieces(surrogates), min_size=1, max_size=4),
    )


# The most characters one repeated run reaches: past the 5 MB input limit, so that the refusal is
# reached too, but not the gigabytes that 200,000 copies of a long piece would take to build (the
# first ten-minute campaign of the HTML tests died so, out of memory, in this strategy).
MAX_RUN_CHARS = 6_000_000


def _repeated(unit: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda piece, times: piece * min(times, MAX_RUN_CHARS // max(1, len(piece))),
        unit,
        st.one_of(st.integers(0, 40), st.integers(0, MAX_REPEAT), st.sampled_from([MAX_REPEAT])),
    )


def pasted_text(surrogates: bool = True) -> st.SearchStrategy[str]:
    """Text as pasted from a page: lines of pieces, blank lines, a sample article cut and mutated,
    and a run of one piece repeated up to ``MAX_REPEAT`` times somewhere in it."""
    lines = st.lists(st.one_of(line(surrogates), st.just(""), st.just("   ")), min_size=0, max_size=40).map(
        "\n".join
    )
    sample = st.builds(_mutated_lines, st.sampled_from(SAMPLE_TEXTS), st.randoms(use_true_random=False))
    runs = _repeated(
        st.one_of(
            line(surrogates).map(lambda s: s + "\n"), st.sampled_from([" ", "\n", "\n\n", "a\n\n", "1"])
        )
    )
    return st.one_of(
        lines,
        sample,
        st.builds(lambda a, b, c: a + b + c, st.one_of(lines, sample), runs, st.one_of(lines, sample)),
    )


def _mutated_lines(text: str, rnd) -> str:
    """A sample article with lines dropped, doubled, swapped and cut."""
    lines = text.splitlines()
    for _ in range(rnd.randint(0, 8)):
        if not lines:
            break
        i = rnd.randrange(len(lines))
        action = rnd.randrange(5)
        if action == 0:
            del lines[i]
        elif action == 1:
            lines.insert(i, lines[i])
        elif action == 2:
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == 3:
            lines[i] = lines[i][: rnd.randrange(len(lines[i]) + 1)]
        else:
            lines.insert(i, rnd.choice(LINES + DATES + JUNK))
    return "\n".join(lines)


# -- HTML ------------------------------------------------------------------------------------------

TAGS = [
    "html", "head", "body", "article", "main", "section", "div", "p", "span", "h1", "h2", "time",
    "figure", "figcaption", "img", "picture", "source", "meta", "title", "base", "link", "a", "ul",
    "li", "table", "tr", "td", "br", "header", "footer", "nav", "aside", "address", "small", "em",
    "strong", "blockquote", "iframe", "svg", "math", "template", "noscript", "style", "form", "dd",
    "script", "b", "pre", "code", "button", "select", "option", "object",
]  # fmt: skip
ATTR_NAMES = [
    "class", "id", "itemprop", "property", "name", "content", "href", "src", "rel", "type", "lang",
    "xml:lang", "datetime", "srcset", "data-src", "alt", "charset", "http-equiv", "onerror", "style",
]  # fmt: skip
ATTR_VALUES = [
    "date", "byline", "caption", "author", "dateline", "published", "updated", "meta info",
    "og:image", "og:title", "og:site_name", "og:url", "og:description", "og:locale", "description",
    "article:published_time", "article:modified_time", "datePublished", "dateModified",
    "articleBody", "headline", "canonical", "application/ld+json", "ld+json", "ja-JP", "ko", "zh_TW",
    "jpn", "x", "", "2024-06-24T01:06:25+09:00", "2024年6月24日 01:06", "Mon, 24 Jun 2024 01:06:25 GMT9",
    "0000-00-00T00:00:00Z", "9999-12-31T23:59:59+14:00", "99999-01-01", "1e308", "-1",
    "http://[::1", "http://[", "https://[v1.x]/", "//cdn.example/x.jpg", "javascript:alert(1)",
    "data:image/png;base64,xx", "https://example.com/2024/06/24/story", "/2024/jun/24/a",
    "https://example.com/", "https://example.com/a/b", "../../etc/passwd", "mailto:x@y", "ftp://x",
    "https://例え.テスト/記事", "https://xn--/", "https://example.com:99999/", "https://user:pw@host/",
    # classes and ids of page chrome, which trafilatura's and readability's rules look for
    "comments", "Comment-list", "commentary", "comment", "post-comments", "disqus_thread", "comol",
    "infinite-scroll", "mvp-post-add-box", "elementor-share-buttons", "sidebar", "site-footer", "menu",
    "main-content", "article-body", "teaser", "wp-caption", "related", "share-buttons", "\u212aisha",
    "hide-print", "x hidden", "display:none", "reply-form", "nocomments", "cookie-bar", "bottom",
    "link", "Comment", "author-name", "post-meta", "tags", "social&#1;bar",
]  # fmt: skip


def _json_ld() -> st.SearchStrategy[str]:
    keys = st.sampled_from([
        "@type", "@graph", "@id", "@context", "author", "name", "datePublished", "dateModified",
        "headline", "image", "url", "publisher", "caption", "description", "contentUrl",
        "mainEntityOfPage", "articleBody", "inLanguage", "creator",
    ])  # fmt: skip
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.sampled_from(ATTR_VALUES + DATES + ["NewsArticle", "Person", "Organization", "ImageObject"]),
        st.text(NO_SURROGATE, max_size=10),
    )
    values = st.recursive(
        scalars,
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(keys, kids, max_size=5),
        max_leaves=20,
    )
    dumped = values.map(lambda v: json.dumps(v, ensure_ascii=False))
    broken = st.builds(
        lambda text, cut, extra: text[:cut] + extra,
        dumped,
        st.integers(0, 200),
        st.sampled_from(["", ",", ",]", ",}", "}", "]", "\\", '"', "\\ud800", "/* */", "<!--", "-->"]),
    )
    deep = st.builds(
        lambda open_, n: open_ * n,
        st.sampled_from(["[", '{"a":', '{"@graph":[']),
        st.integers(0, 20 * MAX_DEPTH),
    )
    return st.one_of(dumped, broken, deep)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attrs = st.lists(
        st.tuples(st.sampled_from(ATTR_NAMES), st.one_of(st.sampled_from(ATTR_VALUES), st.text(max_size=8))),
        max_size=3,
    )
    quote = st.sampled_from(['"', "'", ""])

    def render(tag: str, pairs: list[tuple[str, str]], q: str, kids: list[str], closed: bool) -> str:
        attributes = "".join(f" {k}={q}{v}{q}" for k, v in pairs)
        return f"<{tag}{attributes}>" + "".join(kids) + (f"</{tag}>" if closed else "")

    return st.builds(
        render, st.sampled_from(TAGS), attrs, quote, st.lists(children, max_size=5), st.booleans()
    )


def html_page() -> st.SearchStrategy[str]:
    """A page: a skeleton around generated markup, JSON-LD and text; a sample page mutated; or
    markup nested up to ``MAX_DEPTH`` deep. Strings only, so no lone surrogates (a page is
    decoded bytes; :func:`page_bytes` covers what decoding sees)."""
    text = st.one_of(line(surrogates=False), st.sampled_from(SAMPLE_LINES), st.sampled_from(HTML_BITS))
    body = st.recursive(text, _element, max_leaves=30)
    jsonld = _json_ld().map(lambda j: f'<script type="application/ld+json">{j}</script>')
    meta = st.builds(
        lambda k, v: f'<meta property="{k}" content="{v}">',
        st.sampled_from(ATTR_VALUES[:30]),
        st.sampled_from(ATTR_VALUES + DATES),
    )
    head = st.lists(st.one_of(jsonld, meta, body), max_size=6).map("".join)
    paragraphs = st.lists(st.sampled_from(SAMPLE_LINES), min_size=0, max_size=6).map(
        lambda ps: "".join(f"<p>{p}</p>" for p in ps)
    )
    skeleton = st.builds(
        lambda lang, h, b, p: (
            f'<!DOCTYPE html><html lang="{lang}"><head>{h}</head><body><article>{b}{p}</article></body></html>'
        ),
        st.sampled_from(["en", "ja", "ko-KR", "", "jpn", '"><script>']),
        head,
        body,
        paragraphs,
    )
    mutated = st.builds(
        _mutated_page,
        st.sampled_from(SAMPLE_PAGES),
        st.lists(st.one_of(body, jsonld, meta), max_size=4),
        st.randoms(use_true_random=False),
    )
    deep = st.builds(
        lambda tag, n, inner: f"<{tag}>" * n + inner + f"</{tag}>" * n,
        st.sampled_from(["div", "p", "span", "b", "table", "ul", "li", "article", "blockquote", "svg"]),
        st.integers(0, MAX_DEPTH),
        st.one_of(skeleton, paragraphs),
    )
    # One value of the page made huge: a title, an og:title, an H1, a byline, an author tag.
    huge = _repeated(st.sampled_from([" ", "a ", "| ", "・", ": ", " - ", "a@", "山", "By ", "\n", "2024年"]))
    loud = st.builds(
        lambda slot, value, page: page.replace("<head>", slot.format(v=value), 1),
        st.sampled_from(
            [
                "<head><title>Port deal{v}</title>",
                '<head><meta property="og:title" content="Port deal{v}">',
                '<head><meta name="author" content="Jane Doe{v}">',
                "<head></head><body><h1>Port deal{v}</h1>",
                '<head></head><body><div class="byline">By Jane Doe{v}</div>',
                "<head></head><body><p>{v}</p>",
                '<head><script type="application/ld+json">{{"@type":"NewsArticle","author":"{v}"}}</script>',
            ]
        ),
        huge,
        st.sampled_from(SAMPLE_PAGES),
    )
    repeated = st.builds(
        lambda a, b, c: a + b + c,
        skeleton,
        _repeated(st.one_of(body, paragraphs, st.sampled_from(HTML_BITS))),
        skeleton,
    )
    return st.one_of(skeleton, mutated, deep, repeated, loud)


def _mutated_page(page: str, inserts: list[str], rnd) -> str:
    """A sample page with markup inserted, a slice cut out or repeated, and perhaps truncated."""
    for piece in inserts:
        at = rnd.randrange(len(page) + 1)
        page = page[:at] + piece + page[at:]
    if rnd.random() < 0.3:
        a, b = sorted(rnd.randrange(len(page) + 1) for _ in range(2))
        page = (
            page[:a] + page[b:]
            if rnd.random() < 0.5
            else page[:b] + page[a:b] * rnd.randint(2, 50) + page[b:]
        )
    if rnd.random() < 0.2:
        page = page[: rnd.randrange(len(page) + 1)]
    return page


# -- bytes -----------------------------------------------------------------------------------------

CHARSETS = [
    "utf-8", "UTF-8", "shift_jis", "Shift-JIS", "sjis", "cp932", "euc-jp", "iso-2022-jp", "euc-kr",
    "gb2312", "gb18030", "big5", "utf-16", "utf-16le", "utf-16be", "utf-32", "latin-1", "iso-8859-1",
    "ascii", "us-ascii", "windows-1252", "koi8-r", "utf-7", "x-user-defined", "utf-8-sig", "cp65001",
    "rot13", "rot_13", "hex", "base64", "zlib", "bz2", "uu", "quopri", "idna", "punycode",
    "unicode_escape", "raw_unicode_escape", "undefined", "mbcs", "oem", "bogus", "", "-", "_",
    "utf_16_be", "hz", "ptcp154", "cp1140", "mac-roman", "palmos", "tis-620",
]  # fmt: skip
ENCODINGS = [
    "utf-8", "cp932", "euc_jp", "iso2022_jp", "euc_kr", "gb18030", "big5", "utf-16", "utf-16-le",
    "utf-16-be", "utf-32", "latin-1", "cp1252", "koi8_r", "utf-7",
]  # fmt: skip
PREFIXES = [
    b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff",
    b"%PDF-1.7", b"\x89PNG\r\n", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b\x08",
    b"\x7fELF", b"<?xml version='1.0'?>", b"<?xml version='1.0' encoding='utf-16'?>",
    b"<!-- -->", b"\xe3\x81", b"\x1b$B", b"\x00",
]  # fmt: skip


def page_bytes() -> st.SearchStrategy[tuple[bytes, str]]:
    """(bytes, the charset a Content-Type header named) as a fetch or a saved file gives them:
    text encoded in an East Asian or odd encoding, perhaps declaring another; BOMs, binary magic,
    truncated multibyte sequences, random bytes."""
    text = st.one_of(pasted_text(surrogates=False), html_page())

    def encode(
        prefix: bytes, declared: str, where: int, body: str, encoding: str, cut: int, junk: bytes
    ) -> bytes:
        declaration = [
            b"",
            f'<meta charset="{declared}">'.encode(),
            f"<?xml version='1.0' encoding='{declared}'?>".encode(),
            f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">'.encode(),
        ][where]
        data = prefix + declaration + body.encode(encoding, errors="replace") + junk
        return data[: len(data) - cut] if cut else data

    encoded = st.builds(
        encode,
        st.sampled_from(PREFIXES),
        st.sampled_from(CHARSETS),
        st.integers(0, 3),
        text,
        st.sampled_from(ENCODINGS),
        st.integers(0, 3),
        st.one_of(st.just(b""), st.binary(max_size=16)),
    )
    raw = st.one_of(
        st.binary(max_size=200),
        st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=200)),
    )
    return st.tuples(st.one_of(encoded, raw), st.one_of(st.just(""), st.sampled_from(CHARSETS)))


def _cut_bytes(data: bytes, rnd) -> bytes:
    """A sample file with a few bytes changed and perhaps cut short (mid-character)."""
    data = bytearray(data)
    for _ in range(rnd.randint(0, 4)):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    return bytes(data[: rnd.randint(1, len(data))] if rnd.random() < 0.3 else data)


# -- feeds -----------------------------------------------------------------------------------------

FEED_LINKS = [
    "https://news.example/a/1", "/a/2", "a/3?x=1&amp;y=2", "", " ", "http://[::1", "http://[",
    "https://[v1.x]/", "javascript:alert(1)", "data:text/html,x", "//other.example/x", "https://",
    "https://news.example/a/1#frag", "http://user@:80/", "https://xn--/", "\u202ehttps://x",
    "https://news.example/" + "a" * 3000, "&bogus;", "&#xD800;", "&#0;", "<![CDATA[https://c.example/]]>",
]  # fmt: skip
FEED_DATES = [
    "Wed, 12 Mar 2025 09:15:00 +0900", "2025-03-03T10:00:00+02:00", "Sat, 31 Dec 2016 23:59:60 GMT",
    "Mon, 01 Jan 0000 00:00:00 GMT", "0000-00-00T00:00:00Z", "9999-12-31T23:59:59-14:00",
    "Fri, 31 Dec 9999 23:59:59 -1200", "10000-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "-1",
    "1e308", "Tue, 99 Foo 2024 99:99:99 +9999", "2024-06-24", "2024年6月24日", "令和6年6月24日",
    "Thu, 01 Jan 1970 00:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT", "2024-W26-1", "2024-176",
    "20240624T010625Z", "", "Mon, 24 Jun 2024 01:06:25 JST", "Mon, 24 Jun 2024 01:06:25 +2400",
]  # fmt: skip
FEED_TEXT = [
    "港湾協定", "Port deal &amp; more", "&nbsp;&eacute;&hellip;", "&unknown;", "&#x110000;", "&#0;",
    "<![CDATA[<b>x</b>]]>", "<b>bold</b>", "&lt;script&gt;", "]]>", "\x00", "\x0b", "\ufffe",
]  # fmt: skip


def feed_bytes() -> st.SearchStrategy[bytes]:
    """RSS 2.0, RSS 1.0 and Atom skeletons with generated entries, then mutated: truncated, bytes
    inserted, an entity bomb or an external entity in the doctype, another encoding declared."""
    text = st.one_of(st.sampled_from(FEED_TEXT), st.text(NO_SURROGATE, max_size=10))
    link = st.one_of(st.sampled_from(FEED_LINKS), st.text(NO_SURROGATE, max_size=10))
    date = st.one_of(st.sampled_from(FEED_DATES), st.sampled_from(DATES))

    def rss_item(t, li, d):
        return f"<item><title>{t}</title><link>{li}</link><pubDate>{d}</pubDate><guid>{li}</guid></item>"

    def atom_entry(t, li, d):
        return (
            f'<entry><title>{t}</title><id>urn:{t}</id><link rel="alternate" href="{li}"/>'
            f"<published>{d}</published><updated>{d}</updated></entry>"
        )

    def rdf_item(t, li, d):
        return f'<item rdf:about="{li}"><title>{t}</title><link>{li}</link><dc:date>{d}</dc:date></item>'

    kinds = {
        "rss": (
            '<rss version="2.0"><channel><title>T</title><link>https://news.example/</link>',
            rss_item,
            "</channel></rss>",
        ),
        "atom": ('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>', atom_entry, "</feed>"),
        "rdf": (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title></channel>',
            rdf_item,
            "</rdf:RDF>",
        ),
    }
    doctypes = [
        "",
        "<!DOCTYPE rss>",
        '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1/">]>',
        "<!DOCTYPE html>",
    ]

    def build(kind, items, doctype, declaration, encoding, entity, tail):
        head, item, end = kinds[kind]
        body = "".join(item(*i) for i in items)
        if entity:
            body = body.replace("<title>", "<title>&d;&x;", 1)
        document = declaration + doctype + head + body + end + tail
        return document.encode(encoding, errors="replace")

    documents = st.builds(
        build,
        st.sampled_from(sorted(kinds)),
        st.lists(st.tuples(text, link, date), max_size=8),
        st.sampled_from(doctypes),
        st.sampled_from(
            [
                "",
                '<?xml version="1.0" encoding="UTF-8"?>',
                "<?xml version='1.0' encoding='shift_jis'?>",
                "<?xml version='1.0' encoding='utf-16'?>",
                "<?xml version='1.0' encoding='bogus'?>",
                "<?xml?>",
            ]
        ),
        st.sampled_from(["utf-8", "cp932", "utf-16", "latin-1"]),
        st.booleans(),
        st.sampled_from(["", "<item>", "</rss>", "<", "\x00", "&"]),
    )

    def mutate(data: bytes, rnd) -> bytes:
        for _ in range(rnd.randint(0, 3)):
            at = rnd.randrange(len(data) + 1)
            action = rnd.randrange(3)
            if action == 0:
                data = data[:at]
            elif action == 1:
                data = data[:at] + bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 4))) + data[at:]
            else:
                data = data[:at] + data[at : at + rnd.randint(1, 40)] * rnd.randint(2, 30) + data[at:]
        return data

    many = st.builds(
        lambda kind, n, t, li, d: build(
            kind, [(t, f"{li}{i}", d) for i in range(n)], "", "", "utf-8", False, ""
        ),
        st.sampled_from(sorted(kinds)),
        st.integers(0, MAX_REPEAT // 10),
        text,
        st.sampled_from(["https://news.example/a/", "/a/"]),
        date,
    )
    return st.one_of(
        documents,
        st.builds(mutate, documents, st.randoms(use_true_random=False)),
        many,
        st.binary(max_size=100),
    )


# -- comments --------------------------------------------------------------------------------------

COMMENT_BITS = [
    "https://example.com/a_(b)", "http://x", "https://", "https://example.com/?q=<script>",
    "javascript:alert(1)", "data:text/html,<script>", "HTTPS://EXAMPLE.COM", "https://例え.jp/記事。",
    ">>1", ">>0", ">>9999999", "＞＞１２", "≫3", ">>>>5", ">>12345678", "&gt;&gt;1", "<b>", "</a>",
    "<script>alert(1)</script>", '" onmouseover="x', "'", "&amp;", "&#60;", "名無しさん", "#secret",
    "＃キー", "◆", "◇", "名前#", "#", "\u202e", "\u200d", "\U0001f468\u200d\U0001f469\u200d\U0001f467",
]  # fmt: skip


def comment_text(surrogates: bool = False) -> st.SearchStrategy[str]:
    """A comment body or name: URLs, anchors, markup and tripcode marks among ordinary text."""
    chars = ANY_CHAR if surrogates else NO_SURROGATE
    junk = JUNK if surrogates else [j for j in JUNK if j not in SURROGATES]
    piece = st.one_of(
        st.sampled_from(COMMENT_BITS),
        st.sampled_from(junk),
        st.sampled_from(HTML_BITS),
        st.text(chars, max_size=10),
    )
    return st.one_of(
        st.lists(piece, max_size=12).map("".join),
        _repeated(piece),
    )


# -- Japanese text ---------------------------------------------------------------------------------


def japanese_text(surrogates: bool = True) -> st.SearchStrategy[str]:
    """Lines with dates, numbers, eras and widths, or any characters, or huge runs of them."""
    chars = ANY_CHAR if surrogates else NO_SURROGATE
    digits = st.text(
        st.sampled_from(
            "0123456789０１２３４５６７８９〇一二三四五六七八九十百千万億兆数,.・年月日時分秒 　"
        ),
        max_size=30,
    )
    piece = st.one_of(
        st.sampled_from(DATES),
        st.sampled_from(LINES),
        st.sampled_from(JUNK),
        digits,
        st.text(chars, max_size=10),
    )
    return st.one_of(
        st.lists(piece, max_size=10).map("".join),
        st.builds(
            lambda a, b, c: a + b + c,
            st.sampled_from(DATES + [""]),
            _repeated(st.one_of(piece, st.sampled_from([" ", "　", "1", "一", "1,000", "\u3099"]))),
            piece,
        ),
    )
