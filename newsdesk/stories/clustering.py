"""Incremental clustering: each article joins the story it belongs to, or starts a new one.

Adding one article costs the same whatever the size of the corpus:

- its MinHash band keys find near-duplicate candidates through an indexed table (LSH), and only
  those candidates' stored signatures are compared;
- its hashed character n-gram vector is weighted with IDF statistics kept in the database (one
  indexed lookup of its own terms), and compared only with the profiles of the stories active in
  the time window around it (STORY_WINDOW_DAYS), never with every article;
- the story it joins updates its profile (a centroid cut to its heaviest terms) in place.

Japanese and English articles are compared on the Japanese text (the translation of an English
article) plus the entities they name, so one story gathers both.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from newsdesk.articles.models import Article
from newsdesk.stories import linked, vectors
from newsdesk.stories.models import ArticleSignature, DuplicateBand, Story, StoryMembership, TermStat

logger = logging.getLogger(__name__)

ENTITY_WEIGHT = 0.3  # share of the similarity given to entity overlap when both sides have entities
RELATED_FLOOR = 0.5  # related stories: at least this fraction of the joining threshold
RELATED_COUNT = 3
CHUNK = 500  # terms per query (SQLite's variable limit)


def window() -> dt.timedelta:
    return dt.timedelta(days=settings.NEWSDESK.get("STORY_WINDOW_DAYS", 14))


def threshold() -> float:
    return settings.NEWSDESK.get("STORY_THRESHOLD", 0.2)


def duplicate_threshold() -> float:
    return settings.NEWSDESK.get("DUPLICATE_THRESHOLD", 0.8)


def article_time(article: Article) -> dt.datetime:
    return article.published_at or article.created_at


def headline(article: Article) -> str:
    return article.title or article.original_title or ""


def texts(article: Article) -> tuple[str, str]:
    """(Japanese text compared for stories, text compared for copies)."""
    japanese = "\n".join(p for p in article.japanese_paragraphs or [] if isinstance(p, str))
    story_text = "\n".join([headline(article), headline(article), japanese])  # the headline counts twice
    copy_text = "\n".join(p for p in article.paragraphs or [] if isinstance(p, str)) or japanese
    return story_text, copy_text


# --- Stored statistics -------------------------------------------------------------------------


def _count_terms(ids: Iterable[int], entity_ids: Iterable[int], delta: int) -> None:
    """Adds ``delta`` to the document frequency of each term and entity, and to the document count."""
    table = connection.ops.quote_name(TermStat._meta.db_table)
    features = {int(i) for i in ids} | {vectors.entity_feature(e) for e in entity_ids} | {vectors.DOC_COUNT}
    terms = sorted(features)  # one order for every writer: no deadlocks
    with connection.cursor() as cursor:
        for start in range(0, len(terms), CHUNK):
            chunk = terms[start : start + CHUNK]
            rows = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (feature, df) VALUES {rows} "
                f"ON CONFLICT (feature) DO UPDATE SET df = {table}.df + excluded.df",
                [value for term in chunk for value in (term, delta)],
            )


def _frequencies(features: list[int]) -> tuple[dict[int, int], int]:
    found: dict[int, int] = {}
    for start in range(0, len(features), CHUNK):
        chunk = features[start : start + CHUNK]
        found.update(TermStat.objects.filter(feature__in=chunk).values_list("feature", "df"))
    documents = TermStat.objects.filter(feature=vectors.DOC_COUNT).values_list("df", flat=True).first() or 0
    return found, max(documents, 1)


def idf_for(ids: np.ndarray) -> np.ndarray:
    wanted = [int(i) for i in ids]
    found, documents = _frequencies(wanted)
    return vectors.idf(np.array([found.get(i, 0) for i in wanted], dtype=np.float32), documents)


def entity_weights(entity_ids: Iterable[int]) -> dict[int, float]:
    """IDF of each entity: one named by every article (中国, 日本) weighs little."""
    wanted = sorted({int(e) for e in entity_ids})
    found, documents = _frequencies([vectors.entity_feature(e) for e in wanted])
    df = np.array([found.get(vectors.entity_feature(e), 0) for e in wanted], dtype=np.float32)
    return dict(zip(wanted, vectors.idf(df, documents).tolist(), strict=True))


def weighted_vector(signature: ArticleSignature) -> tuple[np.ndarray, np.ndarray]:
    """The article's TF-IDF vector under the current document frequencies."""
    ids, weights = vectors.unpack(signature.vector)
    return ids, vectors.weigh(weights, idf_for(ids))


def store_signature(article: Article, entity_ids: list[int], signature: ArticleSignature | None = None):
    """Computes and stores the article's signature, band keys and term counts (replacing old ones)."""
    story_text, copy_text = texts(article)
    fingerprint = vectors.fingerprint(story_text, copy_text, json.dumps(entity_ids))
    values, shingle_count = vectors.minhash(copy_text)
    ids, weights = vectors.term_vector(story_text)
    if signature is not None:
        _count_terms(vectors.unpack(signature.vector)[0], signature.entity_ids, -1)
        DuplicateBand.objects.filter(article=article).delete()
    else:
        signature = ArticleSignature(article=article)
    signature.fingerprint = fingerprint
    signature.minhash = vectors.minhash_bytes(values)
    signature.shingle_count = shingle_count
    signature.vector = vectors.pack(ids, weights)
    signature.entity_ids = entity_ids
    signature.seen_at = article_time(article)
    signature.save()
    _count_terms(ids, entity_ids, 1)
    if values is not None:
        DuplicateBand.objects.bulk_create(
            DuplicateBand(article=article, band=band, key=key) for band, key in vectors.band_keys(values)
        )
    return signature


# --- Near-duplicates ---------------------------------------------------------------------------


def find_duplicate(article: Article, signature: ArticleSignature) -> tuple[StoryMembership, float] | None:
    """The membership of the copy this article duplicates (the group's first), with the containment."""
    values = vectors.minhash_from_bytes(signature.minhash)
    if values is None:
        return None
    keys = [key for _, key in vectors.band_keys(values)]
    candidates = set(
        DuplicateBand.objects.filter(key__in=keys)
        .exclude(article=article)
        .values_list("article_id", flat=True)[:200]
    )
    best: tuple[float, int] | None = None
    rows = ArticleSignature.objects.filter(article_id__in=candidates)
    for pk, data, size in rows.values_list("article_id", "minhash", "shingle_count"):
        other = vectors.minhash_from_bytes(data)
        if other is None:
            continue
        score = vectors.containment(values, other, signature.shingle_count, size)
        if score >= duplicate_threshold() and (best is None or (score, -pk) > (best[0], -best[1])):
            best = (score, pk)
    if best is None:
        return None
    membership = StoryMembership.objects.filter(article_id=best[1]).select_related("story").first()
    if membership is None:
        return None
    if membership.duplicate_of_id:  # point at the group's first copy, not at another copy
        root = StoryMembership.objects.filter(article_id=membership.duplicate_of_id).select_related("story")
        membership = root.first() or membership
    return membership, best[0]


# --- Stories -----------------------------------------------------------------------------------


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


def _add_to_story(story: Story, article: Article, signature: ArticleSignature, vector, copy: bool) -> None:
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
    if moment < story.first_seen:
        story.first_seen = moment
        if not story.title_locked and headline(article):
            story.title = headline(article)[:500]
    story.last_seen = max(story.last_seen, moment)
    story.save()


def _copies(story: Story) -> int:
    return story.memberships.filter(duplicate_of__isnull=False).count()


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
        matches = rank(vector, signature.entity_ids, signature.seen_at)
        floor = threshold() * RELATED_FLOOR
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
    _add_to_story(story, article, signature, vector, copy=duplicate is not None)
    membership.save()
    return membership


def recompute(story: Story) -> Story | None:
    """Rebuilds a story's profile, counts, dates and title from its members (after an edit)."""
    members = list(
        StoryMembership.objects.filter(story=story)
        .select_related("article", "article__story_signature")
        .order_by("article__published_at", "article__created_at", "article_id")
    )
    if not members:
        story.delete()
        return None
    profile = (np.zeros(0, np.int32), np.zeros(0, np.float32))
    counted = 0
    counts: dict[str, int] = {}
    moments = []
    for membership in members:
        article = membership.article
        signature = getattr(article, "story_signature", None)
        moments.append(signature.seen_at if signature else article_time(article))
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
    story.first_seen, story.last_seen = min(moments), max(moments)
    if not story.title_locked:
        story.title = headline(members[0].article)[:500] or story.title
    story.save()
    return story


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


def rebuild_index() -> int:
    """Recomputes every LSH band key and the document frequencies from the stored signatures."""
    with transaction.atomic():
        DuplicateBand.objects.all().delete()
        TermStat.objects.all().delete()
        counts: dict[int, int] = {}
        documents = 0
        bands = []
        for pk, values, vector in ArticleSignature.objects.values_list(
            "article_id", "minhash", "vector"
        ).iterator(chunk_size=2000):
            documents += 1
            for term in vectors.unpack(vector)[0]:
                counts[int(term)] = counts.get(int(term), 0) + 1
            signature = vectors.minhash_from_bytes(values)
            if signature is not None:
                bands.extend(
                    DuplicateBand(article_id=pk, band=band, key=key)
                    for band, key in vectors.band_keys(signature)
                )
        DuplicateBand.objects.bulk_create(bands, batch_size=2000)
        counts[vectors.DOC_COUNT] = documents
        TermStat.objects.bulk_create((TermStat(feature=f, df=n) for f, n in counts.items()), batch_size=2000)
    return documents


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
