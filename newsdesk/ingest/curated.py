"""The curated shape: a page already made by a site like ours, copied as text.

Site name / 「匿名コメント募集中」, Japanese headline, ``•`` summary bullets, the original headline,
``Image1`` and its caption, ``ソース:URL`` (maybe with outlet, author and date lines), the numbered
translation ``1. ...``, then ``コメント`` and everything else of the page. The original text is not
on such a page, so ``paragraphs`` stays empty and the numbered paragraphs go to ``translation``.
"""

from __future__ import annotations

import re

from newsdesk.core.net import domain_of
from newsdesk.japanese.dates import JST, find_dates, is_date_line

from .bylines import parse_byline
from .document import ExtractedArticle, IngestError
from .htmlmeta import date_by_address
from .textlines import (
    URL_RE,
    Line,
    chrome_kind,
    is_footer_heading,
    key,
    script_language,
    source_value,
)

_NUMBERED = re.compile(r"^(?P<n>\d{1,3})\s*[.．、)）](?!\d)\s*(?P<text>.+)$")
_EMPTY_BULLET = re.compile(r"^[.…・‥\s]+$")
_MARKER = "匿名コメント募集中"


def is_curated(lines: list[Line]) -> bool:
    """A curated page: the 「匿名コメント募集中」 line, or bullets, then ``ソース:URL``, then ``1. ...``."""
    if any(key(ln.text) == _MARKER for ln in lines[:15]):
        return True
    # A bullet before a source line is one before it in the text; a numbered line after it, one
    # after it: found once, not again for every source line (quadratic in a paste of many).
    first_bullet = next((i for i, ln in enumerate(lines) if ln.bullet), None)
    if first_bullet is None:
        return False
    last_numbered = next((i for i in range(len(lines) - 1, -1, -1) if _NUMBERED.match(lines[i].text)), None)
    if last_numbered is None:
        return False
    for s in range(first_bullet + 1, last_numbered):
        value = source_value(lines[s].text)
        if value is not None and URL_RE.search(value):
            return True
    return False


def extract_curated(lines: list[Line], url: str = "") -> ExtractedArticle:
    art = ExtractedArticle(shape="curated", title="", paragraphs=[])
    rows = [ln for ln in lines if ln.text]
    adjacent = {rows[i].index for i in range(1, len(rows)) if rows[i].index == rows[i - 1].index + 1}
    first_bullet = next((i for i, ln in enumerate(rows) if ln.bullet), None)
    first_numbered = next(
        (i for i, ln in enumerate(rows) if _NUMBERED.match(ln.text) and not ln.bullet), None
    )
    stage = "head"
    caption: list[str] = []
    # Each numbered paragraph's lines, joined at the end: adding each line to the paragraph's
    # string copied it every time (minutes for a paste of 200,000 lines, found by fuzzing).
    numbered: list[list[str]] = []
    after_image = False
    for i, ln in enumerate(rows):
        text = ln.text
        if stage == "head":
            # everything before the bullets is site chrome, except the headline just above them
            if first_bullet is not None and i < first_bullet:
                is_title = i == first_bullet - 1 and not chrome_kind(text) and key(text) != _MARKER
                if is_title:
                    art.title = text
                else:
                    art.drop(text, chrome_kind(text) or "header")
                continue
            stage = "summary"
        if stage == "summary":
            if ln.bullet:
                if _EMPTY_BULLET.match(text):
                    art.drop(text, "empty-bullet")
                else:
                    art.summary.append(text)
                continue
            stage = "meta"
        if stage == "meta":
            if first_numbered is not None and i >= first_numbered:
                stage = "translation"
            else:
                after_image = _meta_line(art, text, caption, after_image)
                continue
        if stage == "translation":
            m = _NUMBERED.match(text)
            if m and not ln.bullet:
                numbered.append([m.group("text").strip()])
                continue
            if ln.index in adjacent and not chrome_kind(text) and not is_footer_heading(text) and numbered:
                numbered[-1].append(text)  # a numbered paragraph that went on over a line break
                continue
            stage = "tail"
        art.drop(text, "page")  # comments, key figures, related links, share labels: the page
    art.translation = ["\n".join(paragraph) for paragraph in numbered]
    art.caption = "\n".join(caption)
    art.url = art.url or url
    art.outlet_domain = domain_of(art.url)
    date_by_address(art, JST)
    art.language = script_language(art.original_title)
    if not (art.translation or art.summary):
        raise IngestError("編集済みページに要約も番号付きの翻訳もありません：取り込むものがありません")
    return art


def _meta_line(art: ExtractedArticle, text: str, caption: list[str], after_image: bool) -> bool:
    """One line between the summary and the translation; returns whether an image caption may follow."""
    kind = chrome_kind(text)
    value = source_value(text)
    if kind == "image":
        art.drop(text, kind)
        return True
    if kind:
        art.drop(text, kind)
        return after_image
    if value is not None:
        link = URL_RE.search(value)
        if link and not art.url:
            art.url = link.group(0).rstrip(".,、。")
        rest = value.replace(link.group(0), "").strip(" ()（）-–—|,、") if link else value
        if rest and not art.outlet:
            art.outlet = rest
        return False
    if is_date_line(text):
        if art.published_at is None:
            written = find_dates(text, JST)[0]
            art.published_at, art.published_date_only = written.value, not written.has_time
        else:
            art.drop(text, "date-other")
        return False
    if after_image:
        caption.append(text)
        return True
    if not art.original_title and not art.url:
        art.original_title = text
        return False
    author, outlet, _ = parse_byline(text)
    if (author or outlet) and art.url:
        art.author = art.author or author
        art.outlet = art.outlet or outlet
    else:
        art.drop(text, "meta-unknown")
    return False
