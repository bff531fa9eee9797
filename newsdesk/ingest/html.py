"""Read an article out of an HTML page: body through trafilatura, metadata from the page's own tags.

The page is parsed once (trafilatura's loader, lxml); the metadata is read from that tree and the
same tree is handed to ``trafilatura.bare_extraction`` (which works on its own copy), so nothing is
parsed twice.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

import trafilatura
from htmldate import find_date
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.metadata import extract_author, extract_sitename, extract_title
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import load_html

from newsdesk.core.net import domain_of
from newsdesk.japanese.dates import JST

from .document import ExtractedArticle, IngestError
from .htmlmeta import (
    choose_date,
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
    link = (link or "").strip()
    if not link or link.startswith("data:"):
        return ""
    if link.startswith("//"):
        return f"{urlsplit(base).scheme or 'https'}:{link}"
    absolute = urljoin(base, link) if base else link
    return absolute if absolute.startswith(("http://", "https://")) else ""


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
    canonical_path, given_path = urlsplit(canonical).path.rstrip("/"), urlsplit(given).path.rstrip("/")
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
    stem = urlsplit(image_url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0] if image_url else ""
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


def _first_time(tree: HtmlElement) -> str:
    """datetime of the <time> marked datePublished, else of the first one in an <article>, else the first."""
    times = [el for el in tree.iter("time") if el.get("datetime")]
    for el in times:
        if "datepublished" in (el.get("itemprop") or "").lower():
            return el.get("datetime")
    for el in times:
        if any(True for _ in el.iterancestors("article")):
            return el.get("datetime")
    return times[0].get("datetime") if times else ""


def _body_weight(paragraphs: list[str]) -> float:
    text = "\n".join(paragraphs)
    return len(_LATIN_WORD_RE.findall(text)) + len(_CJK_RE.findall(text)) / 2


# Headings under the headline, and blocks whose class marks them as a standfirst (lxml evaluates
# the regular expression in C, which matters on pages with thousands of elements).
_STANDFIRST_CANDIDATES = XPath(
    "//h2 | //h3 | //*[self::p or self::div]"
    "[re:test(@class, 'dek|standfirst|sub-?title|subhead|summary|lede|lead|excerpt|intro', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)


def _is_standfirst(tree: HtmlElement, line: str) -> bool:
    """The line is the page's standfirst: a heading below the headline or a block marked as one."""
    key = norm_key(line)
    candidates = cast("list[HtmlElement]", _STANDFIRST_CANDIDATES(tree))  # the expression selects elements
    return any(norm_key(element.text_content()) == key for element in candidates)


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


class _Fallback:
    """trafilatura's own readings of title, author, site name and date, each made only when the page's
    explicit metadata leaves that field empty: the date search (htmldate) alone can cost as much as
    the body extraction."""

    def __init__(self, tree: HtmlElement, url: str) -> None:
        self._tree, self._url = tree, url

    def title(self) -> str:
        return squash(extract_title(self._tree))

    def author(self) -> str:
        return extract_author(self._tree) or ""

    def sitename(self) -> str:
        return extract_sitename(self._tree) or ""

    def date(self) -> str:
        params = {**set_date_params(True), "url": self._url or None}
        return find_date(deepcopy(self._tree), **params) or ""


def _title(
    page: Page, article: dict, fallback: _Fallback, site_names: list[str], domain: str
) -> tuple[str, str]:
    """(clean title, title as found): og:title, JSON-LD headline, twitter:title, <title>, trafilatura."""
    meta = page.meta
    found = (meta.get("og:title"), article.get("headline"), meta.get("twitter:title"), page.title)
    raw = next((squash(t) for t in found if squash(t)), "") or fallback.title()
    return clean_title(raw, site_names, domain), raw


def _published_at(
    page: Page, article: dict, tree: HtmlElement, fallback: _Fallback, urls: set[str], tz: tzinfo
) -> datetime | None:
    evidence = [parse_date(article.get("datePublished"), "jsonld")]
    evidence += [parse_date(page.meta[key], "meta") for key in DATE_META_KEYS if key in page.meta]
    evidence += [parse_date(_first_time(tree), "time")]
    evidence += [url_date(u) for u in urls if u]
    if not any(evidence):
        evidence.append(parse_date(fallback.date(), "trafilatura"))
    return choose_date([e for e in evidence if e], tz)


def _authors(page: Page, article: dict, objects: list[dict], fallback: _Fallback, outlet: str) -> list[str]:
    authors = [a for a in names(article.get("author"), objects) if norm_key(a) != norm_key(outlet)]
    meta_author = squash(page.meta.get("author"))
    if not authors and meta_author and "://" not in meta_author:
        authors = [meta_author]
    if not authors and (found := fallback.author()):
        authors = [squash(a) for a in found.split(";") if squash(a)]
    return authors


def extract_html(html: str, url: str = "") -> ExtractedArticle:
    """Read the article of an HTML page (shape ``html``); IngestError when the page has none."""
    tree = load_html(html) if html and html.strip() else None
    if tree is None:
        raise IngestError("HTMLとして読めないか、空のページです")
    page = read_page(tree)
    # Not as_dict: a Document, or None when trafilatura finds no text.
    doc = cast("Document | None", trafilatura.bare_extraction(tree, url=url or None, **TRAFILATURA_OPTIONS))
    text = (doc.text or "") if doc is not None else ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if not paragraphs or _body_weight(paragraphs) < MIN_BODY_WEIGHT:
        raise IngestError(NO_ARTICLE)
    meta = page.meta
    objects = parse_jsonld(page.jsonld)
    article = pick_article(objects)

    canonical = _canonical(page, url)
    domain = domain_of(canonical)
    publisher = _publisher(article, objects)
    fallback = _Fallback(tree, url)
    outlet = _outlet((meta.get("og:site_name"), *publisher)) or _outlet((fallback.sitename(),))
    site_names = [outlet, *publisher, squash(meta.get("application-name"))]
    title, raw_title = _title(page, article, fallback, site_names, domain)
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

    return ExtractedArticle(
        shape="html",
        title=title,
        paragraphs=paragraphs,
        lead=lead,
        author=", ".join(_authors(page, article, objects, fallback, outlet)),
        outlet=outlet,
        outlet_domain=domain,
        url=canonical,
        published_at=_published_at(page, article, tree, fallback, {canonical, url}, default_tz),
        image_url=image_url,
        caption=_caption(tree, image_url, ld_caption),
        language=language,
    )
