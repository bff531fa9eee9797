"""Similarity of an article to stories, and the ranking of the stories active around it.

Only the stories active in the time window around the article (STORY_WINDOW_DAYS) are compared:
text cosine with each story's profile, mixed with IDF-weighted entity overlap.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from newsdesk.stories import vectors
from newsdesk.stories.models import Story
from newsdesk.stories.signatures import entity_weights

ENTITY_WEIGHT = 0.3  # share of the similarity given to entity overlap when both sides have entities


def window() -> dt.timedelta:
    return dt.timedelta(days=settings.NEWSDESK["STORY_WINDOW_DAYS"])


@dataclass
class Match:
    story: Story
    score: float


def entity_similarity(entity_ids: list[int], story: Story, weights: dict[int, float]) -> float | None:
    """IDF-weighted cosine of the article's entities and the story's (each by the share naming it)."""
    if not entity_ids:
        return None
    n = max(story.article_count, 1)
    profile = {int(e): weights.get(int(e), 1.0) * count / n for e, count in story.entity_counts.items()}
    mine = {int(e): weights.get(int(e), 1.0) for e in entity_ids}
    norm = math.sqrt(sum(w * w for w in mine.values()) * sum(w * w for w in profile.values()))
    return sum(w * profile.get(e, 0.0) for e, w in mine.items()) / norm if norm else 0.0


def similarity(vector, entity_ids: list[int], story: Story, weights: dict[int, float]) -> float:
    """Text cosine with the story's profile, mixed with entity overlap when the article names any."""
    text = vectors.cosine(vector, vectors.unpack(story.profile)) if story.profile else 0.0
    entities = entity_similarity(entity_ids, story, weights)
    if entities is None:
        return text
    return (1 - ENTITY_WEIGHT) * text + ENTITY_WEIGHT * entities


def active_stories(moment: dt.datetime, exclude: Iterable[int] = ()):
    span = window()
    return Story.objects.filter(last_seen__gte=moment - span, first_seen__lte=moment + span).exclude(
        pk__in=list(exclude)
    )


def rank(vector, entity_ids: list[int], moment: dt.datetime, exclude: Iterable[int] = ()) -> list[Match]:
    """The stories active around ``moment``, most similar first."""
    stories = list(active_stories(moment, exclude))
    mentioned = set(entity_ids).union(*(map(int, story.entity_counts) for story in stories))
    weights = entity_weights(mentioned) if entity_ids else {}
    matches = [Match(story, similarity(vector, entity_ids, story, weights)) for story in stories]
    return sorted(matches, key=lambda match: (-match.score, match.story.pk))
