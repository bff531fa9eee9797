"""The pipeline's "tags" stage: topic tags from keywords and linked entities.

It runs after the "entities" stage, whose mentions it reads, and writes only the article's
``auto`` tag links; running it again on an unchanged article changes nothing.
"""

from __future__ import annotations

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.tags import service


class TagsStage:
    name = "tags"
    label = "タグ"

    def run(self, article: Article) -> tuple[str, list[str]]:
        service.tag_article(article)
        return PipelineStage.State.DONE, []
