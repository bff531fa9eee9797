"""The pipeline's "images" stage: the lead image fetched once and stored as two copies.

It is always done: an image that cannot be fetched or is refused (not found, too large, not an
image, a private address) records its error in the ArticleImage row and the article goes on
without one. With NEWSDESK_IMAGES off it fetches nothing; ``newsdesk rerun --all --stage images``
fetches the images later.
"""

from __future__ import annotations

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.images import service


class ImageStage:
    name = "images"
    label = "画像"

    def run(self, article: Article) -> tuple[str, list[str]]:
        service.update(article)
        return PipelineStage.State.DONE, []
