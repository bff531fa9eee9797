"""Storylines: the stories of one saga over months (the same core actors and subject).

A story joins the storyline it is most like, found the way an article finds its story, never by a
scan: the candidates are the stories naming the story's rarest entities (the entity index,
``ranking.entity_story_ids``) within STORYLINE_WINDOW_DAYS of it, and the storylines they are in.

Two stories are compared on their actors and their subject: STORYLINE_TEXT_WEIGHT x cosine of the
two profiles + the rest x entity cosine weighted by IDF squared (so that 日本 or 中国 in both counts
for little), against STORYLINE_THRESHOLD; or on their subject alone, the text cosine against the
stricter STORYLINE_TEXT_THRESHOLD (a story whose articles name no entity, or none the gazetteer
knows, is found among the stories nearest in time, at most TEXT_CANDIDATES). Either is multiplied by
exp(-gap / STORYLINE_DECAY_DAYS), the gap being the days between the two stories' spans.

A storyline is scored by its two stories most like the story (0.7 x the first + 0.3 x the second;
the one, while it has one): a single bridge is not enough, so one story naming a president does
not pull his country's domestic crisis into the saga of his foreign policy. At or above 1 the story
joins the best storyline, or the lone story it is most like (one is made for the two). The defaults
were set on tests/data/labelled_stories_hard.jsonl (docs/benchmarks.md, Stories): a guess, on 63
stories.

A story's storyline is reconsidered while it is young (at most STORYLINE_PLACE_UNTIL articles) or
has none; never once an editor has put it somewhere (``storyline_by_editor``). Editors' changes
(name, merge, split, move) are in ``editing``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from newsdesk.stories import vectors
from newsdesk.stories.models import Story, Storyline
from newsdesk.stories.ranking import entity_story_ids
from newsdesk.stories.signatures import entity_weights

TEXT_CANDIDATES = 200  # stories nearest in time compared with a story that names no entity
SECOND_LINK = 0.3  # share of a storyline's second story most like the story in its score


def _setting(name: str):
    return settings.NEWSDESK[name]


def window() -> dt.timedelta:
    return dt.timedelta(days=_setting("STORYLINE_WINDOW_DAYS"))


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
    """How surely two stories belong to one saga, 1 at the joining threshold (0 for nothing shared)."""
    text = (
        vectors.cosine(vectors.unpack(a.profile), vectors.unpack(b.profile))
        if a.profile and b.profile
        else 0.0
    )
    share = _setting("STORYLINE_TEXT_WEIGHT")
    together = (share * text + (1 - share) * _entity_cosine(a, b, weights)) / _setting("STORYLINE_THRESHOLD")
    alone = text / _setting("STORYLINE_TEXT_THRESHOLD")
    return max(together, alone) * math.exp(-_gap_days(a, b) / _setting("STORYLINE_DECAY_DAYS"))


def _in_window(stories, story: Story):
    span = window()
    return stories.filter(last_seen__gte=story.first_seen - span, first_seen__lte=story.last_seen + span)


def candidates(story: Story) -> list[Story]:
    """The stories naming the story's rarest entities within the window; with no entity, the nearest."""
    entity_ids = [int(e) for e in story.entity_counts]
    others = _in_window(Story.objects.exclude(pk=story.pk), story)
    if not entity_ids:
        return list(others.order_by("-last_seen", "-pk")[:TEXT_CANDIDATES])
    ids = entity_story_ids(entity_ids, entity_weights(entity_ids)) - {story.pk}
    return list(others.filter(pk__in=ids))


def _groups(others: list[Story]) -> dict[tuple[str, int], list[Story]]:
    """The candidates by storyline, or alone when they are in none.

    Only a storyline's candidates count (its stories naming the story's rarest entities): the others
    share no rare actor with the story and would score little. Listing every story of a storyline
    would also cost a scan of all stories wherever SQLite, most stories being in none, judges the
    storyline index useless."""
    groups: dict[tuple[str, int], list[Story]] = defaultdict(list)
    for other in others:
        groups[("line", other.storyline_id) if other.storyline_id else ("story", other.pk)].append(other)
    return groups


def _linkage(scores: list[float]) -> float:
    best = sorted(scores, reverse=True)[:2]
    if len(best) == 1:
        return best[0]
    return (1 - SECOND_LINK) * best[0] + SECOND_LINK * best[1]


def place(story: Story) -> Storyline | None:
    """Puts the story in the storyline most like it, when close enough."""
    if story.storyline_by_editor or (
        story.storyline_id and story.article_count > _setting("STORYLINE_PLACE_UNTIL")
    ):
        return _extend(story.storyline, [story], 0) if story.storyline_id else None
    others = candidates(story)
    if not others:
        return _extend(story.storyline, [story], 0) if story.storyline_id else None
    groups = _groups(others)
    mentioned = {
        int(e) for group in groups.values() for other in [story, *group] for e in other.entity_counts
    }
    weights = entity_weights(mentioned)
    scored = []
    for (kind, key), members in groups.items():
        scores = [score(story, member, weights) for member in members]
        nearest = max(zip(scores, members, strict=True), key=lambda pair: (pair[0], -pair[1].pk))[1]
        scored.append((_linkage(scores), kind == "line", -key, nearest))
    best, is_line, _, nearest = max(scored, key=lambda row: row[:3])
    if best < 1.0:
        return _extend(story.storyline, [story], 0) if story.storyline_id else None
    with transaction.atomic():
        target = nearest.storyline if is_line else None
        joined = []
        if target is None:
            if story.storyline_id:
                target = story.storyline
            else:
                first = min(story, nearest, key=lambda s: (s.first_seen, s.pk))
                target = Storyline.objects.create(
                    title=first.title, first_seen=first.first_seen, last_seen=first.last_seen
                )
            Story.objects.filter(pk=nearest.pk).update(storyline=target)
            joined.append(nearest)
        old = story.storyline_id
        if old != target.pk:
            story.storyline = target
            Story.objects.filter(pk=story.pk).update(storyline=target)
            joined.append(story)
            if old:
                refresh(Storyline.objects.filter(pk=old).first())
        return _extend(target, [story, *joined], len(joined))


def _extend(storyline: Storyline, stories: list[Story], added: int) -> Storyline:
    """Widens the storyline's dates to its ``stories`` (whose dates may have grown), with ``added``
    stories more: no lookup of its other stories (``refresh`` recounts them all)."""
    with transaction.atomic():
        storyline = Storyline.objects.select_for_update().get(pk=storyline.pk)
        return _widen(storyline, stories, added)


def _widen(storyline: Storyline, stories: list[Story], added: int) -> Storyline:
    changed = bool(added)
    storyline.story_count += added
    for story in sorted(stories, key=lambda s: (s.first_seen, s.pk)):
        if story.first_seen < storyline.first_seen:
            storyline.first_seen, changed = story.first_seen, True
            if not storyline.title_locked:
                storyline.title = story.title
        if story.last_seen > storyline.last_seen:
            storyline.last_seen, changed = story.last_seen, True
    if changed:
        storyline.save()
    return storyline


def refresh(storyline: Storyline | None) -> Storyline | None:
    """Brings a storyline's dates, count and title in line with its stories (deletes an empty one)."""
    if storyline is None:
        return None
    # Sorted here: ordering in the query could walk the index of every story's date.
    stories = sorted(storyline.stories.all(), key=lambda story: (story.first_seen, story.pk))
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
