"""Differences between two states of an article's text, for editors: the revision history and a
save refused because the article changed meanwhile.

Each field is a list of items (the headline is a list of one): difflib pairs the items, and a
changed item shows its changed characters (Japanese has no spaces to split words on) as
``<del>``/``<ins>``. Every piece of text is HTML-escaped.
"""

from __future__ import annotations

import dataclasses
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# The fields compared, in page order, with their Japanese labels.
LABELS = {
    "title": "見出し",
    "summary": "要約",
    "paragraphs": "本文（原文）",
    "translation": "本文（翻訳）",
}


@dataclasses.dataclass
class Row:
    kind: str  # "changed", "added" or "removed"
    number: str  # the item's number before -> after, e.g. "2", "2→3", "（新）3"
    old: SafeString
    new: SafeString


@dataclasses.dataclass
class Section:
    field: str
    label: str
    rows: list[Row]
    unchanged: int


def items(value) -> list[str]:
    """A field's value as a list of strings: a list as it is, text as one item, nothing as none."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def inline(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts, escaped, with the characters only one of them has marked."""
    before: list[str] = []
    after: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            before.append(escape(old[i1:i2]))
            after.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            before.append(format_html("<del>{}</del>", old[i1:i2]))
        if j2 > j1:
            after.append(format_html("<ins>{}</ins>", new[j1:j2]))
    return mark_safe("".join(before)), mark_safe("".join(after))  # every piece is escaped above


def _removed(old: list[str], index: int) -> Row:
    return Row("removed", f"{index + 1}→（削除）", format_html("<del>{}</del>", old[index]), mark_safe(""))


def _added(new: list[str], index: int) -> Row:
    return Row("added", f"（追加）→{index + 1}", mark_safe(""), format_html("<ins>{}</ins>", new[index]))


def compare_items(old: list[str], new: list[str]) -> tuple[list[Row], int]:
    """The rows that differ, and how many items are the same in both."""
    rows: list[Row] = []
    unchanged = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            unchanged += i2 - i1
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(paired):
            i, j = i1 + offset, j1 + offset
            number = str(i + 1) if i == j else f"{i + 1}→{j + 1}"
            rows.append(Row("changed", number, *inline(old[i], new[j])))
        rows.extend(_removed(old, i) for i in range(i1 + paired, i2))
        rows.extend(_added(new, j) for j in range(j1 + paired, j2))
    return rows, unchanged


def compare(old: dict, new: dict, fields=None) -> list[Section]:
    """The sections that differ between two states (dicts of field values), in page order."""
    sections = []
    for field in fields or LABELS:
        if field not in old or field not in new:
            continue
        rows, unchanged = compare_items(items(old[field]), items(new[field]))
        if rows:
            sections.append(Section(field, LABELS.get(field, field), rows, unchanged))
    return sections


def changed_labels(old: dict, new: dict, fields=None) -> list[str]:
    """The labels of the fields whose items differ."""
    return [
        LABELS.get(field, field)
        for field in fields or LABELS
        if field in old and field in new and items(old[field]) != items(new[field])
    ]
