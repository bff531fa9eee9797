"""Plain text copied from a web page, chrome included, read into an :class:`ExtractedArticle`.

Three shapes:

- ``text-article``: site slogans and share labels, headline, caption (often twice), ``Short Url:``,
  date lines, body, the author's biography, navigation lists.
- ``text-byline``: headline, standfirst, an author / outlet / date block, body, biography, and a
  bare domain on the last line.
- ``curated``: a page already made by a site like ours; read by :mod:`newsdesk.ingest.curated`.

Every line ends up in exactly one place: a field (title, lead, caption, ...), the body, or
``dropped_lines`` with the reason (``ExtractedArticle.drop``, :mod:`newsdesk.ingest.drops`). A line
that matches no rule stays in the body: article text is never lost. Author lines, biographies and
pull quotes are read by :mod:`newsdesk.ingest.pasted_parts` and :mod:`newsdesk.ingest.pull_quotes`.
"""

from __future__ import annotations

import re

from newsdesk.core.net import domain_of
from newsdesk.japanese.dates import find_dates, is_date_line, published_label
from newsdesk.sources.registry import registry

from . import curated
from .document import ExtractedArticle, IngestError
from .htmlmeta import date_by_address
from .pasted_page import DROPPED_ROLES, PastedPage
from .pasted_parts import mark_bios, mark_bylines, mark_labelled_authors
from .pull_quotes import mark_pull_quotes, mark_quote_names
from .textlines import (
    URL_RE,
    Line,
    bare_domain,
    chrome_kind,
    is_footer_heading,
    is_prose,
    is_short,
    source_value,
    split_lines,
)

# A photo credit ending a line: （サンプル通信/資料写真）, (Photo: X/File), (AP Photo/X), (Reuters/File)
_CREDIT = re.compile(
    r"[(（][^()（）]*(?:写真|撮影|提供|資料|ファイル)[^()（）]*[)）]$"
    r"|[(（]\s*(?:[^()（）]*?[/:：]\s*)?(?:ap\s+)?(?:photo|image|picture|file|credit|getty)\b[^()（）]*[)）]$"
    r"|^(?:photo|image|picture|credit|写真|画像|キャプション|caption)\s*[:：]",
    re.I,
)
_META = {"date", "byline", "spent", "caption", "dup", "chrome"}  # what sits between headline/lead and body


def extract_text(text: str, url: str = "") -> ExtractedArticle:
    """Read pasted page text; raise :class:`IngestError` when it holds no article text."""
    if not text or not text.strip():
        raise IngestError("テキストが空です：読み取る記事がありません")
    lines = split_lines(text)
    if curated.is_curated(lines):
        return curated.extract_curated(lines, url)
    return _Reader(lines, url, text).read()


class _Reader(PastedPage):
    # -- the passes, in order ----------------------------------------------------------------------

    def read(self) -> ExtractedArticle:
        self._mark_chrome()
        self._mark_masthead()
        self._mark_header()
        self._mark_repeats()
        self._mark_dates_sources_captions()
        mark_labelled_authors(self)
        title = self._find_title()
        mark_bylines(self, title)
        self._mark_lead_and_top(title)
        self._mark_footer()
        mark_pull_quotes(self)  # the body's copies out first: the biography is sought in its last lines
        mark_bios(self)
        mark_quote_names(self)  # after the biography, which may have named the author
        return self._build(title)

    def _mark_chrome(self) -> None:
        for i, ln in enumerate(self.lines):
            kind = chrome_kind(ln.text)
            if kind:
                self.mark(i, "chrome", kind)

    def _mark_masthead(self) -> None:
        """A known outlet's masthead, tagline or copyright line (「The Japan Times」, 「ALL THE NEWS
        WITHOUT FEAR OR FAVOR」) names the outlet and is dropped; page chrome stays chrome."""
        for i, ln in enumerate(self.lines):
            entry = registry().for_line(ln.text) if self.role[i] in (None, "chrome") else None
            if entry is None:
                continue
            if not self.art.outlet:
                self.art.outlet = ln.text if registry().for_name(ln.text) is entry else entry.en
            self.role[i] = self.role[i] or "masthead"

    def _mark_header(self) -> None:
        """Site name and slogans: short lines in the leading blocks that hold share/nav/slogan lines."""
        # The lines of each block, found once (not by a walk over the rest of the page for every
        # block, quadratic in a paste of many short chrome blocks).
        blocks: dict[int, list[int]] = {}
        for j, ln in enumerate(self.lines):
            blocks.setdefault(self.block[ln.index], []).append(j)
        i = 0
        while i < len(self.lines):
            members = blocks[self.block[self.lines[i].index]]
            chrome = [j for j in members if self.role[j] == "chrome"]
            if not chrome and all(self.role[j] == "masthead" for j in members):
                i = members[-1] + 1  # a block of masthead and tagline alone: the header goes on
                continue
            # Only chrome above the block's first line of article text heads the page: a paste
            # with no blank line is one block, and its share line at the end heads nothing.
            prose = next((j for j in members if is_prose(self.lines[j].text)), members[-1] + 1)
            chrome = [j for j in chrome if j < prose]
            if not chrome:
                return
            for j in members:
                if j < chrome[-1] and self.role[j] is None and is_short(self.lines[j].text, 80):
                    self.mark(j, "chrome", "header")
            if chrome[-1] != members[-1]:
                return  # text follows the chrome in this block: the article starts here
            i = members[-1] + 1

    def _mark_repeats(self) -> None:
        self.repeated: set[int] = set()  # first line of a pair repeated on consecutive lines
        prev = None
        for i, ln in enumerate(self.lines):
            if prev is not None and self.role[i] is None and ln.text == self.lines[prev].text:
                self.role[i] = "dup"
                self.repeated.add(prev)
                continue
            prev = i

    def _mark_dates_sources_captions(self) -> None:
        last = max((i for i, r in enumerate(self.role) if r is None), default=None)
        for i, ln in enumerate(self.lines):
            if self.role[i] is not None:
                continue
            if is_date_line(ln.text):
                self.role[i] = "date"
            elif source_value(ln.text) is not None:
                self.role[i] = "source"
            elif i == last and bare_domain(ln.text):
                self.role[i] = "domain"
            elif _CREDIT.search(ln.text) and len(ln.text) <= 200 and ln.text.count("。") <= 1:
                self.role[i] = "caption"
        for i, ln in enumerate(self.lines):  # the line after an ``Image1`` marker is its caption
            nxt = i + 1
            if (
                chrome_kind(ln.text) == "image"
                and nxt < len(self.lines)
                and self.role[nxt] is None
                and len(self.lines[nxt].text) <= 200
            ):
                self.role[nxt] = "caption"

    def _find_title(self) -> int | None:
        for i, ln in enumerate(self.lines):
            if self.role[i] is None:
                text = ln.text
                not_headline = len(text) > 200 or "。" in text or (is_prose(text) and len(text) > 60)
                return None if not_headline else i
        return None

    def _mark_lead_and_top(self, title: int | None) -> None:
        """Lead: up to 3 lines between the headline and a caption/byline/date block that body text follows."""
        start = -1 if title is None else title
        lead: list[int] = []
        seen_meta = False
        for i in range(start + 1, len(self.lines)):
            role = self.role[i]
            if role is not None:
                footer = role == "chrome" and (
                    is_footer_heading(self.lines[i].text) or chrome_kind(self.lines[i].text) == "copyright"
                )
                seen_meta = seen_meta or (role in _META and not footer)
                continue
            if i in self.repeated and len(self.lines[i].text) <= 250:
                self.role[i] = "caption"
                seen_meta = True
                continue
            if not seen_meta and len(lead) < 3 and title is not None:
                lead.append(i)
                if sum(len(self.lines[j].text) for j in lead) <= 500:
                    continue
                seen_meta = False  # too long for a standfirst: it is the body
            if seen_meta and lead:
                for j in lead:
                    self.role[j] = "lead"
                self.art.lead = "\n".join(self.lines[j].text for j in lead)
                self.body_start = i
            else:
                self.body_start = lead[0] if lead else i
            return
        self.body_start = lead[0] if lead else len(self.lines)

    def _mark_footer(self) -> None:
        in_footer = False
        for i in range(self.body_start, len(self.lines)):
            text = self.lines[i].text
            if self.role[i] == "chrome" and is_footer_heading(text):
                in_footer = True
            elif in_footer and self.role[i] is None:
                if is_prose(text):
                    in_footer = False
                else:
                    self.mark(i, "chrome", "footer")

    # -- assembling the article --------------------------------------------------------------------

    def _build(self, title: int | None) -> ExtractedArticle:
        art = self.art
        if title is not None:
            self.role[title] = "title"
            art.title = self.lines[title].text
        dates = [i for i, r in enumerate(self.role) if r == "date"]
        chosen = next((i for i in dates if published_label(self.lines[i].text)), dates[0] if dates else None)
        if chosen is not None:
            written = find_dates(self.lines[chosen].text, self.tz)[0]
            art.published_at, art.published_date_only = written.value, not written.has_time
        body: list[Line] = []
        for i, ln in enumerate(self.lines):
            role = self.role[i]
            if role is None:
                body.append(ln)
            elif role == "caption":
                if art.caption:
                    art.drop(ln.text, "caption-repeat")
                else:
                    art.caption = ln.text
            elif role == "source" and not self._take_source(ln.text):
                art.drop(ln.text, "source-repeat")  # a second source line: the first one won
            elif role == "domain":
                found = bare_domain(ln.text)
                assert found is not None  # the role is only given to a line bare_domain reads
                host, link = found
                if art.outlet_domain and (art.url or not link):
                    art.drop(ln.text, "domain-repeat")  # the source line already said it
                art.outlet_domain = art.outlet_domain or host
                art.url = art.url or link
            elif role == "date" and i != chosen:
                art.drop(ln.text, "date-other")
            elif role in DROPPED_ROLES:
                art.drop(ln.text, self.dropped_reason(i))
        art.url = art.url or self.url
        art.outlet_domain = art.outlet_domain or domain_of(art.url)
        date_by_address(art, self.tz)
        art.paragraphs = self._paragraphs(body)
        if not art.paragraphs:
            seen = f"見出し「{art.title}」と" if art.title else ""
            raise IngestError(
                f"記事の本文が見つかりません（{seen}ページの飾り {len(art.dropped_lines)} 行だけでした）"
            )
        if any(r == "byline" for r in self.role):
            art.shape = "text-byline"
        return art

    def _take_source(self, text: str) -> bool:
        """Reads a ``Source:`` line into url/outlet; False when it had nothing new to give."""
        value = source_value(text) or ""
        used = False
        link = URL_RE.search(value)
        if link:
            if not self.art.url:
                self.art.url = link.group(0).rstrip(".,、。")
                self.art.outlet_domain = self.art.outlet_domain or domain_of(self.art.url)
                used = True
            value = value.replace(link.group(0), "")
        value = value.strip(" ()（）-–—|,、")
        if value and not self.art.outlet and len(value) <= 60:
            self.art.outlet = value
            used = True
        return used

    def _paragraphs(self, body: list[Line]) -> list[str]:
        """One paragraph per line; an English line hard-wrapped mid-sentence joins the next one."""
        out: list[str] = []
        prev: Line | None = None
        for ln in body:
            joins = (
                prev is not None
                and out
                and ln.index == prev.index + 1
                and not ln.bullet
                and ln.text[:1].islower()
                and not out[-1].endswith((".", "!", "?", "。", ":", '"', "”"))
            )
            if joins:
                out[-1] = f"{out[-1]} {ln.text}"
            else:
                out.append(ln.text)
            prev = ln
        return out


__all__ = ["extract_text"]
