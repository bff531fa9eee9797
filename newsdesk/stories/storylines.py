"""Storylines: the stories of one saga over months (the same core actors and subject).

A story joins the storyline of the earlier or later story most like it (a single link), found the
way an article finds its story, never by a scan: the candidates are the stories naming the story's
rarest entities (the entity index, ``ranking.entity_story_ids``) within WINDOW_DAYS of it. The score
is (TEXT_WEIGHT x cosine of the two profiles + the rest x entity cosine weighted by IDF squared,
so that 日本 or 中国 in both counts for little) x exp(-gap / DECAY_DAYS), the gap being the days
between the two stories' spans. The constants were set on the first 34 articles
of tests/data/labelled_stories_hard.jsonl (docs/benchmarks.md, Stories): a small set, so a guess. At or above
THRESHOLD the story joins that story's storyline (one is made for the two when it had none).

A story's storyline is reconsidered while it is young (at most PLACE_UNTIL articles) or has none;
never once an editor has put it somewhere (``storyline_by_editor``). A story naming no entity
joins none. Editors' changes (name, merge, split, move) are in ``editing``.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db import transaction

from newsdesk.stories import vectors
from newsdesk.stories.models import Story, Storyline
from newsdesk.stories.ranking import entity_story_ids
from newsdesk.stories.signatures import entity_weights

WINDOW_DAYS = 365
DECAY_DAYS = 540.0
TEXT_WEIGHT = 0.3
THRESHOLD = 0.31
PLACE_UNTIL = 3


def _entity_cosine(a: Story, b: Story, weights: dict[int, float]) -> float:
    def profile(story: Story) -> dict[int, float]:
        n = max(story.article_count, 1)
        return {int(e): weights.get(int(e), 1.0) ** 2 * count / n for e, count in story.entity_counts.items()}

    mine, theirs = profile(a), profile(b)
    norm = math.sqrt(sum(w * w for w in mine.values()) * sum(w * w for w in theirs.values()))
    return sum(w * theirs.get(e, 0.0) for e, w in mine.items()) / norm if norm else 0.0


def _gap_days(a: Story, b: Story) -> float:
    if a.last_seen < b.first_seen:
        return (b.first_seen - a.last_seen).total_seconds() / 86400
    if b.last_seen < a.first_seen:
        return (a.first_seen - b.last_seen).total_seconds() / 86400
    return 0.0


def score(a: Story, b: Story, weights: dict[int, float]) -> float:
    """How surely two stories belong to one saga (0-1)."""
    text = (
        vectors.cosine(vectors.unpack(a.profile), vectors.unpack(b.profile))
        if a.profile and b.profile
        else 0.0
    )
    mixed = TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * _entity_cosine(a, b, weights)
    return mixed * math.exp(-_gap_days(a, b) / DECAY_DAYS)


def candidates(story: Story) -> list[Story]:
    entity_ids = [int(e) for e in story.entity_counts]
    if not entity_ids:
        return []
    ids = entity_story_ids(entity_ids, entity_weights(entity_ids)) - {story.pk}
    span = dt.timedelta(days=WINDOW_DAYS)
    return list(
        Story.objects.filter(
            pk__in=ids, last_seen__gte=story.first_seen - span, first_seen__lte=story.last_seen + span
        )
    )


def place(story: Story) -> Storyline | None:
    """Puts the story in the storyline of the story most like it, when close enough."""
    if story.storyline_by_editor or (story.storyline_id and story.article_count > PLACE_UNTIL):
        return story.storyline
    others = candidates(story)
    if not others:
        return story.storyline
    mentioned = {int(e) for other in [story, *others] for e in other.entity_counts}
    weights = entity_weights(mentioned)
    scored = sorted(((score(story, other, weights), -other.pk, other) for other in others), reverse=True)
    best, _, nearest = scored[0]
    if best < THRESHOLD:
        return story.storyline
    with transaction.atomic():
        target = nearest.storyline
        if target is None:
            if story.storyline_id:
                target = story.storyline
            else:
                first = min(story, nearest, key=lambda s: (s.first_seen, s.pk))
                target = Storyline.objects.create(
                    title=first.title, first_seen=first.first_seen, last_seen=first.last_seen
                )
            Story.objects.filter(pk=nearest.pk).update(storyline=target)
        old = story.storyline_id
        if old != target.pk:
            story.storyline = target
            Story.objects.filter(pk=story.pk).update(storyline=target)
            if old:
                refresh(Storyline.objects.filter(pk=old).first())
        return refresh(target)


def refresh(storyline: Storyline | None) -> Storyline | None:
    """Brings a storyline's dates, count and title in line with its stories (deletes an empty one)."""
    if storyline is None:
        return None
    stories = list(storyline.stories.order_by("first_seen", "pk"))
    if not stories:
        storyline.delete()
        return None
    storyline.story_count = len(stories)
    storyline.first_seen = stories[0].first_seen
    storyline.last_seen = max(story.last_seen for story in stories)
    if not storyline.title_locked:
        storyline.title = stories[0].title
    storyline.save()
    return storyline
