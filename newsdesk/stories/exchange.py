"""The story and entity fields each exported article carries (``newsdesk export``)."""

from __future__ import annotations

from newsdesk.stories import linked
from newsdesk.stories.models import StoryMembership


def export_fields(article) -> dict:
    """story_id (and story_by_editor: an editor put it there, by a merge or a split), entities
    [{name, type}] and figures [{text, sentence}]; import recomputes the last two."""
    membership = StoryMembership.objects.filter(article_id=article.pk).only("story_id", "by_editor").first()
    return {
        "story_id": membership.story_id if membership else None,
        "story_by_editor": membership.by_editor if membership else False,
        "entities": [{"name": e["name"], "type": e["type"]} for e in linked.entities_of(article)],
        "figures": [{"text": f["text"], "sentence": f["sentence"]} for f in linked.figures_of(article)],
    }


def restore(article, record: dict) -> None:
    """After ``newsdesk import`` stored an article: recompute what the entities and stories stages
    wrote in their own tables (they are not in the export), keeping the exported story id and the
    editor's say that the article stays in it."""
    from newsdesk.articles.models import PipelineStage
    from newsdesk.entities.stage import EntitiesStage
    from newsdesk.stories import clustering

    done = {s["name"] for s in record.get("stages", []) if s.get("state") == PipelineStage.State.DONE}
    if "entities" in done:
        EntitiesStage().run(article)
    if "stories" in done:
        membership = clustering.restore(article, record.get("story_id"))
        if record.get("story_by_editor"):
            StoryMembership.objects.filter(pk=membership.pk).update(by_editor=True)
