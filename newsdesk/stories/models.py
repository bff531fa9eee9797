"""Stories (articles from several outlets on one event) and near-duplicate copies of one article.

What the stage computes for an article is stored so that nothing is recomputed: its MinHash
signature and LSH band keys (candidates for near-duplicates are found by an indexed lookup of the
band keys), its character n-gram term vector, and the document frequencies behind the IDF weights.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article


class Storyline(models.Model):
    """Stories of one saga over months (the same core actors and subject): found by ``storylines``,
    named, merged and split by editors."""

    title = models.CharField("タイトル", max_length=500)
    title_locked = models.BooleanField(
        "タイトル固定", default=False, help_text="編集者が付けたタイトルを新しいストーリーで上書きしない"
    )
    first_seen = models.DateTimeField("最初の記事", db_index=True)
    last_seen = models.DateTimeField("最新の記事", db_index=True)
    story_count = models.PositiveIntegerField("ストーリー数", default=0)
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "ストーリーライン"
        ordering = ["-last_seen"]

    def __str__(self):
        return self.title or f"ストーリーライン {self.pk}"

    def get_absolute_url(self):
        return reverse("stories:storyline", args=[self.pk])


class Story(models.Model):
    title = models.CharField("タイトル", max_length=500)
    title_locked = models.BooleanField(
        "タイトル固定", default=False, help_text="編集者が付けたタイトルを新しい記事で上書きしない"
    )
    first_seen = models.DateTimeField("最初の記事", db_index=True)
    last_seen = models.DateTimeField("最新の記事", db_index=True)
    article_count = models.PositiveIntegerField("記事数", default=0)
    # The centroid of its articles' TF-IDF vectors, cut to the heaviest terms: int32 term ids
    # followed by float32 weights (see newsdesk.stories.vectors).
    profile = models.BinaryField(default=b"", editable=False)
    # Entity id -> number of its articles that mention it.
    entity_counts = models.JSONField(default=dict, blank=True, editable=False)
    storyline = models.ForeignKey(
        Storyline,
        verbose_name="ストーリーライン",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    storyline_by_editor = models.BooleanField(
        "ストーリーラインは編集者が決定", default=False, help_text="自動で別のストーリーラインに移さない"
    )
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "ストーリー"
        ordering = ["-last_seen"]

    def __str__(self):
        return self.title or f"ストーリー {self.pk}"

    def get_absolute_url(self):
        return reverse("stories:detail", args=[self.pk])


class StoryMembership(models.Model):
    """The one story an article belongs to, how close it was, and the copy it duplicates if any."""

    article = models.OneToOneField(
        Article, verbose_name="記事", on_delete=models.CASCADE, related_name="story_membership"
    )
    story = models.ForeignKey(
        Story, verbose_name="ストーリー", on_delete=models.CASCADE, related_name="memberships"
    )
    similarity = models.FloatField("類似度", default=1.0)
    duplicate_of = models.ForeignKey(
        Article,
        verbose_name="同じ記事の元",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicate_memberships",
    )
    duplicate_similarity = models.FloatField("重複の類似度", null=True, blank=True)
    by_editor = models.BooleanField("編集者が決定", default=False)
    related_story_ids = models.JSONField("関連ストーリー", default=list, blank=True)
    joined_at = models.DateTimeField("追加日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "ストーリーの記事"

    def __str__(self):
        return f"{self.story_id}: {self.article_id}"


class StoryEntity(models.Model):
    """An entity a story names (with how many of its articles name it): the index through which an
    article finds the stories of its actors beyond the time window (and an undated article at all)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="entity_rows")
    entity_id = models.IntegerField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity_id", "story"], name="story_entity_unique")]

    def __str__(self):
        return f"{self.story_id}: {self.entity_id}"


class ArticleSignature(models.Model):
    """What the stories stage computed from an article's text, kept so it is never recomputed."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="story_signature"
    )
    fingerprint = models.CharField(max_length=64)  # sha256 of the texts the rest was computed from
    minhash = models.BinaryField(default=b"")  # uint64 MinHash values; empty when the text is too short
    shingle_count = models.PositiveIntegerField(default=0)  # size of the shingle set behind the MinHash
    vector = models.BinaryField(default=b"")  # sublinear term frequencies, L2-normalised
    entity_ids = models.JSONField(default=list)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"signature of {self.article_id}"


class DuplicateBand(models.Model):
    """One LSH band key of an article's MinHash: articles sharing a key are duplicate candidates."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"])]

    def __str__(self):
        return f"{self.article_id} band {self.band}"


class TermStat(models.Model):
    """Document frequency of one hashed n-gram; feature -1 holds the number of documents."""

    feature = models.IntegerField(primary_key=True)
    df = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.feature}: {self.df}"
