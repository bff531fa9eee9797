"""Incremental clustering: each article joins the story it belongs to, or starts a new one.

Adding one article costs the same whatever the size of the corpus:

- its MinHash band keys find near-duplicate candidates through an indexed table (LSH), and only
  those candidates' stored signatures are compared;
- its hashed character n-gram vector is weighted with IDF statistics kept in the database (one
  indexed lookup of its own terms), and compared only with the profiles of candidate stories found
  through indexes (those active in the time window around it, STORY_WINDOW_DAYS, and those naming
  its rarest entities: ``ranking``), never with every article; the similarity decays with the gap
  in time, so there is no hard wall;
- the best few candidates are then weighed by the day of the event: a news lead names the day of
  what it reports (「…は7日、…」, ``signatures.event_day``), and an article whose lead reports a day
  more than STORY_EVENT_GRACE_DAYS from every day its candidate's first and last articles report
  loses its likeness to it by e every STORY_EVENT_DECAY_DAYS: a vote that fails and the vote that
  passes a week later are two stories however alike their words, while the next day's account of
  the first vote joins it (two lookups of a few articles for each candidate checked);
- an undated article (no original date) is compared on text and entities alone (its lead's day, when
  it names one, still weighs its candidates), moves no story's dates, and is listed for editors to
  date (日付不明 in the admin);
- the story it joins updates its profile (a centroid cut to its heaviest terms) in place.

Japanese and English articles are compared on the Japanese text (the translation of an English
article) plus the entities they name, so one story gathers both.

Here an article is placed (``assign``), or put back where an export had it (``restore``). The
pieces live in ``signatures`` (stored signatures and statistics), ``duplicates`` (LSH),
``ranking`` (similarity to the candidate stories), ``profiles`` (keeping a story's profile right)
and ``storylines`` (the saga a story belongs to, months long); editors' merges and splits of
stories and storylines are in ``editing``.
"""

from __future__ import annotations

import datetime as dt
import json
import math

from django.conf import settings
from django.db import connection, transaction

from newsdesk.articles.models import Article
from newsdesk.stories import linked, storylines, vectors
from newsdesk.stories.duplicates import find_duplicate
from newsdesk.stories.models import ArticleSignature, Story, StoryMembership
from newsdesk.stories.profiles import add_to_story, recompute
from newsdesk.stories.ranking import Match, rank
from newsdesk.stories.signatures import event_day, headline, store_signature, texts, weighted_vector

RELATED_COUNT = 3
EVENT_DAY_MEMBERS = 3  # a story's event days: those of its first and of its last few articles
EVENT_DAY_CHECKED = 5  # the best candidates checked for their event days


def threshold() -> float:
    return settings.NEWSDESK["STORY_THRESHOLD"]


def related_floor() -> float:
    return settings.NEWSDESK["STORY_RELATED_FLOOR"]


def assign(article: Article) -> StoryMembership:
    """Puts the article in its story (idempotent: an unchanged article keeps its place)."""
    entity_ids = sorted(linked.entity_ids(article))
    with transaction.atomic():
        signature = ArticleSignature.objects.filter(article=article).first()
        membership = StoryMembership.objects.filter(article=article).select_related("story").first()
        story_text, copy_text = texts(article)
        fingerprint = vectors.fingerprint(story_text, copy_text, json.dumps(entity_ids))
        if signature is not None and signature.fingerprint == fingerprint and membership is not None:
            return membership
        if signature is None or signature.fingerprint != fingerprint:
            signature = store_signature(article, entity_ids, signature)
        if membership is not None:
            if membership.by_editor:
                return membership
            old_story = membership.story
            membership.delete()
            recompute(old_story)
        return join(article, signature)


def join(article: Article, signature: ArticleSignature) -> StoryMembership:
    vector = weighted_vector(signature)
    duplicate = find_duplicate(article, signature)
    related: list[int] = []
    if duplicate is not None:
        original, copy_score = duplicate
        story = Story.objects.select_for_update().get(pk=original.story_id)
        membership = StoryMembership(
            article=article,
            story=story,
            similarity=copy_score,
            duplicate_of_id=original.article_id,
            duplicate_similarity=copy_score,
            related_story_ids=original.related_story_ids,
        )
    else:
        dated = article.published_at is not None
        matches = rank(vector, signature.entity_ids, signature.seen_at, dated=dated)
        matches = weigh_event_days(article, matches)
        floor = threshold() * related_floor()
        if matches and matches[0].score >= threshold():
            story, score = Story.objects.select_for_update().get(pk=matches[0].story.pk), matches[0].score
            matches = matches[1:]
        else:
            moment = signature.seen_at
            story = Story.objects.create(title=headline(article)[:500], first_seen=moment, last_seen=moment)
            score = 1.0
        related = [match.story.pk for match in matches[:RELATED_COUNT] if match.score >= floor]
        membership = StoryMembership(
            article=article, story=story, similarity=score, related_story_ids=related
        )
    add_to_story(story, article, signature, vector, copy=duplicate is not None)
    membership.save()
    storylines.place(story)
    return membership


def event_days(story: Story) -> set[dt.date]:
    """The days named in the leads of the story's first and last few articles.

    Its members are listed through the story's index and sorted here: ordering in the query could
    walk the index of every article's date instead."""
    members = sorted(
        StoryMembership.objects.filter(story=story).values_list(
            "article__story_signature__seen_at", "article_id"
        ),
        key=lambda row: (row[0] is None, row[0], row[1]),
    )
    wanted = {pk for _, pk in members[:EVENT_DAY_MEMBERS] + members[-EVENT_DAY_MEMBERS:]}
    articles = Article.objects.filter(pk__in=wanted).only(
        "language", "paragraphs", "translation", "published_at", "created_at"
    )
    return {day for article in articles if (day := event_day(article)) is not None}


def event_factor(gap_days: int) -> float:
    """1 when the article's event is within a day of one of the story's, then exp(-days / decay)."""
    grace = settings.NEWSDESK["STORY_EVENT_GRACE_DAYS"]
    if gap_days <= grace:
        return 1.0
    return math.exp(-(gap_days - grace) / settings.NEWSDESK["STORY_EVENT_DECAY_DAYS"])


def weigh_event_days(article: Article, matches: list[Match]) -> list[Match]:
    """Scales the best candidates' scores by how far the day the article's lead reports is from the
    days their leads report: two votes a week apart are two events, however alike their words."""
    day = event_day(article)
    if day is None or not matches:
        return matches
    floor = threshold() * related_floor()
    weighed = []
    for position, match in enumerate(matches):
        if position < EVENT_DAY_CHECKED and match.score >= floor:
            days = event_days(match.story)
            if days:
                gap = min(abs((day - other).days) for other in days)
                match = Match(match.story, match.score * event_factor(gap))
        weighed.append(match)
    return sorted(weighed, key=lambda match: (-match.score, match.story.pk))


def restore(article: Article, story_id: int | None) -> StoryMembership:
    """Puts an imported article back in the story it had (by id), or assigns it when it had none."""
    if story_id is None:
        return assign(article)
    with transaction.atomic():
        StoryMembership.objects.filter(article=article).delete()
        existing = ArticleSignature.objects.filter(article=article).first()
        signature = store_signature(article, sorted(linked.entity_ids(article)), existing)
        moment = signature.seen_at
        story, created = Story.objects.get_or_create(
            pk=story_id,
            defaults={"title": headline(article)[:500], "first_seen": moment, "last_seen": moment},
        )
        if created:
            _reset_story_sequence()
        duplicate = find_duplicate(article, signature)
        copy = duplicate if duplicate and duplicate[0].story_id == story.pk else None
        membership = StoryMembership.objects.create(
            article=article,
            story=story,
            similarity=copy[1] if copy else 1.0,
            duplicate_of_id=copy[0].article_id if copy else None,
            duplicate_similarity=copy[1] if copy else None,
        )
        recompute(story)
        return membership


def _reset_story_sequence() -> None:
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Story]):
            cursor.execute(sql)
