"""The gazetteer (entities and their aliases), candidates editors review, and what the "entities"
stage finds in each article: entity mentions, key figures and dated events."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article


class Kind(models.TextChoices):
    PERSON = "person", "人物"
    COUNTRY = "country", "国"
    PLACE = "place", "地名"
    ORGANISATION = "organisation", "組織"


class Entity(models.Model):
    name = models.CharField("名称", max_length=200, unique=True, help_text="ページに表示する日本語の名称")
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    slug = models.SlugField(
        "スラッグ", max_length=100, blank=True, help_text="URL用の英数字（空欄ならIDを使います）"
    )
    description = models.CharField("説明", max_length=300, blank=True)
    created_at = models.DateTimeField("登録日時", default=timezone.now)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人物・組織（辞書）"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], condition=~models.Q(slug=""), name="unique_entity_slug"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("entities:detail", args=[self.slug or str(self.pk)])

    @property
    def names(self) -> list[str]:
        """The name and every alias: what the matcher looks for."""
        return [self.name, *(alias.name for alias in self.aliases.all())]


class Alias(models.Model):
    entity = models.ForeignKey(
        Entity, verbose_name="人物・組織", on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(
        "別名", max_length=200, unique=True, help_text="表記ゆれ・英語名・肩書き付きの名前など"
    )

    class Meta:
        verbose_name = verbose_name_plural = "別名"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Mention(models.Model):
    """How often an article names an entity (rows replaced each time the stage runs)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entity_mentions")
    entity = models.ForeignKey(
        Entity, verbose_name="人物・組織", on_delete=models.CASCADE, related_name="mentions"
    )
    count = models.PositiveIntegerField("回数", default=1)
    first_position = models.PositiveIntegerField("最初の位置", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "記事中の人物・組織"
        ordering = ["first_position"]
        constraints = [models.UniqueConstraint(fields=["article", "entity"], name="one_mention_per_entity")]

    def __str__(self):
        return f"{self.entity}（{self.count}回）"


class Candidate(models.Model):
    """A proper noun the tokenizer found that the gazetteer does not know: editors approve or reject it."""

    class Status(models.TextChoices):
        PENDING = "pending", "確認待ち"
        APPROVED = "approved", "承認済み"
        REJECTED = "rejected", "却下"

    name = models.CharField("名称", max_length=200, unique=True)
    kind = models.CharField("種類（推定）", max_length=20, choices=Kind.choices)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.PENDING)
    entity = models.ForeignKey(
        Entity, verbose_name="登録先", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("初出日時", default=timezone.now)
    reviewed_at = models.DateTimeField("確認日時", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人物・組織の候補"
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class CandidateMention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="candidate_mentions")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="mentions")
    count = models.PositiveIntegerField("回数", default=1)
    first_position = models.PositiveIntegerField("最初の位置", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "記事中の候補"
        constraints = [
            models.UniqueConstraint(fields=["article", "candidate"], name="one_mention_per_candidate"),
        ]

    def __str__(self):
        return f"{self.candidate}（{self.count}回）"


class Figure(models.Model):
    """A key figure: a number with its unit or counter, and the sentence it comes from."""

    article = models.ForeignKey(
        Article, verbose_name="記事", on_delete=models.CASCADE, related_name="figures"
    )
    text = models.CharField("数字", max_length=100, help_text="本文のとおりの表記（例：年間1400万発）")
    value = models.DecimalField("数値", max_digits=30, decimal_places=6, null=True, blank=True)
    unit = models.CharField("単位", max_length=20, blank=True)
    sentence = models.TextField("文")
    paragraph = models.PositiveIntegerField("段落", default=0)
    position = models.PositiveIntegerField("位置", default=0, help_text="記事内での順番")

    class Meta:
        verbose_name = verbose_name_plural = "主な数字"
        ordering = ["article", "position"]

    def __str__(self):
        return self.text


class Event(models.Model):
    """A dated event: a date mentioned in the text, with the sentence it comes from."""

    class Precision(models.TextChoices):
        DAY = "day", "日"
        WEEK = "week", "週"
        MONTH = "month", "月"
        YEAR = "year", "年"

    article = models.ForeignKey(Article, verbose_name="記事", on_delete=models.CASCADE, related_name="events")
    date = models.DateField(
        "日付", help_text="週・月・年単位のものはその最初の日（週は月曜日、年度は4月1日）"
    )
    precision = models.CharField("精度", max_length=5, choices=Precision.choices)
    text = models.CharField("表記", max_length=50)
    sentence = models.TextField("文")
    paragraph = models.PositiveIntegerField("段落", default=0)
    position = models.PositiveIntegerField("位置", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "年表の出来事"
        ordering = ["date", "position"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.label}：{self.sentence[:40]}"

    @property
    def label(self) -> str:
        """The date in Japanese, as precise as the text was: 2023年9月13日 / 2024年9月23日の週 /
        2024年6月 / 2020年 / 2024年度."""
        return date_label(self.date, self.precision)


def date_label(date, precision: str) -> str:
    """How the timeline writes a date of this precision (a year dated 1 April is a fiscal year)."""
    if precision == Event.Precision.YEAR:
        return f"{date.year}年度" if (date.month, date.day) == (4, 1) else f"{date.year}年"
    if precision == Event.Precision.MONTH:
        return f"{date.year}年{date.month}月"
    if precision == Event.Precision.WEEK:
        return f"{date.year}年{date.month}月{date.day}日の週"
    return f"{date.year}年{date.month}月{date.day}日"
