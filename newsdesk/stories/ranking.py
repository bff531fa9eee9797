"""Similarity of an article to stories, and the ranking of its candidate stories.

Similarity is text cosine with each story's profile, mixed with IDF-weighted entity overlap, and
multiplied by a time decay: exp(-(gap - STORY_GRACE_DAYS) / STORY_DECAY_DAYS) (settings), the gap being the days between
the article and the nearest end of the story's span (none within it, nor within the grace). No
hard wall: an article four weeks after a story's last piece joins it when its text and actors are
close enough to outweigh the decay (a similarity of 0.34 two weeks after, 0.66 four weeks after, at the threshold 0.2).

Candidates come from two indexes, never from a scan: the stories active in the time window around
the article (STORY_WINDOW_DAYS, an index on the dates), and the stories that name the article's
rarest entities (StoryEntity, the newest ENTITY_CANDIDATES per entity) within HORIZON_DAYS, past
which the decay leaves nothing. An undated article (no original date: the day we got it says
nothing) is compared on text and entities alone, with no decay, with the stories of its entities
whenever they were and with those active when we got it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from newsdesk.stories import vectors
from newsdesk.stories.models import Story, StoryEntity
from newsdesk.stories.signatures import entity_weights

HORIZON_DAYS = 120  # beyond this the decay (< 0.004 with the default settings) leaves nothing to join
ENTITY_KEYS = 4  # the article's rarest entities looked up in the index
ENTITY_CANDIDATES = 30  # newest stories per entity


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
    weight = settings.NEWSDESK["STORY_ENTITY_WEIGHT"]
    return (1 - weight) * text + weight * entities


def decay(story: Story, moment: dt.datetime) -> float:
    """1 within the story's span (and the grace around it), then exp(-days / STORY_DECAY_DAYS)."""
    if moment < story.first_seen:
        gap = story.first_seen - moment
    elif moment > story.last_seen:
        gap = moment - story.last_seen
    else:
        return 1.0
    days = gap.total_seconds() / 86400 - settings.NEWSDESK["STORY_GRACE_DAYS"]
    return math.exp(-days / settings.NEWSDESK["STORY_DECAY_DAYS"]) if days > 0 else 1.0


def active_stories(moment: dt.datetime, exclude: Iterable[int] = ()):
    span = window()
    return Story.objects.filter(last_seen__gte=moment - span, first_seen__lte=moment + span).exclude(
        pk__in=list(exclude)
    )


def entity_story_ids(entity_ids: list[int], weights: dict[int, float]) -> set[int]:
    """The newest stories naming each of the article's rarest entities (an indexed lookup each)."""
    rarest = sorted({int(e) for e in entity_ids}, key=lambda e: (-weights.get(e, 1.0), e))[:ENTITY_KEYS]
    found: set[int] = set()
    for entity in rarest:
        rows = StoryEntity.objects.filter(entity_id=entity).order_by("-story_id")
        found.update(rows.values_list("story_id", flat=True)[:ENTITY_CANDIDATES])
    return found


def candidates(
    entity_ids: list[int], moment: dt.datetime, exclude: Iterable[int] = (), dated: bool = True
) -> list[Story]:
    """The stories active around ``moment`` and those of the article's rarest entities."""
    exclude = list(exclude)
    stories = {story.pk: story for story in active_stories(moment, exclude)}
    if entity_ids:
        wanted = entity_story_ids(entity_ids, entity_weights(entity_ids)) - set(stories) - set(exclude)
        more = Story.objects.filter(pk__in=wanted)
        if dated:
            horizon = dt.timedelta(days=HORIZON_DAYS)
            more = more.filter(last_seen__gte=moment - horizon, first_seen__lte=moment + horizon)
        stories.update((story.pk, story) for story in more)
    return list(stories.values())


def rank(
    vector, entity_ids: list[int], moment: dt.datetime, exclude: Iterable[int] = (), dated: bool = True
) -> list[Match]:
    """The candidate stories of an article at ``moment`` (undated: ``dated=False``), most similar first."""
    stories = candidates(entity_ids, moment, exclude, dated)
    mentioned = set(entity_ids).union(*(map(int, story.entity_counts) for story in stories))
    weights = entity_weights(mentioned) if entity_ids else {}
    matches = [
        Match(
            story, similarity(vector, entity_ids, story, weights) * (decay(story, moment) if dated else 1.0)
        )
        for story in stories
    ]
    return sorted(matches, key=lambda match: (-match.score, match.story.pk))
