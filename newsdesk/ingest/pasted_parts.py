"""The parts of a pasted page around the article text: author lines, biographies, pull quotes.

Each pass claims lines of a :class:`PastedPage` (see :mod:`newsdesk.ingest.plaintext` for the
order). The rules, each general:

- **Author lines** (:func:`mark_labelled_authors`, :func:`mark_bylines`, :func:`mark_quote_names`):
  a line that says it is one (``By``, ``Written by``, 「文：」「筆者：」「取材・文：」, 「山田花子記者」,
  「【ソウル＝山田花子】」) wherever it stands; a name stacked above or below the date; a name alone
  (``Hanako Yamada``, ``HANAKO YAMADA``, 「山田 花子」) near the headline, before the body's second
  sentence line; a name alone under a pull quote. Never a sentence that merely names someone.
- **Biographies** (:func:`mark_bios`): a heading (■プロフィール, About the author) and the lines
  under it; or, at the end of the article, a line saying who the author is (with or without a
  bullet) or a Japanese profile block. Short lines after the biography are the page's lists.

Pull quotes, and the name under one, are read by :mod:`newsdesk.ingest.pull_quotes`.
"""

from __future__ import annotations

from .bios import bio_heading, is_career_line, parse_bio, profile_name, reads_as_bio
from .bylines import (
    author_line,
    capitals_to_title,
    is_outlet_name,
    is_person_name,
    parse_byline,
)
from .pasted_page import PastedPage
from .textlines import is_footer_heading, is_prose, is_short, match_key

# --- author lines ---------------------------------------------------------------------------------


def mark_labelled_authors(page: PastedPage) -> None:
    """Author lines that say they are one (a label, a staff title, a credit), wherever they stand
    before the page's footer lists (a list heading after article text: 「最新」 in the masthead's
    menu is no footer); run before the headline is chosen, so a byline above it is not taken for it."""
    text_seen = False
    for i in range(len(page.lines)):
        if text_seen and is_footer_heading(page.text(i)):
            return
        text_seen = text_seen or is_prose(page.text(i))
        found = author_line(page.text(i)) if page.role[i] is None else None
        if found and found.sure:
            page.take_author(i, found)


def mark_bylines(page: PastedPage, title: int | None) -> None:
    """Names and outlets stacked with the date under the headline, then a name alone near it."""
    start = -1 if title is None else title
    dates = [i for i, r in enumerate(page.role) if r == "date" and i > start]
    if dates:
        d = dates[0]
        cands: list[int] = []
        j = d - 1
        while j > start and len(cands) < 3 and page.same_block(j, d):
            if page.role[j] is None:
                if not is_short(page.text(j), 80):
                    break
                cands.insert(0, j)
            j -= 1
        j = d + 1
        while j < len(page.lines) and page.same_block(j, d) and len(cands) < 4:
            t = page.text(j)
            if page.role[j] is None and is_short(t, 80) and (is_person_name(t) or is_outlet_name(t)):
                cands.append(j)
            j += 1
        _take_stacked(page, cands)
    # A name alone on its line near the headline: right under it or under the standfirst (one
    # sentence line may come first; a name after two is inside the article, not a byline).
    if title is None:
        return
    sentences = 0
    for i in page.free(title + 1)[:3]:
        if _sentence(page.text(i)):
            sentences += 1
            if sentences > 1:
                break
            continue
        found = author_line(page.text(i))
        if found and _byline_place(page, i, title, found.author):
            page.take_author(i, found)


def _sentence(text: str) -> bool:
    return not is_short(text, 80)


def _byline_place(page: PastedPage, i: int, title: int, name: str) -> bool:
    """Where a byline stands: under the headline, the standfirst or the date, with the article or
    the date right below. A name between short lines is a menu's item ("Real Estate", "Contact
    Us"), and one the headline holds is the outlet in the headline's suffix."""
    above, below = i - 1, i + 1
    up = above == title or page.role[above] == "date" or _sentence(page.text(above))
    down = below < len(page.lines) and (
        page.role[below] in ("date", "caption") or _sentence(page.text(below))
    )
    return up and down and match_key(name) not in match_key(page.text(title))


def _take_stacked(page: PastedPage, cands: list[int]) -> None:
    art = page.art
    unknown = []
    for j in cands:
        author, outlet, _ = parse_byline(page.text(j))
        if not (author or outlet):
            unknown.append(j)
            continue
        if author and not outlet and art.author and not art.outlet:
            author, outlet = "", page.text(j)  # a second "name" under the author is the outlet
        used = (author and not art.author) or (outlet and not art.outlet)
        page.mark(j, "byline" if used else "spent")  # a second byline tells nothing new: dropped
        art.author = art.author or capitals_to_title(author)
        art.outlet = art.outlet or outlet
    # "Name / Outlet" stacked above a date: a line no rule knows is the outlet when a name was found
    if art.author and not art.outlet and len(unknown) == 1:
        j = unknown[0]
        if j > min(cands) and is_short(page.text(j), 60):
            page.mark(j, "byline")
            art.outlet = page.text(j)


# --- biographies ----------------------------------------------------------------------------------


def mark_bios(page: PastedPage) -> None:
    if not _bio_under_heading(page):
        _bio_at_end(page)


def _bio_under_heading(page: PastedPage) -> bool:
    """■プロフィール / About the author, then up to four lines, one blank line apart at most, down to
    the last that reads as a biography (a sentence of who the author is, a career, a job title):
    the heading says what they are. Without such a line the "heading" was a menu's item."""
    for i in page.free(page.body_start):
        rest = bio_heading(page.text(i))
        if rest is None:
            continue
        if rest:
            _take_bio(page, [i], rest)
            return True
        lines: list[int] = []
        for j in range(i + 1, min(i + 5, len(page.lines))):
            t = page.text(j)
            if page.role[j] is not None or is_footer_heading(t) or len(t) > 400:
                break
            if page.lines[j].index - page.lines[j - 1].index > 2:
                break  # more than one blank line: something else
            lines.append(j)
        bio = [n for n, j in enumerate(lines) if reads_as_bio(page.text(j))]
        lines = lines[: bio[-1] + 1] if bio else []
        if lines:
            page.mark(i, "bio-heading")
            _take_bio(page, lines)
            after = page.free(lines[-1] + 1)
            if all(is_short(page.text(j), 120) for j in after):
                _drop_after(page, after)  # at the end of the article: the page's lists follow
            return True
    return False


def _bio_at_end(page: PastedPage) -> None:
    """The last lines of the article (never its first): a biography sentence, or a profile block;
    walking back from the end, short lines (link titles, labels, tags) are passed over, and one
    sentence (a disclaimer); a second sentence is the article, and the search stops."""
    free = page.free(page.body_start)
    sentences = 0
    for pos in range(len(free) - 1, max(0, len(free) - 7), -1):
        i, t = free[pos], page.text(free[pos])
        if parse_bio(t):
            first = pos
            while (
                first > 1
                and page.adjacent(free[first - 1], free[first])
                and parse_bio(page.text(free[first - 1]))
            ):
                first -= 1  # one biography per author of a co-written piece
            _take_bio(page, free[first : pos + 1])
            _drop_after(page, free[pos + 1 :])
            return
        if pos > 1 and is_career_line(t) and profile_name(page.text(free[pos - 1])):
            _take_bio(page, [free[pos - 1], i])
            _drop_after(page, free[pos + 1 :])
            return
        if not is_short(t, 120):
            sentences += 1
            if sentences > 1:
                return


def _take_bio(page: PastedPage, lines: list[int], first_text: str = "") -> None:
    art = page.art
    texts = [page.text(j) for j in lines]
    if first_text:
        texts[0] = first_text  # the heading's words before it ("About the author:") are not the bio
    elif len(lines) > 1 and not profile_name(texts[0]):
        # a name alone above the biography is the author line (a reading with it stays: 山田花子（やまだ・はなこ）)
        found = author_line(texts[0])
        if found and page.take_author(lines[0], found):
            lines, texts = lines[1:], texts[1:]
    for j in lines:
        page.mark(j, "bio")
    art.author_bio = "\n".join(texts)
    for t in texts:
        bio = parse_bio(t)
        line = author_line(t)
        name = profile_name(t) or (line.author if line else "")
        if bio:
            art.author = art.author or bio[0]
            art.outlet = art.outlet or bio[1]
        elif name:
            art.author = art.author or capitals_to_title(name)


def _drop_after(page: PastedPage, lines: list[int]) -> None:
    """What follows an author's biography is the page (related links, tags), not the article: short
    lines there are dropped; a sentence stays in the body (a disclaimer, a correction)."""
    for j in lines:
        if is_short(page.text(j), 120):
            page.mark(j, "after-bio")
