"""What the editorial admin stores beside the articles: readers' correction notes and edit locks.

Revisions of an article are django-reversion's (``newsdesk.editorial.revisions``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from newsdesk.articles.models import Article


class Correction(models.Model):
    """A change to a published article that readers are told about: 訂正 (a mistake put right) or
    更新 (news added). The article page lists them in its source block; feeds and JSON-LD date the
    article by the latest."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "訂正"
        UPDATE = "update", "更新"

    article = models.ForeignKey(
        Article, verbose_name="記事", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    note = models.TextField("読者への説明")
    created_at = models.DateTimeField("日時", default=timezone.now)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="編集者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "訂正・更新"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.note}"


class EditLock(models.Model):
    """Who has an article's change page open, and since when (one holder per article).

    Opening the page takes or refreshes it, a script on the page refreshes it while the page stays
    open, and it lapses ``locks.EXPIRES`` after the last refresh. It only warns: saving over a
    newer version is refused by the form's version check, lock or no lock.
    """

    article = models.OneToOneField(
        Article, verbose_name="記事", on_delete=models.CASCADE, related_name="edit_lock"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="編集者", on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField("編集開始")
    refreshed = models.DateTimeField("最終確認")

    class Meta:
        verbose_name = verbose_name_plural = "編集中の記事"

    def __str__(self):
        return f"{self.article_id}: {self.user_id}"
