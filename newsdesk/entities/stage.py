"""The "entities" pipeline stage: entities, candidates, key figures and timeline events.

It reads the article's Japanese text (the original when it is Japanese, else the translation) and
waits while there is none. Running it again replaces the article's rows.
"""

from __future__ import annotations

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.entities import service
from newsdesk.japanese import tokens


class EntitiesStage:
    name = "entities"
    label = "固有表現"

    def warm_up(self) -> None:
        tokens.warm_up()  # loads SudachiPy's dictionary for this thread

    def run(self, article: Article) -> tuple[str, list[str]]:
        if not article.japanese_paragraphs:
            return PipelineStage.State.WAITING, []
        service.process(article)
        return PipelineStage.State.DONE, []
