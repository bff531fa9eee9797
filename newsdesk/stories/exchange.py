"""The story and entity fields each exported article carries (``newsdesk export``)."""

from __future__ import annotations

from newsdesk.stories import linked
from newsdesk.stories.models import Storyline, StoryMembership


def export_fields(article) -> dict:
    """story_id (and story_by_editor: an editor put it there, by a merge or a split), the story's
    storyline_id (with its title, whether an editor fixed it, and whether an editor put the story
    there), entities [{name, type}] and figures [{text, sentence}]; import recomputes the last two."""
    membership = (
        StoryMembership.objects.filter(article_id=article.pk).select_related("story__storyline").first()
    )
    story = membership.story if membership else None
    line = story.storyline if story else None
    return {
        "story_id": membership.story_id if membership else None,
        "story_by_editor": membership.by_editor if membership else False,
        "storyline_id": line.pk if line else None,
        "storyline_title": line.title if line else "",
        "storyline_title_locked": line.title_locked if line else False,
        "storyline_by_editor": story.storyline_by_editor if story else False,
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
        if record.get("storyline_id") is not None:
            _restore_storyline(membership.story, record)


def _restore_storyline(story, record: dict) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from newsdesk.stories import storylines

    moment = story.first_seen
    line, created = Storyline.objects.get_or_create(
        pk=record["storyline_id"],
        defaults={
            "title": record.get("storyline_title") or story.title,
            "title_locked": bool(record.get("storyline_title_locked")),
            "first_seen": moment,
            "last_seen": moment,
        },
    )
    if created:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Storyline]):
                cursor.execute(sql)
    story.storyline = line
    story.storyline_by_editor = bool(record.get("storyline_by_editor"))
    story.save(update_fields=["storyline", "storyline_by_editor"])
    storylines.refresh(line)
