"""Editors' changes to stories and storylines: merging, splitting off into a new one, moving.

Moved articles are marked ``by_editor``, and moved stories ``storyline_by_editor``, so clustering
never moves them again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from newsdesk.stories import storylines
from newsdesk.stories.models import Story, Storyline, StoryMembership
from newsdesk.stories.profiles import recompute
from newsdesk.stories.signatures import article_time, headline


def merge(stories: list[Story], target: Story) -> Story:
    """Moves every article of ``stories`` into ``target`` and deletes the emptied stories."""
    with transaction.atomic():
        others = [story.pk for story in stories if story.pk != target.pk]
        StoryMembership.objects.filter(story_id__in=others).update(story=target, by_editor=True)
        lines = set(Story.objects.filter(pk__in=others).values_list("storyline_id", flat=True))
        Story.objects.filter(pk__in=others).delete()
        story = recompute(target)
        for line in Storyline.objects.filter(pk__in=lines - {None}):
            storylines.refresh(line)
        return story


def split(memberships: Iterable[StoryMembership], title: str = "") -> Story | None:
    """Moves the chosen articles (and their copies) to a new story; returns it."""
    memberships = list(memberships)
    if not memberships:
        return None
    with transaction.atomic():
        old = {membership.story_id for membership in memberships}
        chosen = [membership.article_id for membership in memberships]
        moment = min(article_time(membership.article) for membership in memberships)
        story = Story.objects.create(
            title=title or headline(memberships[0].article)[:500],
            title_locked=bool(title),
            first_seen=moment,
            last_seen=moment,
        )
        StoryMembership.objects.filter(Q(article_id__in=chosen) | Q(duplicate_of_id__in=chosen)).update(
            story=story, by_editor=True
        )
        for old_story in Story.objects.filter(pk__in=old):
            recompute(old_story)
        return recompute(story)


def merge_storylines(lines: list[Storyline], target: Storyline) -> Storyline | None:
    """Moves every story of ``lines`` into ``target`` and deletes the emptied storylines."""
    with transaction.atomic():
        others = [line.pk for line in lines if line.pk != target.pk]
        Story.objects.filter(storyline_id__in=others).update(storyline=target, storyline_by_editor=True)
        Storyline.objects.filter(pk__in=others).delete()
        return storylines.refresh(target)


def move_stories(stories: Iterable[Story], target: Storyline | None) -> Storyline | None:
    """Puts the stories in ``target`` (None: in no storyline), for good."""
    stories = list(stories)
    with transaction.atomic():
        old = {story.storyline_id for story in stories} - {None}
        Story.objects.filter(pk__in=[story.pk for story in stories]).update(
            storyline=target, storyline_by_editor=True
        )
        for line in Storyline.objects.filter(pk__in=old):
            storylines.refresh(line)
        return storylines.refresh(target)


def split_storyline(stories: Iterable[Story], title: str = "") -> Storyline | None:
    """Moves the chosen stories to a new storyline; returns it."""
    stories = list(stories)
    if not stories:
        return None
    with transaction.atomic():
        first = min(stories, key=lambda story: (story.first_seen, story.pk))
        line = Storyline.objects.create(
            title=title or first.title,
            title_locked=bool(title),
            first_seen=first.first_seen,
            last_seen=first.last_seen,
        )
        return move_stories(stories, line)
