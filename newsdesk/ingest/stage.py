"""The pipeline's "language" stage: the language of the article's text, which routes translation."""

from __future__ import annotations

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.ingest.language import detect_language


class LanguageStage:
    name = "language"
    label = "言語判定"

    def run(self, article: Article) -> tuple[str, list[str]]:
        if article.paragraphs:
            article.language = detect_language(article.original_title + "\n" + "\n".join(article.paragraphs))
        elif not article.language:  # a curated page states its language; a bare headline says little
            article.language = detect_language(article.original_title)
        return PipelineStage.State.DONE, ["language"]
