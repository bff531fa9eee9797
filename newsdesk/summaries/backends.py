"""Summarizer backends, chosen by dotted path in NEWSDESK_SUMMARIZER.

A backend is a class whose instances have ``summarize(paragraphs, count=None, title="",
article=None)`` returning one-sentence bullets (3-10 by the article's length, or ``count``) in
the article's order, none opening with a word that points back at a sentence the reader has not
been shown. ``article`` is given when the pipeline summarizes a stored article: a backend may
record its usage against it, and does not repeat its lead (standfirst), which the page shows
above the bullets. The command line summarizes bare text.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from newsdesk.japanese.summarize import summarize


class Summarizer(Protocol):
    def summarize(
        self, paragraphs: list[str], count: int | None = None, title: str = "", article: Any = None
    ) -> list[str]: ...


def lead_of(article: Any) -> str:
    """The lead a Japanese reader is shown above the bullets ("" without an article or a lead)."""
    if article is None:
        return ""
    return article.lead_ja or (article.lead if article.is_japanese else "")


class ExtractiveSummarizer:
    """Sentences of the article, picked by position, centrality, likeness to the headline and
    coverage of the whole text, in the article's order (:mod:`newsdesk.japanese.summarize`)."""

    def summarize(
        self, paragraphs: list[str], count: int | None = None, title: str = "", article: Any = None
    ) -> list[str]:
        return summarize(paragraphs, count, title=title or None, lead=lead_of(article) or None)


@functools.cache
def _load(path: str) -> Summarizer:
    return import_string(path)()


def summarizer() -> Summarizer:
    """The configured summarizer (made once per dotted path)."""
    return _load(settings.NEWSDESK["SUMMARIZER"])
