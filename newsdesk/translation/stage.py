"""The pipeline's "translate" stage: the Japanese headline and text of a foreign article.

An editor's translation (entered in the admin or carried by a curated page) completes it;
otherwise the configured machine backend translates, and with the manual backend the article
waits for the editor. A paragraph without a translation (one an editor put back into the body)
keeps it waiting too, or the machine translates that paragraph alone, keeping every translation
already there. A failed machine translation raises, writing nothing: the article waits in review.
"""

from __future__ import annotations

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.translation import service

State = PipelineStage.State


class TranslateStage:
    name = "translate"
    label = "翻訳"
    waiting = "翻訳待ち"

    def run(self, article: Article) -> tuple[str, list[str]]:
        if article.is_japanese:
            if not article.title:
                article.title = article.original_title
            return State.DONE, ["title"]
        changed: list[str] = []
        missing = service.missing_paragraphs(article)
        if (missing or not article.translation) and not service.is_manual():
            # A paragraph an editor put back has no translation yet: only it is sent, the rest is kept.
            changed = service.translate_article(article, missing_only=bool(article.translation))
            missing = service.missing_paragraphs(article)
        translated = article.translation and not missing
        return (State.DONE if translated and article.title else State.WAITING), changed
