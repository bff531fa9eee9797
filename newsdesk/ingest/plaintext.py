"""Plain text copied from a web page, chrome included, read into an :class:`ExtractedArticle`.

Three shapes:

- ``text-article``: site slogans and share labels, headline, caption (often twice), ``Short Url:``,
  date lines, body, the author's biography, navigation lists.
- ``text-byline``: headline, standfirst, an author / outlet / date block, body, biography, and a
  bare domain on the last line.
- ``curated``: a page already made by a site like ours; read by :mod:`newsdesk.ingest.curated`.

Every line ends up in exactly one place: a field (title, lead, caption, ...), the body, or
``dropped_lines``. A line that matches no rule stays in the body: article text is never lost.
"""

from __future__ import annotations

import re
from datetime import UTC

from newsdesk.core.net import domain_of
from newsdesk.japanese.dates import JST, find_dates, is_date_line, published_label

from . import curated
from .bylines import is_outlet_name, is_person_name, parse_bio, parse_byline
from .document import ExtractedArticle, IngestError
from .textlines import (
    URL_RE,
    Line,
    bare_domain,
    chrome_kind,
    has_kana,
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


class _Reader:
    def __init__(self, lines: list[Line], url: str, text: str):
        self.lines = [ln for ln in lines if ln.text]  # non-blank, in order
        self.block = {}  # line index -> paragraph block number (blank-line separated)
        block = 0
        for ln in lines:
            if not ln.text:
                block += 1
            self.block[ln.index] = block
        self.role: list[str | None] = [None] * len(self.lines)
        self.url = url
        self.tz = JST if has_kana(text) else UTC
        self.art = ExtractedArticle(shape="text-article", title="", paragraphs=[])

    # -- the passes, in order ----------------------------------------------------------------------

    def read(self) -> ExtractedArticle:
        self._mark_chrome()
        self._mark_header()
        self._mark_repeats()
        self._mark_dates_sources_captions()
        title = self._find_title()
        self._mark_byline(title)
        self._mark_lead_and_top(title)
        self._mark_footer()
        self._mark_bio()
        return self._build(title)

    def _mark_chrome(self) -> None:
        for i, ln in enumerate(self.lines):
            if chrome_kind(ln.text):
                self.role[i] = "chrome"

    def _mark_header(self) -> None:
        """Site name and slogans: short lines in the leading blocks that hold share/nav/slogan lines."""
        i = 0
        while i < len(self.lines):
            block = self.block[self.lines[i].index]
            members = [j for j in range(i, len(self.lines)) if self.block[self.lines[j].index] == block]
            chrome = [j for j in members if self.role[j] == "chrome"]
            if not chrome:
                return
            for j in members:
                if j < chrome[-1] and self.role[j] is None and is_short(self.lines[j].text, 80):
                    self.role[j] = "chrome"
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

    def _mark_byline(self, title: int | None) -> None:
        start = -1 if title is None else title
        dates = [i for i, r in enumerate(self.role) if r == "date" and i > start]
        if dates:
            d = dates[0]
            block = self.block[self.lines[d].index]
            cands: list[int] = []
            j = d - 1
            while j > start and len(cands) < 3 and self.block[self.lines[j].index] == block:
                if self.role[j] is None:
                    if not is_short(self.lines[j].text, 80):
                        break
                    cands.insert(0, j)
                j -= 1
            j = d + 1
            while j < len(self.lines) and self.block[self.lines[j].index] == block and len(cands) < 4:
                t = self.lines[j].text
                if self.role[j] is None and is_short(t, 80) and (is_person_name(t) or is_outlet_name(t)):
                    cands.append(j)
                j += 1
            self._take_byline(cands, positional=True)
        # ``By Jane Doe`` near the top, with or without a date
        top = [i for i, r in enumerate(self.role) if r is None and i > start][:4]
        for i in top:
            if self.role[i] is None and parse_byline(self.lines[i].text)[2]:
                self._take_byline([i], positional=False)

    def _take_byline(self, cands: list[int], positional: bool) -> None:
        unknown = []
        for j in cands:
            author, outlet, sure = parse_byline(self.lines[j].text)
            if not (author or outlet):
                unknown.append(j)
                continue
            if positional and author and not outlet and self.art.author and not self.art.outlet:
                author, outlet = "", self.lines[j].text  # a second "name" under the author is the outlet
            used = (author and not self.art.author) or (outlet and not self.art.outlet)
            self.role[j] = "byline" if used else "spent"  # a second byline tells nothing new: dropped
            self.art.author = self.art.author or author
            self.art.outlet = self.art.outlet or outlet
        # "Name / Outlet" stacked above a date: a line no rule knows is the outlet when a name was found
        if positional and self.art.author and not self.art.outlet and len(unknown) == 1:
            j = unknown[0]
            if j > min(cands) and is_short(self.lines[j].text, 60):
                self.role[j] = "byline"
                self.art.outlet = self.lines[j].text

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
                    self.role[i] = "chrome"

    def _mark_bio(self) -> None:
        tail = [i for i, r in enumerate(self.role) if r is None and i >= self.body_start][-2:]
        for i in reversed(tail):
            found = parse_bio(self.lines[i].text)
            if found:
                self.role[i] = "bio"
                self.art.author_bio = self.lines[i].text
                self.art.author = self.art.author or found[0]
                self.art.outlet = self.art.outlet or found[1]
                return

    # -- assembling the article --------------------------------------------------------------------

    def _build(self, title: int | None) -> ExtractedArticle:
        art = self.art
        if title is not None:
            self.role[title] = "title"
            art.title = self.lines[title].text
        dates = [i for i, r in enumerate(self.role) if r == "date"]
        chosen = next((i for i in dates if published_label(self.lines[i].text)), dates[0] if dates else None)
        if chosen is not None:
            art.published_at = find_dates(self.lines[chosen].text, self.tz)[0].value
        body: list[Line] = []
        for i, ln in enumerate(self.lines):
            role = self.role[i]
            if role is None:
                body.append(ln)
            elif role == "caption":
                if art.caption:
                    art.dropped_lines.append(ln.text)
                else:
                    art.caption = ln.text
            elif role == "source" and not self._take_source(ln.text):
                art.dropped_lines.append(ln.text)  # a second source line: the first one won
            elif role == "domain":
                found = bare_domain(ln.text)
                assert found is not None  # the role is only given to a line bare_domain reads
                host, link = found
                if art.outlet_domain and (art.url or not link):
                    art.dropped_lines.append(ln.text)  # the source line already said it
                art.outlet_domain = art.outlet_domain or host
                art.url = art.url or link
            elif role in ("chrome", "dup", "spent") or (role == "date" and i != chosen):
                art.dropped_lines.append(ln.text)
        art.url = art.url or self.url
        art.outlet_domain = art.outlet_domain or domain_of(art.url)
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
