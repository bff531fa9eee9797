"""The pipeline's "stories" stage: finds the article's near-duplicate copies and its story.

It runs after the "entities" stage (whose entity ids it compares) and writes only its own tables;
running it again on an unchanged article changes nothing.
"""

from __future__ import annotations

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.stories import clustering, vectors


class StoriesStage:
    name = "stories"
    label = "ストーリー"

    def warm_up(self) -> None:
        vectors.term_vector("warm up")  # imports scikit-learn (about a second)
        vectors.minhash("warm up " * 20)  # imports datasketch and draws its permutations

    def run(self, article: Article) -> tuple[str, list[str]]:
        clustering.assign(article)
        return PipelineStage.State.DONE, []
