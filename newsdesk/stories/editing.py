"""Editors' changes to stories: merging stories, and splitting articles off into a new one.

Moved articles are marked ``by_editor``, so clustering never moves them again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from newsdesk.stories.models import Story, StoryMembership
from newsdesk.stories.profiles import recompute
from newsdesk.stories.signatures import article_time, headline


def merge(stories: list[Story], target: Story) -> Story:
    """Moves every article of ``stories`` into ``target`` and deletes the emptied stories."""
    with transaction.atomic():
        others = [story.pk for story in stories if story.pk != target.pk]
        StoryMembership.objects.filter(story_id__in=others).update(story=target, by_editor=True)
        Story.objects.filter(pk__in=others).delete()
        return recompute(target)


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
