"""The pipeline's "translate" stage: the Japanese headline and text of a foreign article.

An editor's translation (entered in the admin or carried by a curated page) completes it;
otherwise the configured machine backend translates, and with the manual backend the article
waits for the editor. A failed machine translation raises, writing nothing: the article waits
in review.
"""

from __future__ import annotations

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.translation import service

State = PipelineStage.State


class TranslateStage:
    name = "translate"
    waiting = "翻訳待ち"

    def run(self, article: Article) -> tuple[str, list[str]]:
        if article.is_japanese:
            if not article.title:
                article.title = article.original_title
            return State.DONE, ["title"]
        changed: list[str] = []
        if not article.translation and not service.is_manual():
            changed = service.translate_article(article)
        return (State.DONE if article.translation and article.title else State.WAITING), changed
