"""Read an article out of an HTML page: body through trafilatura, metadata from the page's own tags.

The page is parsed once (``parse.parse_html``: trafilatura's loader, lxml); the metadata is read from that tree and the
same tree is handed to ``trafilatura.bare_extraction`` (which works on its own copy), so nothing is
parsed twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

import htmldate.extractors
import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import extract_author, extract_sitename, extract_title
from trafilatura.settings import Document, set_date_params

from newsdesk.core.net import domain_of
from newsdesk.japanese.dates import JST, find_dates
from newsdesk.sources.registry import registry

from .authors import INLINE_LABEL, names_in, names_in_text
from .bylines import is_byline_paragraph
from .caseless import Caseless
from .document import ExtractedArticle, IngestError
from .headline import TitleSources, choose_headline
from .htmlmeta import (
    DateEvidence,
    choose_published,
    clean_title,
    image_of,
    names,
    norm_key,
    normalise_language,
    parse_date,
    parse_jsonld,
    pick_article,
    squash,
    types_of,
    url_date,
)
from .parse import parse_html
from .shortcuts import taken

NO_ARTICLE = "ページに記事本文が見つかりません（本文が空か短すぎます）"
MIN_BODY_WEIGHT = 25  # latin words plus CJK characters / 2: about two sentences

# Extraction settings chosen on the benchmark (bench/extraction.py): favor_precision and no comments.
# Metadata comes from the page itself first; see _Fallback for trafilatura's own.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "with_metadata": False,
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
}
DATE_META_KEYS = (
    "article:published_time", "article:published", "og:published_time", "og:article:published_time",
    "datepublished", "pubdate", "publishdate", "publish-date", "publication_date", "date", "dc.date",
    "dc.date.issued", "dcterms.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "cxenseparse:recs:publishtime", "original-publish-date", "article_date_original",
)  # fmt: skip
# Tags that name no event: often the page's build or change date, so they rank below the
# publication tags and the article's own date line.
GENERIC_DATE_KEYS = frozenset({"date", "dc.date", "dcterms.created"})
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_LATIN_WORD_RE = re.compile(r"[^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Page:
    """What the page's head and markup say about it, read in one walk over the tree."""

    meta: dict[str, str] = field(default_factory=dict)
    jsonld: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    title: str = ""
    base: str = ""


def read_page(tree: HtmlElement) -> Page:
    page = Page()
    for el in tree.iter("meta", "script", "link", "title", "base"):
        tag = el.tag
        if tag == "meta":
            content = (el.get("content") or "").strip()
            if content:
                keys = f"{el.get('property') or ''} {el.get('name') or ''} {el.get('itemprop') or ''}"
                for key in keys.lower().split():
                    page.meta.setdefault(key, content)
        elif tag == "script":
            if "ld+json" in (el.get("type") or "").lower() and el.text:
                page.jsonld.append(el.text)
        elif tag == "link":
            href = (el.get("href") or "").strip()
            for rel in (el.get("rel") or "").lower().split():
                if href:
                    page.links.setdefault(rel, href)
        elif tag == "title" and not page.title and el.getparent() is not None:
            if el.getparent().tag in ("head", "html"):
                page.title = squash(el.text_content())
        elif tag == "base" and not page.base:
            page.base = (el.get("href") or "").strip()
    return page


def _absolute(link: str, base: str) -> str:
    """``link`` made absolute against ``base``; "" unless that is an http(s) URL, and "" when either
    is malformed (``http://[::1``: urllib refuses it with ValueError)."""
    link = (link or "").strip()
    if not link or link.startswith("data:"):
        return ""
    try:
        if link.startswith("//"):
            absolute = f"{urlsplit(base).scheme or 'https'}:{link}"
        else:
            absolute = urljoin(base, link) if base else link
        urlsplit(absolute)
    except ValueError:
        return ""
    return absolute if absolute.startswith(("http://", "https://")) else ""


def _path(url: str) -> str:
    """The path of ``url``; "" when there is none or the URL is malformed."""
    try:
        return urlsplit(url).path if url else ""
    except ValueError:
        return ""


def _canonical(page: Page, url: str) -> str:
    given = _absolute(url, "") or url
    for candidate in (page.links.get("canonical"), page.meta.get("og:url")):
        absolute = _absolute(candidate or "", given)
        if absolute and not _points_above(absolute, given):
            return absolute
    return given


def _points_above(canonical: str, given: str) -> bool:
    """A canonical naming the home page or a section above the page's own address is a CMS mistake;
    trusting it would make every article of that section the same article."""
    if not given:
        return False
    canonical_path, given_path = _path(canonical).rstrip("/"), _path(given).rstrip("/")
    return canonical_path != given_path and given_path.startswith(canonical_path + "/")


def _image_src(img: HtmlElement) -> str:
    return img.get("src") or img.get("data-src") or img.get("srcset") or img.get("data-srcset") or ""


def _lead_figure(tree: HtmlElement, image_url: str) -> tuple[HtmlElement | None, bool]:
    """The figure of the lead image and whether it was matched by the og:image file name.

    The figure whose image is the page's og:image wins; else the first figure with an image inside
    the article (article, main or articleBody), else anywhere.
    """
    every = list(tree.iter("figure"))
    if not every:
        return None, False
    scopes = tree.xpath("//article|//main|//*[@itemprop='articleBody']")
    figures = [f for scope in scopes for f in scope.iter("figure")] or every
    stem = _path(image_url).rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if len(stem) >= 4:
        for fig in figures:
            if any(stem in _image_src(img) for img in fig.iter("img", "source")):
                return fig, True
    for fig in figures:
        if any(True for _ in fig.iter("img", "picture")):
            return fig, False
    return None, False


def _caption(tree: HtmlElement, image_url: str, jsonld_caption: str) -> str:
    """One caption for the lead image: its figcaption, the JSON-LD caption, or its alt text."""
    figure, matched = _lead_figure(tree, image_url)
    if figure is not None:
        for el in figure.iter("figcaption"):
            if text := squash(el.text_content()):
                return text
        for el in figure.xpath(".//*[contains(@class, 'caption')]"):
            if text := squash(el.text_content()):
                return text
    if jsonld_caption:
        return jsonld_caption
    if figure is not None and matched:
        for img in figure.iter("img"):
            if text := squash(img.get("alt")):
                return text
    return ""


# Marks of a modified date (skipped) and of a publication date (preferred), in class, id and
# itemprop values and in the labels before a date.
# (Caseless: case-insensitive, searched fast; these run on most elements of every page.)
_MODIFIED = Caseless(r"modif|updat|edited|revis|更新|修正|수정")
_PUBLISHED = Caseless(r"publish|posted|pubdate|公開|配信|掲載|投稿|発行|입력|게재")
_DATELINE_ATTR = Caseless(r"date|time|posted|publish|dateline|byline|meta|info|stamp")
_NOT_DATELINE = Caseless(r"caption|image|photo|img|figure|media|video")  # a picture's line
_DATELINE_TAGS = ("p", "div", "span", "li", "time", "small", "dd", "address", "header", "em", "ul")


def _marks(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"


def _inside(el: HtmlElement, scope: HtmlElement) -> bool:
    return any(a is scope for a in el.iterancestors())


def _article_scope(tree: HtmlElement, headline: HtmlElement | None) -> HtmlElement:
    """The article's own part of the page: the <article> around its H1 (``headline``, see
    ``_headline_element``), else <main>, else the page."""
    if headline is not None:
        article = next(headline.iterancestors("article"), None)
        if article is not None:
            return article
    for tag in ("main", "article"):
        found = next(tree.iter(tag), None)
        if found is not None:
            return found
    return tree


def _article_time(tree: HtmlElement, scope: HtmlElement) -> DateEvidence | None:
    """The <time> of the article's publication: one marked so (datePublished, pubdate, a
    "published" class), else the first inside the article, else the first outside the page's
    chrome; never one marked or labelled as a modification, nor one in a footer or sidebar."""
    times = []
    for el in tree.iter("time"):
        parent = el.getparent()
        label = (
            (el.getprevious().tail if el.getprevious() is not None else parent.text)
            if parent is not None
            else ""
        )
        marks = _marks(el) + (_marks(parent) if parent is not None else "") + squash(label)[-20:]
        # itemprop=datePublished and the pubdate attribute say it outright, whatever the label.
        explicit = "datepublished" in (el.get("itemprop") or "").lower() or el.get("pubdate") is not None
        # Inside a link: a teaser's date, not this article's.
        if (
            (explicit or not _MODIFIED.search(marks))
            and not in_chrome(el)
            and next(el.iterancestors("a"), None) is None
        ):
            times.append((el, explicit or bool(_PUBLISHED.search(marks))))
    ordered = [el for el, marked in times if marked]
    ordered += [el for el, _ in times if _inside(el, scope)] + [el for el, _ in times]
    for el in ordered:
        if evidence := parse_date(el.get("datetime"), "time") or _text_date(element_text(el), "time"):
            return evidence
    return None


def _text_date(text: str, source: str) -> DateEvidence | None:
    """The publication date in a line of text (the date grammar of newsdesk.japanese.dates): the
    one labelled as published, else the first not labelled as an update; None for none."""
    if not text or len(text) > 200:
        return None
    found = find_dates(text)
    chosen = None
    for i, match in enumerate(found):
        label = text[found[i - 1].end if i else 0 : match.start]
        if _PUBLISHED.search(label):
            chosen = match
            break
        if chosen is None and not _MODIFIED.search(label):
            chosen = match
    if chosen is None:
        return None
    value = chosen.value if chosen.has_zone else chosen.value.replace(tzinfo=None)
    return DateEvidence(source, value, chosen.has_time)


def _headline_element(tree: HtmlElement) -> HtmlElement | None:
    return next((h1 for h1 in tree.iter("h1") if not in_chrome(h1)), None)


def _dateline(tree: HtmlElement, scope: HtmlElement, headline: HtmlElement | None) -> DateEvidence | None:
    """The article's date line: the first small element marked as a date, time or byline (class,
    id or itemprop) whose text holds a date, in the article first, then anywhere outside the
    page's chrome (a footer's copyright line is chrome, and a bare year is no date anyway).

    One after the H1 beats one before it: above the headline sit teasers and quoted claims with
    dates of their own, the article's date line follows its headline.
    """
    read: set[HtmlElement] = set()  # the scope's elements, skipped in the page's pass (see _byline)
    for root in (scope, tree) if scope is not tree else (tree,):
        before: DateEvidence | None = None
        passed = headline is None
        skip = read if root is tree else ()
        for el in root.iter("h1", *_DATELINE_TAGS):
            if el is headline:
                passed = True
            if el.tag == "h1" or el in skip:
                continue
            if root is not tree:
                read.add(el)
            marks = _marks(el)
            if not _DATELINE_ATTR.search(marks) or _MODIFIED.search(marks) or _NOT_DATELINE.search(marks):
                continue
            raw = el.text_content()
            if not raw or len(raw) > 200 or not any(c.isdigit() for c in raw) or in_chrome(el):
                continue
            if next(el.iterancestors("a", "figure", "figcaption"), None) is not None:
                continue  # a teaser's date line (inside a link to another article) or a picture's
            label = squash(el.getparent().text if el.getparent() is not None else "")[-20:]
            if el.getprevious() is not None:
                label = squash(el.getprevious().tail)[-20:]
            if _MODIFIED.search(label) and not _PUBLISHED.search(label):
                continue  # "Updated <time>…</time>"
            text = element_text(el, skip=lambda child: bool(_MODIFIED.search(_marks(child))))
            if evidence := _text_date(text, "dateline"):
                if passed:
                    return evidence
                before = before or evidence
        if before:
            return before
    return None


def _has_body(paragraphs: list[str]) -> bool:
    """At least MIN_BODY_WEIGHT of text, counted paragraph by paragraph until there is enough."""
    weight = 0.0
    for paragraph in paragraphs:
        weight += len(_LATIN_WORD_RE.findall(paragraph)) + len(_CJK_RE.findall(paragraph)) / 2
        if weight >= MIN_BODY_WEIGHT:
            return True
    return False


# Classes of blocks that are a standfirst.
_STANDFIRST_CLASS = Caseless(r"dek|standfirst|sub-?title|subhead|summary|lede|lead|excerpt|intro")


def _is_standfirst(tree: HtmlElement, line: str) -> bool:
    """The line is the page's standfirst: a heading below the headline or a block marked as one."""
    key = norm_key(line)
    for element in tree.iter("h2", "h3", "p", "div"):
        if element.tag in ("p", "div") and not _STANDFIRST_CLASS.search(element.get("class") or ""):
            continue
        if norm_key(element.text_content()) == key:
            return True
    return False


def _is_repeat(description: str, paragraphs: list[str]) -> bool:
    """The description is the opening of the body (often cut short with an ellipsis)."""
    desc = norm_key(description.rstrip(" .…"))
    start = norm_key(" ".join(paragraphs[:2]))
    first = norm_key(paragraphs[0]) if paragraphs else ""
    if not desc or not start:
        return False
    return (
        desc in start
        or start.startswith(desc[:40])
        or (len(first) >= len(desc) / 2 and desc.startswith(first))
    )


def _outlet(candidates) -> str:
    return next((squash(o).strip(" |｜-–—:：@") for o in candidates if squash(o) and "://" not in o), "")


def _publisher(article: dict, objects: list[dict]) -> list[str]:
    publisher = names(article.get("publisher"), objects)
    if publisher:
        return publisher
    return [n for o in objects if "newsmediaorganization" in types_of(o) for n in names(o, objects)]


# trafilatura's extract_author returns the text of the first element one of its AUTHOR_XPATHS
# selects in a copy of the page pruned of comments, dates and the like (elements removed, their
# tails kept). Those expressions test element names and the values of class, id, itemprop, rel,
# data-testid and data-component (case-sensitive, except where they list both cases), plus the
# text of a <rel> child; each holds one of the strings below, and removing elements selects no
# new one, except that a <rel>'s text can join up. So on a page where no element has such a
# value and none is named author or rel, it finds nothing, and the copy, which costs more than
# the search itself, is not made. Read off trafilatura 2.3.1 (trafilatura/xpaths.py); any other
# version always makes the copy.
_AUTHOR_SHORTCUT = trafilatura.__version__ == "2.3.1"
_AUTHOR_ATTR_WORDS = {
    "class": (
        "uthor", "byl", "Byline", "BBL", "username", "screenname", "writer", "zuozhe", "bianji", "xiaobian",
        "channel-name", "submitted-by", "posted-by", "journalist-name",
    ),
    "id": ("uthor", "zuozhe", "bianji", "xiaobian"),
    "itemprop": ("author",),
    "rel": ("author",),
    "data-testid": ("Author",),
    "data-component": ("Byline",),
}  # fmt: skip


def _may_hold_author(tree: HtmlElement) -> bool:
    """Whether one of trafilatura's AUTHOR_XPATHS may select an element of the page (see above)."""
    for el in tree.iter():
        if el.tag in ("author", "rel"):
            return True
        for attribute, words in _AUTHOR_ATTR_WORDS.items():
            value = el.get(attribute)
            if value and any(word in value for word in words):
                return True
    return False


class _Fallback:
    """trafilatura's own readings of title, author, site name and date, each made only when the page's
    explicit metadata leaves that field empty: the date search (htmldate) alone can cost as much as
    the body extraction."""

    def __init__(self, tree: HtmlElement, url: str) -> None:
        self._tree, self._url = tree, url

    def title(self) -> str:
        return squash(extract_title(self._tree))

    def author(self) -> str:
        if _AUTHOR_SHORTCUT and not _may_hold_author(self._tree):
            return ""  # what extract_author returns for such a page, without its copy of the page
        return extract_author(self._tree) or ""

    def sitename(self) -> str:
        return extract_sitename(self._tree) or ""

    def date(self) -> str:
        params = {**set_date_params(True), "url": self._url or None}
        return find_date(deepcopy(self._tree), **params) or ""


# Containers of the page's own chrome: an H1 or a byline inside one is not the article's.
_CHROME_TAGS = frozenset({"nav", "footer", "aside", "button", "form", "dialog", "menu", "select"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "menu"})
# Class and id words of such containers, as whole words ("sidebar", "site-header", "comments"),
# not inside others ("stickySidebar" and "theme_sidebar" wrappers hold the article too).
_CHROME_ATTR = Caseless(
    r"(?<![\w-])(?:site-?(?:header|title|name|logo|brand|nav|footer)|masthead|logo|navbar|nav|menu"
    r"|footer|sidebar|comments?|comment-list|related|recommended|promo|newsletter|subscribe"
    r"|modal|popup|breadcrumbs?|most-read|more-stories|read-next)(?![a-z])"
)


def in_chrome(el: HtmlElement) -> bool:
    """The element sits in navigation, a footer, a sidebar, comments, a promotion or the like.

    A <footer> inside an <article> is the article's own (its author box, its tags), not chrome.
    """
    for node in (el, *el.iterancestors()):
        if node.tag == "footer" and next(node.iterancestors("article"), None) is not None:
            continue
        if node.tag in _CHROME_TAGS or (node.get("role") or "").lower() in _CHROME_ROLES:
            return True
        attrs = f"{node.get('class') or ''} {node.get('id') or ''}"
        if attrs.strip() and _CHROME_ATTR.search(attrs):
            return True
    return False


_SPACED = frozenset({"br", "div", "p", "span", "li", "time", "a", "em", "strong", "small", "dd", "dt"})


def element_text(el: HtmlElement, skip: Callable[[HtmlElement], bool] | None = None) -> str:
    """Visible text of a small element: line breaks and inline or block children become spaces (so
    that "By Jane Doe<br>May 5" or "<span>Jane Doe</span><span>Writer</span>" keep their words
    apart); children for which ``skip`` says so are left out, their tails kept."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        parts.append(node.text or "")
        for child in node:
            shown = isinstance(child.tag, str) and child.tag not in ("script", "style", "noscript")
            if shown and not (skip and skip(child)):
                parts.append(" " if child.tag in _SPACED else "")
                walk(child)
                parts.append(" " if child.tag in _SPACED else "")
            parts.append(child.tail or "")

    walk(el)
    return squash("".join(parts))


def _h1s(tree: HtmlElement) -> list[str]:
    """Texts of the page's H1 elements outside its chrome, in page order."""
    found = []
    for el in tree.iter("h1"):
        if not in_chrome(el):
            copy = el
            if next(el.iter("br"), None) is not None:  # line breaks as spaces, in a copy
                copy = deepcopy(el)
                for br in copy.iter("br"):
                    br.tail = " " + (br.tail or "")
            if text := squash(copy.text_content()):
                found.append(text)
    return found


def _guessed_sitename(page: Page, fallback: _Fallback) -> str:
    """trafilatura's guess at the site's name, unless it guessed a title (it falls back on og:title)."""
    guess = squash(fallback.sitename())
    titles = (page.title, page.meta.get("og:title"), page.meta.get("twitter:title"))
    if not guess or any(norm_key(guess) == norm_key(t or "") for t in titles) or len(guess.split()) > 6:
        return ""
    return guess


def _title(
    page: Page,
    article: dict,
    tree: HtmlElement,
    fallback: _Fallback,
    site_names: list[str],
    url: str,
    context: str,
) -> tuple[str, str]:
    """(headline, title as found): see :mod:`newsdesk.ingest.headline`; trafilatura's as a last resort."""
    meta = page.meta
    found = (meta.get("og:title"), article.get("headline"), meta.get("twitter:title"), page.title)
    raw = next((squash(t) for t in found if squash(t)), "") or fallback.title()
    sources = TitleSources(
        title=page.title,
        og=meta.get("og:title", ""),
        twitter=meta.get("twitter:title", ""),
        jsonld=squash(article.get("headline")),
        h1s=_h1s(tree),
        site_names=[*site_names, *registry().names_for(title=raw)],
        domain=domain_of(url),
        path=_path(url),
        context=context,
    )
    return choose_headline(sources) or clean_title(raw, list(sources.site_names), sources.domain), raw


def _published_at(
    page: Page,
    article: dict,
    tree: HtmlElement,
    scope: HtmlElement,
    headline: HtmlElement | None,
    fallback: _Fallback,
    urls: set[str],
    tz: tzinfo,
) -> tuple[datetime | None, bool]:
    """(publication date, whether the page gives it without a time of day).

    The article's own metadata and dateline: JSON-LD datePublished, the publication meta tags,
    its <time>, its date line, generic date tags and the URL; htmldate's guess only when none of
    them gives a date. Modified dates are not read (only htmldate may fall back on one, when the
    page gives nothing else); see ``choose_published`` for the vote.
    """
    evidence = [parse_date(article.get("datePublished"), "jsonld")]
    for key in DATE_META_KEYS:
        if key in page.meta:
            evidence.append(
                parse_date(page.meta[key], "meta-generic" if key in GENERIC_DATE_KEYS else "meta")
            )
    evidence += [_article_time(tree, scope), _dateline(tree, scope, headline)]
    evidence += [url_date(u) for u in urls if u]
    if not choose_published([e for e in evidence if e is not None], tz)[0]:
        # htmldate's guess, as a last resort: it may read a modified date, which is better than
        # none only when the page gives no publication date at all.
        evidence.append(parse_date(fallback.date(), "trafilatura"))
    return choose_published([e for e in evidence if e is not None], tz)


# Elements that hold a byline, by class, id or itemprop; and marks of the parts around one that
# are not it (the author's biography, picture, social links, job title, the date).
_BYLINE_ATTR = Caseless(r"byline|by-line|author|writer|reporter|contributor|journalist|kisha")
_NOT_BYLINE = Caseless(
    r"bio|desc|avatar|image|img|photo|picture|social|follow|twitter|facebook|mail|share|comment|more"
    r"|about|role|job|position|title|count|date|time|caption"
)
_BYLINE_TAGS = (
    "p", "div", "span", "li", "a", "address", "h2", "h3", "h4", "h5", "h6", "small", "em", "strong",
    "ul", "dd",
)  # fmt: skip
_AUTHOR_NAME_ATTR = Caseless(r"author.{0,3}name|name.{0,3}author")
META_AUTHOR_KEYS = ("author", "article:author", "sailthru.author", "parsely-author", "dc.creator", "byl")


def _labelled(el: HtmlElement) -> bool:
    """The element's own text opens with a byline label ("By", 「文：」; comments before it
    skipped: "<!-- -->Written by") or holds one inside ("05/10 - Published by: …")."""
    lead = el.text or ""
    if not lead.strip() and len(el) and not isinstance(el[0].tag, str):
        lead = el[0].tail or ""  # after a comment
    if lead.strip() and _BYLINE_START.match(lead.lstrip()):
        return True
    if len(lead) > 8 and _INLINE_LABEL.search(lead):
        return True
    for child in el:
        tail = child.tail
        if tail and len(tail) > 8 and _INLINE_LABEL.search(tail):
            return True
    return False


def _byline(
    tree: HtmlElement, scope: HtmlElement, headline: HtmlElement | None, site_names: list[str], domain: str
) -> list[str]:
    """Names in the article's visible byline: of the elements marked as one (class, id, itemprop,
    rel=author) or opening with a byline label ("By", "Written by", 「文：」) whose text reads as
    names, the one nearest the H1 (one below it before one above: teasers and related stories
    with their own bylines sit further away); in the article first, then the page outside its
    chrome (comments, sidebars, footers and related stories are chrome)."""
    # The elements of the scope, read in its pass: none holds a byline when the page's pass runs
    # (what an element gives does not depend on the root), so that pass skips them. Kept alive,
    # they keep their proxies, which the membership test compares.
    read: set[HtmlElement] = set()
    for root in (scope, tree) if scope is not tree else (tree,):
        found_at: list[tuple[int, list[str]]] = []
        h1_at = None
        skip = read if root is tree else ()
        for position, el in enumerate(root.iter("h1", *_BYLINE_TAGS)):
            if el is headline:
                h1_at = position
            if el.tag == "h1" or el in skip:
                continue
            if root is not tree:
                read.add(el)
            marks = _marks(el) if el.attrib else ""
            marked = bool(marks) and (
                bool(_BYLINE_ATTR.search(marks)) or "author" in (el.get("rel") or "").lower().split()
            )
            if not ((marked and not _NOT_BYLINE.search(marks)) or _labelled(el)):
                continue
            raw = el.text_content()
            if (
                not raw.strip()
                or len(raw) > 300
                or in_chrome(el)
                or next(el.iterancestors("figure"), None) is not None
            ):
                continue
            text = element_text(el)
            found = names_in(text, site_names, domain, strict=True)
            if not found and marked and _AUTHOR_NAME_ATTR.search(marks) and len(text.split()) == 1:
                found = names_in(text, site_names, domain)  # an element that says it holds the name
            if found:
                found_at.append((position, found))
                if h1_at is not None:
                    break  # the first below the H1 is the nearest below it
        if found_at:
            if h1_at is None:
                return found_at[0][1]
            # Distance to the H1 in elements; above it counts double.
            return min(found_at, key=lambda f: f[0] - h1_at if f[0] > h1_at else 2 * (h1_at - f[0]))[1]
    return []


_BYLINE_START = Caseless(
    r"^(?:(?:(?:analysis|opinion|commentary|review|story|text|words|reporting|written|posted|published"
    r"|interview)\s+)?by|(?:publicado|escrito)\s+por|文|筆者|執筆|著者|記者|取材・文|寄稿)(?:\s|[:：=＝・]|$)"
)
assert INLINE_LABEL.flags == re.IGNORECASE | re.UNICODE
_INLINE_LABEL = Caseless(INLINE_LABEL.pattern)


def _authors(
    page: Page,
    article: dict,
    objects: list[dict],
    tree: HtmlElement,
    scope: HtmlElement,
    headline: HtmlElement | None,
    fallback: _Fallback,
    site_names: list[str],
    domain: str,
    paragraphs: list[str],
) -> list[str]:
    """The article's authors, never its outlet: the visible byline (what the reader sees, and what
    the page's editors last touched), else the JSON-LD author, the meta tags, a byline written in
    the text (【ソウル＝山田花子】, "홍길동 기자 hong@…"), else trafilatura's guess."""
    if found := _byline(tree, scope, headline, site_names, domain):
        return found
    found = []
    for name in names(article.get("author"), objects):
        found += names_in(name, site_names, domain, metadata=True)
    if found:
        return list(dict.fromkeys(found))
    for key in META_AUTHOR_KEYS:
        value = squash(page.meta.get(key))
        if value and "://" not in value and (found := names_in(value, site_names, domain, metadata=True)):
            return found
    if found := names_in_text(paragraphs):
        return found
    guessed = names_in(fallback.author() or "", site_names, domain, metadata=True, strict=True)
    # trafilatura also reads commenters' names: one word alone is no byline.
    return [name for name in dict.fromkeys(guessed) if len(name.split()) >= 2 or _CJK_RE.search(name)]


def extract_html(html: str, url: str = "") -> ExtractedArticle:
    """Read the article of an HTML page (shape ``html``); IngestError when the page has none."""
    tree = parse_html(html) if html and html.strip() else None
    if tree is None:
        raise IngestError("HTMLとして読めないか、空のページです")
    page = read_page(tree)
    # Not as_dict: a Document, or None when trafilatura finds no text.
    with taken(tree):
        doc = trafilatura.bare_extraction(tree, url=url or None, **TRAFILATURA_OPTIONS)
    doc = cast("Document | None", doc)
    text = (doc.text or "") if doc is not None else ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if not _has_body(paragraphs):
        raise IngestError(NO_ARTICLE)
    meta = page.meta
    objects = parse_jsonld(page.jsonld)
    article = pick_article(objects)

    canonical = _canonical(page, url)
    domain = domain_of(canonical)
    publisher = _publisher(article, objects)
    fallback = _Fallback(tree, url)
    outlet = _outlet((meta.get("og:site_name"), *publisher)) or _outlet((_guessed_sitename(page, fallback),))
    site_names = [outlet, *publisher, squash(meta.get("application-name")), *registry().names_for(canonical)]
    # A name trafilatura guessed from the title itself says nothing about which part of it is the site.
    guessed = outlet and not _outlet((meta.get("og:site_name"), *publisher))
    title_sites = site_names[1:] if guessed and norm_key(outlet) in norm_key(page.title) else site_names
    context = " ".join([squash(meta.get("og:description") or meta.get("description")), *paragraphs[:4]])
    title, raw_title = _title(page, article, tree, fallback, title_sites, canonical, context)
    if len(paragraphs) > 1 and norm_key(paragraphs[0]) in {norm_key(title), norm_key(raw_title)}:
        paragraphs = paragraphs[1:]  # the headline repeated as the body's first line

    language = normalise_language(tree.get("lang") or tree.get("xml:lang") or tree.get(_XML_LANG))
    language = language or normalise_language(meta.get("og:locale") or meta.get("content-language"))
    default_tz = JST if language == "ja" or domain.endswith(".jp") else UTC

    base = _absolute(page.base, canonical) or canonical
    ld_image, ld_caption = image_of(article.get("image"), objects)
    images = (meta.get("og:image"), meta.get("og:image:url"), meta.get("twitter:image"), ld_image)
    image_url = next((absolute for i in images if (absolute := _absolute(i or "", base))), "")
    descriptions = (meta.get("og:description"), meta.get("description"), article.get("description"))
    description = next((squash(d) for d in descriptions if squash(d)), "")

    lead = "" if _is_repeat(description, paragraphs) else description
    if len(paragraphs) > 1 and _is_standfirst(tree, paragraphs[0]):
        # The standfirst is the lead, not paragraph 1 of the body that translations align with.
        lead, paragraphs = paragraphs[0], paragraphs[1:]

    # The article's H1 and its part of the page, which the date and the byline are looked for in.
    headline = _headline_element(tree)
    scope = _article_scope(tree, headline)
    published_at, date_only = _published_at(
        page, article, tree, scope, headline, fallback, {canonical, url}, default_tz
    )
    authors = _authors(
        page, article, objects, tree, scope, headline, fallback, site_names, domain, paragraphs
    )
    # A byline the page prints as a paragraph of the body (「報道部　野々宮 翔太」) is the author
    # field's, not paragraph 1 that translations align with.
    bylines = [p for p in (paragraphs[:2] + paragraphs[-1:]) if is_byline_paragraph(p, authors)]
    if bylines and len(paragraphs) > len(bylines):
        paragraphs = [p for p in paragraphs if p not in bylines]
    extracted = ExtractedArticle(
        shape="html",
        title=title,
        paragraphs=paragraphs,
        lead=lead,
        author=", ".join(authors),
        outlet=outlet,
        outlet_domain=domain,
        raw_title=page.title or raw_title,
        url=canonical,
        published_at=published_at,
        published_date_only=date_only,
        image_url=image_url,
        caption=_caption(tree, image_url, ld_caption),
        language=language,
    )
    for line in dict.fromkeys(bylines):
        extracted.drop(line, "byline-repeat")
    return extracted


_WARM_UP_PAGE = """<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>
<p>Published 12 March 2024. A paragraph long enough to be read as the body of an article.</p>
<p>A second paragraph, so that the page is not set aside as too short to be an article.</p>
</article></body></html>"""


def warm_up() -> None:
    """Does the one-off work of reading a first page now (at worker start): trafilatura's and
    htmldate's first calls, and htmldate's month-name table, which it builds from every dateparser
    locale (about 0.2 s, then a full garbage collection) on the first page whose date only its
    slowest search finds."""
    extract_html(_WARM_UP_PAGE, "https://newsdesk.invalid/warm-up")
    month_words = getattr(htmldate.extractors, "month_words", None)  # htmldate 1.10 and later
    if month_words is not None:
        month_words()
