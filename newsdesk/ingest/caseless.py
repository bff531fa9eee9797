"""Case-insensitive regular expressions, searched several times faster.

The page readers test the class, id and text of most elements of a page against case-insensitive
expressions, and ``re.IGNORECASE`` makes a search several times slower than a case-sensitive one.
A :class:`Caseless` expression is written in lower case and searched case-sensitively in the
lower-cased text instead, which gives the same answer for its letters (ASCII and Latin-1, checked
for every character): IGNORECASE equates each of them with exactly the characters that
``str.lower()`` turns into it, except İ, ı and ſ (which it equates with i, i and s). ``lower()``
keeps the length of every other text, so the positions, and what ``^``, ``$``, ``\\w``, ``\\s``
and ``[a-z]`` see, stay the same. A text with İ, ı or ſ is searched with the case-insensitive
expression itself.
"""

from __future__ import annotations

import re


class Caseless:
    """``re.compile(pattern, re.IGNORECASE)``, to tell whether it matches."""

    __slots__ = ("exact", "_lowered")

    def __init__(self, pattern: str) -> None:
        literal = re.sub(r"\\.", "", pattern)  # \W, \S and the like are no letters
        if any(c != c.lower() or (c != c.upper() and (ord(c) > 0xFF or c == "µ")) for c in literal):
            raise ValueError(
                f"write the expression in lower case, ASCII and Latin-1 letters only: {pattern!r}"
            )
        self.exact = re.compile(pattern, re.IGNORECASE)
        self._lowered = re.compile(pattern)

    def search(self, text: str) -> bool:
        """Whether the expression matches anywhere in ``text``."""
        if text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text):
            return self._lowered.search(text.lower()) is not None
        return self.exact.search(text) is not None

    def match(self, text: str) -> bool:
        """Whether the expression matches at the start of ``text``."""
        if text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text):
            return self._lowered.match(text.lower()) is not None
        return self.exact.match(text) is not None
