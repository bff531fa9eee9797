"""Comment text: cleaned once when posted, rendered once to the HTML that is stored and served.

Everything is escaped; the only markup produced is ``<br>``, links for ``http(s)://`` URLs and
``>>N`` anchors to other posts. Any other scheme (``javascript:``, ``data:``) stays plain text.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape

__all__ = ["INVISIBLE", "clean_text", "count_links", "has_controls", "render_body"]

# Bidirectional embeddings, overrides, isolates and marks can disguise text (a reversed file name,
# a link that reads as another); zero-width characters hide words from NG lists and readers.
INVISIBLE = frozenset(
    {"\u061c", "\u180e", "\u200b", "\u200c", "\u200e", "\u200f", "\u2060", "\ufeff"}
    | {chr(c) for c in range(0x202A, 0x202F)}
    | {chr(c) for c in range(0x2061, 0x206A)}
)
# The control characters (Unicode category Cc) other than tab, LF and CR.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What clean_text drops: every control character but LF (CR and tab are replaced before), and
# the invisible characters.
_DROPPED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f" + "".join(sorted(INVISIBLE)) + "]")
ZWJ = "\u200d"
# A zero-width joiner is kept only between pictographs, where it builds emoji (👨‍👩‍👧).
_EMOJI = "\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f"
_LONE_ZWJ = re.compile(f"(?<![{_EMOJI}]){ZWJ}|{ZWJ}(?![{_EMOJI}])")

MAX_ANCHORS = 20

# A URL runs until whitespace or a character that cannot be part of one unescaped; trailing
# punctuation (Japanese included) is handed back to the text.
_URL = r"https?://[^\s<>\"'`{}|\\^\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+"
_ANCHOR = r"(?:>>|＞＞|≫)(?P<no>[0-9０-９]{1,7})"
_TOKEN = re.compile(f"(?P<url>{_URL})|(?P<anchor>{_ANCHOR})", re.IGNORECASE)
_URL_ONLY = re.compile(_URL, re.IGNORECASE)
_TRAILING = ".,;:!?)]'\""


def has_controls(text: str) -> bool:
    """Whether ``text`` carries control characters other than tab, CR and LF."""
    return _CONTROL.search(text) is not None


def clean_text(text: str, keep_newlines: bool = True) -> str:
    """``text`` without control, bidi and zero-width characters; CRLF and CR become LF.

    Newlines are kept when asked (trailing spaces trimmed, at most three in a row), otherwise they
    become spaces; tabs become spaces; the result is stripped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\t", " ")
    text = _LONE_ZWJ.sub("", text)
    text = _DROPPED.sub("", text)
    if not keep_newlines:
        text = text.replace("\n", " ")
    if keep_newlines:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.strip()


def _split_url(url: str) -> tuple[str, str]:
    """The URL without trailing punctuation, and that punctuation (kept as text)."""
    tail = ""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break  # https://ja.wikipedia.org/wiki/Foo_(bar) keeps its closing parenthesis
        tail = url[-1] + tail
        url = url[:-1]
    return url, tail


def count_links(text: str) -> int:
    """How many links :func:`render_body` would make of ``text``."""
    return sum(1 for match in _URL_ONLY.finditer(text) if len(_split_url(match.group())[0]) > len("https://"))


def _text(chunk: str) -> str:
    return escape(chunk).replace("\n", "<br>")


def render_body(text: str) -> tuple[str, list[int]]:
    """The stored HTML of a cleaned body, and the post numbers its ``>>N`` anchors point to."""
    parts: list[str] = []
    replies: list[int] = []
    position = 0
    for match in _TOKEN.finditer(text):
        parts.append(_text(text[position : match.start()]))
        position = match.end()
        if match.group("url"):
            url, tail = _split_url(match.group("url"))
            if len(url) <= len("https://"):
                parts.append(_text(match.group("url")))
                continue
            parts.append(
                f'<a href="{escape(url)}" rel="nofollow ugc noopener" target="_blank">{escape(url)}</a>'
            )
            parts.append(_text(tail))
        else:
            number = int(unicodedata.normalize("NFKC", match.group("no")))
            if number < 1 or (number not in replies and len(replies) >= MAX_ANCHORS):
                parts.append(_text(match.group()))
                continue
            if number not in replies:
                replies.append(number)
            parts.append(
                f'<a class="anchor" href="#c{number}" data-no="{number}">{escape(match.group())}</a>'
            )
    parts.append(_text(text[position:]))
    return "".join(parts), sorted(replies)
