import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import timezone

from newsdesk.japanese.dates import JST
from newsdesk.sources.models import Outlet


def published_q(path: str = "") -> models.Q:
    """What ``published()`` asks, of the article at ``path`` (``"article__"`` from a row pointing
    at one). Filtering on it joins; ``article__in=Article.objects.published()`` made SQLite list
    every published article before reading the first row, on each query."""
    return models.Q(
        **{f"{path}status": Article.Status.PUBLISHED, f"{path}site_published_at__lte": timezone.now()}
    )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())


class Article(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "新着"
        REVIEW = "review", "要確認"
        PUBLISHED = "published", "公開"
        REJECTED = "rejected", "却下"

    outlet = models.ForeignKey(Outlet, verbose_name="媒体", on_delete=models.PROTECT, related_name="articles")
    url = models.URLField("正規URL", max_length=1000, blank=True)
    source_url = models.URLField("取得元URL", max_length=1000, blank=True)
    author = models.CharField("著者", max_length=300, blank=True)
    author_bio = models.TextField("著者紹介", blank=True)
    original_title = models.CharField("原題", max_length=500)
    title = models.CharField("見出し", max_length=500, blank=True, help_text="日本語の見出し")
    lead = models.TextField("リード（原文）", blank=True)
    lead_ja = models.TextField("リード", blank=True)
    language = models.CharField("言語", max_length=8, blank=True)
    paragraphs = models.JSONField("原文段落", default=list, blank=True)
    translation = models.JSONField("翻訳段落", default=list, blank=True)
    translator = models.CharField("翻訳者", max_length=100, blank=True)
    summary = models.JSONField("要約", default=list, blank=True)
    image_url = models.URLField("画像URL", max_length=1000, blank=True)
    caption = models.TextField("キャプション（原文）", blank=True)
    caption_ja = models.TextField("キャプション", blank=True)
    published_at = models.DateTimeField("原文公開日時", null=True, blank=True)
    published_date_only = models.BooleanField(
        "原文は日付のみ",
        default=False,
        help_text="原文が公開の日付だけを示し、時刻を示さない（日本時間のその日の0時として保存し、日付だけを表示）",
    )
    created_at = models.DateTimeField("取り込み日時", default=timezone.now)
    site_published_at = models.DateTimeField("公開日時", null=True, blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.NEW)
    content_hash = models.CharField(
        "本文ハッシュ",
        max_length=64,
        unique=True,
        help_text="同じ記事を二度取り込まないための、正規化した本文のハッシュ",
    )
    is_curated = models.BooleanField("編集済みページから取り込み", default=False)
    # Kept with the article, not only in the queued task: a pipeline a killed worker left unfinished
    # is resumed by a sweep that knows nothing else of the ingest (newsdesk/pipeline/resume.py).
    publish_when_ready = models.BooleanField(
        "処理後に公開",
        default=False,
        help_text="取り込み時に「確認なしで公開」が指定された（処理が初めて終わるまで有効）",
    )
    is_sample = models.BooleanField("サンプル", default=False)
    picked_at = models.DateTimeField(
        "オススメ日時", null=True, blank=True, db_index=True, help_text="編集部がオススメに選んだ日時"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "記事"
        ordering = ["-site_published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-site_published_at"]),
            models.Index(fields=["source_url"]),
            # An outlet's page: its newest articles without reading and sorting all of them.
            models.Index(fields=["outlet", "status", "-site_published_at"]),
        ]
        constraints = [
            # Re-ingesting an article must find the first copy, also when two workers race.
            models.UniqueConstraint(fields=["url"], condition=~models.Q(url=""), name="unique_canonical_url"),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.pk])

    @property
    def headline(self) -> str:
        return self.title or self.original_title

    @property
    def is_japanese(self) -> bool:
        return self.language == "ja"

    @property
    def standfirst(self) -> str:
        """The lead a Japanese reader gets: the translated one, or the original when it is Japanese."""
        return self.lead_ja or (self.lead if self.is_japanese else "")

    @property
    def published_day(self) -> dt.date | None:
        """The original's day, when it gives a day without a time of day (stored as 0:00 JST)."""
        if not self.published_date_only or self.published_at is None:
            return None
        return self.published_at.astimezone(JST).date()

    @property
    def japanese_paragraphs(self) -> list[str]:
        """The body a Japanese reader gets: the original when it is Japanese, else the translation."""
        return self.paragraphs if self.is_japanese else self.translation

    @property
    def needs_translation(self) -> bool:
        return not self.is_japanese and not self.translation

    def publish(self, now=None):
        self.status = self.Status.PUBLISHED
        self.site_published_at = self.site_published_at or now or timezone.now()


class ArticleViews(models.Model):
    """Page views of an article on one day (JST), moved here from the cache by ``pageviews.flush``.

    Per day, not per hour: the rankings read views over a window of days and decay them by the
    article's age, not the view's, so nothing finer is ever asked for, and a row per article per
    day keeps the table small.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField("日付")
    views = models.PositiveIntegerField("閲覧数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "閲覧数"
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="one_views_row_per_day")]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views}"


class PipelineStage(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "未処理"
        DONE = "done", "完了"
        WAITING = "waiting", "編集待ち"
        FAILED = "failed", "失敗"

    article = models.ForeignKey(Article, verbose_name="記事", on_delete=models.CASCADE, related_name="stages")
    name = models.CharField("段階", max_length=20)
    state = models.CharField("状態", max_length=10, choices=State.choices, default=State.PENDING)
    error = models.TextField("最後のエラー", blank=True)
    attempts = models.PositiveIntegerField("試行回数", default=0)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "処理段階"
        constraints = [models.UniqueConstraint(fields=["article", "name"], name="one_row_per_stage")]

    def __str__(self):
        return f"{self.name}: {self.state}"
