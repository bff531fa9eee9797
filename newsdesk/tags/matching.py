"""Which tags an article's text calls for: keywords matched over normalised text, no database.

Text and keywords both go through the search's ``normalize`` (NFKC, then lower case, from
:mod:`newsdesk.japanese.normalize`), so ＡＩ, ＰＭ２．５ and Semiconductor match ai, pm2.5 and
semiconductor. Like the gazetteer's names, a keyword that begins or ends with a Latin letter, a
digit or katakana only matches where the text does not run on in the same script (タイ is not in
タイミング, ai is not in said); a Latin keyword also matches its English plural (semiconductor in
semiconductors).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set

from newsdesk.japanese.normalize import is_katakana, normalize

_LATIN = "0-9a-z"
_KATAKANA = "\u30a1-\u30fa\u30fc"  # ァ to ヺ, and the long vowel mark ー


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def split_keywords(text: str) -> list[str]:
    """The keywords of a tag's keyword field: one per line, blank lines ignored."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def keyword_pattern(keyword: str) -> str:
    """A regular expression for one keyword over normalised text; empty for a blank keyword."""
    words = normalize(keyword).split()
    if not words:
        return ""
    # Any run of white space between words: a line break in the text is as good as a space.
    body = r"\s+".join(re.escape(word) for word in words)
    first, last = words[0][0], words[-1][-1]
    if _is_latin(first):
        body = f"(?<![{_LATIN}])" + body
    elif is_katakana(first):
        body = f"(?<![{_KATAKANA}])" + body
    if _is_latin(last):
        plural = "(?:e?s)?" if last.isalpha() else ""
        body += f"{plural}(?![{_LATIN}])"
    elif is_katakana(last):
        body += f"(?![{_KATAKANA}])"
    return body


def compile_keywords(keywords: Iterable[str]) -> re.Pattern | None:
    """One pattern that finds any of ``keywords``; None when there is none."""
    patterns = sorted({pattern for keyword in keywords if (pattern := keyword_pattern(keyword))})
    return re.compile("|".join(patterns)) if patterns else None


class Matcher:
    """Every tag's keywords and linked entities, built once and applied to many articles."""

    def __init__(self, keywords: dict[int, Iterable[str]], entities: dict[int, set[int]]) -> None:
        self.tag_ids = set(keywords) | set(entities)
        self._patterns = {
            tag_id: pattern for tag_id, words in keywords.items() if (pattern := compile_keywords(words))
        }
        self._entities = {tag_id: ids for tag_id, ids in entities.items() if ids}

    @property
    def uses_entities(self) -> bool:
        return bool(self._entities)

    def match(self, text: str, entity_ids: Set[int] = frozenset()) -> set[int]:
        """The ids of the tags whose keywords occur in ``text`` or whose entities are in ``entity_ids``."""
        norm = normalize(text)
        found = {tag_id for tag_id, pattern in self._patterns.items() if pattern.search(norm)}
        found |= {tag_id for tag_id, ids in self._entities.items() if ids & entity_ids}
        return found
