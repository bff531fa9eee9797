"""Fuzzing comment text: ``clean_text``, ``render_body``, ``count_links``, the name and tripcode
(``parse_name``) and the comment form that runs them.

The rendered HTML holds no markup but ``<br>``, ``http(s)`` links and ``>>N`` anchors, and reads
back as exactly the text posted; a cleaned text has no control, bidi or zero-width character; a
name never shows a real trip mark it did not earn. Lone surrogates reach ``clean_text`` and
``render_body`` here; the name is hashed as UTF-8, and the API refuses a lone surrogate before it
gets there (tests/test_comment_api_refusals.py), as a form's decoded POST never holds one.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.comments.forms import NAME_CHARS, CommentForm
from newsdesk.comments.identity import FAKE_TRIP_MARK, TRIP_KEY_CHARS, TRIP_MARK, parse_name
from newsdesk.comments.render import (
    INVISIBLE,
    MAX_ANCHORS,
    clean_text,
    count_links,
    has_controls,
    render_body,
)
from tests.fuzz.harness import FUZZ, deadline
from tests.fuzz.strategies import comment_text

pytestmark = pytest.mark.fuzz

_LINK = re.compile(
    r'<a href="((?i:https?)://[^"<>]*)" rel="nofollow ugc noopener" target="_blank">([^<>]*)</a>'
)
_ANCHOR = re.compile(r'<a class="anchor" href="#c(\d+)" data-no="(\d+)">([^<>]*)</a>')


class _Markup(HTMLParser):
    """Every tag and attribute in a piece of HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def check_rendered(text: str, rendered: str, replies: list[int]) -> None:
    # Only the three kinds of markup, and nothing else that a browser would read as a tag.
    bare = _ANCHOR.sub(lambda m: m[3], _LINK.sub(lambda m: m[2], rendered)).replace("<br>", "\n")
    assert "<" not in bare and ">" not in bare, "markup the renderer did not make"
    assert html.unescape(bare) == text, "the rendered text reads back as the text posted"
    parser = _Markup()
    parser.feed(rendered)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ("a", "br"), tag
        for name, value in attrs:
            assert not name.startswith("on") and name in ("href", "rel", "target", "class", "data-no")
            if name == "href":
                assert value is not None and value.lower().startswith(("http://", "https://", "#c"))
    assert "<script" not in rendered.lower()
    assert replies == sorted(set(replies)) and len(replies) <= MAX_ANCHORS
    assert all(n >= 1 for n in replies)
    assert {int(m[1]) for m in _ANCHOR.finditer(rendered)} == set(replies)
    assert len(_LINK.findall(rendered)) == count_links(text)


@FUZZ
@given(text=comment_text(surrogates=True), keep_newlines=st.booleans())
def test_clean_text_leaves_no_control_or_invisible_character(text, keep_newlines):
    with deadline(len(text)):
        cleaned = clean_text(text, keep_newlines)
        again = clean_text(cleaned, keep_newlines)
    assert not has_controls(cleaned)
    assert "\t" not in cleaned and "\r" not in cleaned
    assert not INVISIBLE & set(cleaned)
    assert cleaned == cleaned.strip()
    assert again == cleaned, "cleaning twice changes nothing"
    if keep_newlines:
        assert "\n\n\n\n" not in cleaned
        assert all(line == line.rstrip() for line in cleaned.split("\n"))
    else:
        assert "\n" not in cleaned


@FUZZ
@given(text=comment_text(surrogates=True))
def test_render_body_makes_only_its_own_markup(text):
    body = clean_text(text)
    with deadline(len(text)):
        rendered, replies = render_body(body)
    check_rendered(body, rendered, replies)


@FUZZ
@given(text=comment_text(surrogates=True))
def test_render_body_of_uncleaned_text_is_still_inert(text):
    """The renderer on text that skipped cleaning (a row written by an older version, an import)."""
    with deadline(len(text)):
        rendered, replies = render_body(text)
    check_rendered(text, rendered, replies)


@FUZZ
@given(raw=st.one_of(st.none(), comment_text()))
def test_parse_name_never_forges_a_trip(raw):
    with deadline(len(raw or "")):
        name, trip = parse_name(raw)
    assert TRIP_MARK not in name
    assert not has_controls(name) and "\n" not in name
    assert trip == "" or (trip.startswith(TRIP_MARK) and len(trip) == 9)
    if raw and "#" not in raw and "＃" not in raw:
        assert trip == ""
    if TRIP_MARK in (raw or "").split("#")[0].split("＃")[0]:
        assert FAKE_TRIP_MARK in name, "a typed trip mark is shown as the other mark"


@FUZZ
@given(name=comment_text(), body=comment_text())
def test_the_comment_form_accepts_clean_text_or_says_why(name, body):
    with deadline(len(name) + len(body)):
        form = CommentForm(data={"name": name, "body": body})
        valid = form.is_valid()
    if not valid:
        assert form.errors and set(form.errors) <= {"name", "body"}
        return
    cleaned_body, cleaned_name = form.cleaned_data["body"], form.cleaned_data["name"]
    assert cleaned_body and len(cleaned_body) <= settings.NEWSDESK["COMMENT_MAX_CHARS"]
    assert not has_controls(cleaned_body) and not has_controls(cleaned_name)
    shown, trip = parse_name(cleaned_name)
    assert len(shown) <= NAME_CHARS
    assert TRIP_MARK not in shown and (not trip or len(cleaned_name) <= NAME_CHARS + 1 + TRIP_KEY_CHARS)
    check_rendered(cleaned_body, *render_body(cleaned_body))
