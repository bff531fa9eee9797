"""The state the plain-text reader keeps about a pasted page: its lines and what each one is.

:class:`PastedPage` holds the non-blank lines in order, the blank-line-separated block each line
sits in, each line's role (``None`` while no rule has claimed it: such a line is body text) and,
for a line that will be dropped, why. The passes in :mod:`newsdesk.ingest.plaintext` and
:mod:`newsdesk.ingest.pasted_parts` fill it in; the reader turns it into an ``ExtractedArticle``.
"""

from __future__ import annotations

import re
from datetime import UTC

from newsdesk.japanese.dates import JST

from .bylines import AuthorLine, same_person
from .document import ExtractedArticle
from .textlines import Line, has_kana

# Roles whose line goes to ``dropped_lines``, with the reason recorded when the pass gave none.
DROPPED_ROLES = {
    "chrome": "nav",
    "masthead": "masthead",
    "dup": "repeat",
    "spent": "byline-repeat",
    "pull-quote": "pull-quote",
    "pull-quote-speaker": "pull-quote-speaker",
    "bio-heading": "bio-heading",
    "after-bio": "after-bio",
}


class PastedPage:
    def __init__(self, lines: list[Line], url: str, text: str):
        self.lines = [ln for ln in lines if ln.text]  # non-blank, in order
        self.block = {}  # line index -> paragraph block number (blank-line separated)
        block = 0
        for ln in lines:
            if not ln.text:
                block += 1
            self.block[ln.index] = block
        self.role: list[str | None] = [None] * len(self.lines)
        self.why: dict[int, str] = {}  # line -> why it is dropped (a key of drops.REASONS)
        self.url = url
        self.tz = JST if has_kana(text) else UTC
        self.art = ExtractedArticle(shape="text-article", title="", paragraphs=[])
        self.body_start = len(self.lines)  # the first line of the body, once the lead is known
        # pull quotes and quoted lines of the body: (line, the line it repeats or None, inline name)
        self.quotes: list[tuple[int, int | None, str]] = []

    def text(self, i: int) -> str:
        return self.lines[i].text

    def mark(self, i: int, role: str, why: str = "") -> None:
        self.role[i] = role
        if why:
            self.why[i] = why

    def same_block(self, i: int, j: int) -> bool:
        return self.block[self.lines[i].index] == self.block[self.lines[j].index]

    def adjacent(self, i: int, j: int) -> bool:
        """Line ``j`` directly under line ``i``, no blank line between."""
        return self.lines[j].index == self.lines[i].index + 1

    def free(self, start: int = 0) -> list[int]:
        """The lines from ``start`` on that no rule has claimed yet."""
        return [i for i in range(start, len(self.lines)) if self.role[i] is None]

    def take_author(self, i: int | None, found: AuthorLine) -> bool:
        """Line ``i`` (None: a name inside another line) gives the author: the first author line is
        the byline; one naming the same person again is dropped as a repeat. An author line naming
        someone else is left alone (False): when unsure, the line stays in the body."""
        art = self.art
        if art.author and not same_person(art.author, found.author):
            return False
        role = "byline" if not art.author or (found.outlet and not art.outlet) else "spent"
        art.author = art.author or self.spelled(found.author)
        art.outlet = art.outlet or found.outlet
        if i is not None:
            self.mark(i, role)
        return True

    def spelled(self, name: str) -> str:
        """A name its byline set in capitals, spelt as the page writes it elsewhere (the biography's
        "Min-jun Kim" for "MIN-JUN KIM", given as "Min-Jun Kim"): case is all that may differ."""
        parts = re.split(r"(, | and )", name)  # each of co-authors' names on its own
        for n, part in enumerate(parts):
            for ln in self.lines if n % 2 == 0 else ():
                at = ln.text.casefold().find(part.casefold())
                written = ln.text[at : at + len(part)] if at >= 0 else ""
                if written and not written.isupper() and len(written) == len(part):
                    parts[n] = written
                    break
        return "".join(parts)

    def dropped_reason(self, i: int) -> str:
        role = self.role[i] or ""
        return self.why.get(i) or DROPPED_ROLES.get(role, "")
