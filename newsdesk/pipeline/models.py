"""What editors hand in on the admin's ingest page: a batch of inputs, each with its result.

An item keeps its input (the URL, the pasted text, the uploaded bytes) in its row until a worker
has processed it, so nothing is lost while the worker is down; the result replaces it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from newsdesk.articles.models import Article


class IntakeBatch(models.Model):
    created_at = models.DateTimeField("日時", default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取り込んだ人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField("元記事のURL", max_length=1000, blank=True)
    publish = models.BooleanField("準備ができたら公開", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "取り込み"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"取り込み #{self.pk}"


class IntakeItem(models.Model):
    class Kind(models.TextChoices):
        URL = "url", "URL"
        TEXT = "text", "貼り付けたテキスト"
        FILE = "file", "ファイル"
        ENTRY = "entry", "フィードの記事"

    class Status(models.TextChoices):
        PENDING = "pending", "処理待ち"
        PROCESSING = "processing", "処理中"
        CREATED = "created", "作成"
        EXISTING = "existing", "登録済み"
        QUEUED = "queued", "取得待ち"
        FAILED = "failed", "失敗"
        FEED = "feed", "フィード"

    UNFINISHED = (Status.PENDING, Status.PROCESSING)

    batch = models.ForeignKey(
        IntakeBatch, verbose_name="取り込み", on_delete=models.CASCADE, related_name="items"
    )
    feed = models.ForeignKey(
        "self",
        verbose_name="フィード",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="entries",
    )
    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    label = models.CharField("入力", max_length=1000)
    text = models.TextField("URLまたはテキスト", blank=True, help_text="処理が終わるまで保持します")
    data = models.BinaryField(
        "ファイルの内容", blank=True, default=b"", help_text="処理が終わるまで保持します"
    )
    status = models.CharField("状態", max_length=12, choices=Status.choices, default=Status.PENDING)
    article = models.ForeignKey(
        Article, verbose_name="記事", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField("メッセージ", blank=True)
    # When its task was last queued: an item still 未処理 long after lost its task to a worker
    # killed between taking it from the queue and marking it 処理中 (batches.requeue_interrupted).
    queued_at = models.DateTimeField("キュー投入日時", default=timezone.now)
    # When a worker took the item, and how many times: an item 処理中 for long lost its worker.
    started_at = models.DateTimeField("処理開始日時", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("処理回数", default=0)
    finished_at = models.DateTimeField("完了日時", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "取り込み項目"
        ordering = ["pk"]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return self.label

    @property
    def unfinished(self) -> bool:
        return self.status in self.UNFINISHED
