"""Near-duplicates: the copy an article duplicates, found through its LSH band keys.

Only the candidates sharing a band key are compared (by MinHash containment), never every article.
"""

from __future__ import annotations

from django.conf import settings

from newsdesk.articles.models import Article
from newsdesk.stories import vectors
from newsdesk.stories.models import ArticleSignature, DuplicateBand, StoryMembership


def duplicate_threshold() -> float:
    return settings.NEWSDESK["DUPLICATE_THRESHOLD"]


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
