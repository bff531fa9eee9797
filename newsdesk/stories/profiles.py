"""Keeping a story's profile (a centroid of its members' vectors), entity counts, dates and title
right: updated in place when an article joins, rebuilt from the members after a change.
"""

from __future__ import annotations

import numpy as np

from newsdesk.articles.models import Article
from newsdesk.stories import storylines, vectors
from newsdesk.stories.models import ArticleSignature, Story, StoryEntity, StoryMembership
from newsdesk.stories.signatures import article_time, headline, weighted_vector


def add_to_story(story: Story, article: Article, signature: ArticleSignature, vector, copy: bool) -> None:
    moment = signature.seen_at
    n = story.article_count
    if not copy and len(vector[0]):
        profile = vectors.unpack(story.profile) if story.profile else (np.zeros(0, np.int32), np.zeros(0))
        members = max(n - _copies(story), 0)
        story.profile = vectors.pack(
            *vectors.merge(profile, vector, members / (members + 1), 1 / (members + 1))
        )
    for entity in signature.entity_ids:
        story.entity_counts[str(entity)] = story.entity_counts.get(str(entity), 0) + 1
    story.article_count = n + 1
    if article.published_at is None and n:
        story.save()  # an undated article (its moment is the day we got it) moves no dates
        _index_entities(story, signature.entity_ids)
        return
    if n and not story.memberships.filter(article__published_at__isnull=False).exists():
        story.first_seen = story.last_seen = moment  # its articles were all undated: their days said nothing
    if moment < story.first_seen:
        story.first_seen = moment
        if not story.title_locked and headline(article):
            story.title = headline(article)[:500]
    story.last_seen = max(story.last_seen, moment)
    story.save()
    _index_entities(story, signature.entity_ids)


def _index_entities(story: Story, entity_ids) -> None:
    """Brings the entity index rows of ``entity_ids`` in line with the story's counts."""
    rows = [
        StoryEntity(story=story, entity_id=int(e), count=story.entity_counts[str(e)])
        for e in sorted({int(e) for e in entity_ids})
    ]
    if rows:
        StoryEntity.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["entity_id", "story"], update_fields=["count"]
        )


def _copies(story: Story) -> int:
    return story.memberships.filter(duplicate_of__isnull=False).count()


def recompute(story: Story) -> Story | None:
    """Rebuilds a story's profile, counts, dates and title from its members (after an edit)."""
    members = list(
        StoryMembership.objects.filter(story=story)
        .select_related("article", "article__story_signature")
        .order_by("article__published_at", "article__created_at", "article_id")
    )
    if not members:
        storyline = story.storyline
        story.delete()
        storylines.refresh(storyline)
        return None
    profile = (np.zeros(0, np.int32), np.zeros(0, np.float32))
    counted = 0
    counts: dict[str, int] = {}
    moments, dated = [], []
    for membership in members:
        article = membership.article
        signature = getattr(article, "story_signature", None)
        moments.append(signature.seen_at if signature else article_time(article))
        if article.published_at is not None:
            dated.append(article.published_at)
        if signature is None:
            continue
        for entity in signature.entity_ids:
            counts[str(entity)] = counts.get(str(entity), 0) + 1
        if membership.duplicate_of_id is None:
            vector = weighted_vector(signature)
            if len(vector[0]):
                profile = vectors.merge(profile, vector, counted / (counted + 1), 1 / (counted + 1))
                counted += 1
    story.profile = vectors.pack(*profile) if len(profile[0]) else b""
    story.entity_counts = counts
    story.article_count = len(members)
    # Undated articles (their moment is the day we got them) set the dates only of a story of their own.
    moments = dated or moments
    story.first_seen, story.last_seen = min(moments), max(moments)
    if not story.title_locked:
        story.title = headline(members[0].article)[:500] or story.title
    story.save()
    StoryEntity.objects.filter(story=story).delete()
    StoryEntity.objects.bulk_create(
        StoryEntity(story=story, entity_id=int(e), count=n) for e, n in sorted(counts.items())
    )
    return story
