"""The pipeline's "summarize" stage: the bullet summary, written by the configured summarizer.

It is the one place that writes ``Article.summary``; an editor's bullets (or a curated page's)
are kept as they are, however many, and it waits while the article has no Japanese text. The
summarizer gets the article, so that its bullets do not repeat the lead shown above them.
"""

from __future__ import annotations

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.summaries.backends import summarizer

State = PipelineStage.State


class SummarizeStage:
    name = "summarize"
    label = "要約"
    waiting = "日本語の本文待ち"

    def run(self, article: Article) -> tuple[str, list[str]]:
        if article.summary:
            return State.DONE, []
        text = article.japanese_paragraphs
        if not text:
            return State.WAITING, []
        article.summary = summarizer().summarize(text, title=article.title, article=article)
        return State.DONE, ["summary"]
