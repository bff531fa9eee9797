"""Summarizer backends, chosen by dotted path in NEWSDESK_SUMMARIZER.

A backend is a class whose instances have ``summarize(paragraphs, count=None, title="",
article=None)`` returning bullets, most important first. ``article`` is given when the pipeline
summarizes a stored article (a backend may record its usage against it); the command line
summarizes bare text.
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


class ExtractiveSummarizer:
    """Whole sentences of the article, ranked by position, centrality and likeness to the headline."""

    def summarize(
        self, paragraphs: list[str], count: int | None = None, title: str = "", article: Any = None
    ) -> list[str]:
        return summarize(paragraphs, count, title=title or None)


@functools.cache
def _load(path: str) -> Summarizer:
    return import_string(path)()


def summarizer() -> Summarizer:
    """The configured summarizer (made once per dotted path)."""
    return _load(settings.NEWSDESK["SUMMARIZER"])
