"""Summarizer backends, chosen by dotted path in NEWSDESK_SUMMARIZER.

A backend is a class whose instances have ``summarize(paragraphs, count=None, title="")``
returning bullets, most important first.
"""

from __future__ import annotations

from newsdesk.japanese.summarize import summarize


class ExtractiveSummarizer:
    """Whole sentences of the article, ranked by position, centrality and likeness to the headline."""

    def summarize(self, paragraphs: list[str], count: int | None = None, title: str = "") -> list[str]:
        return summarize(paragraphs, count, title=title or None)
