"""Topic tags (半導体, 観光, ...) and which articles carry them."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.entities.models import Entity
from newsdesk.tags.matching import split_keywords


class Tag(models.Model):
    name = models.CharField("名称", max_length=100, unique=True, help_text="ページに表示する日本語の名称")
    slug = models.SlugField(
        "スラッグ", max_length=100, unique=True, help_text="URL用の英数字とハイフン（例：semiconductors）"
    )
    description = models.TextField("説明", blank=True, help_text="タグのページの見出しの下に表示します")
    keywords = models.TextField(
        "キーワード",
        blank=True,
        help_text=(
            "1行に1語。見出し・要約・リード・本文（外国語の記事は原文も）にどれかがあれば、"
            "自動でこのタグを付けます。全角・半角と英字の大文字・小文字は区別しません。"
            "英字とカタカナの語は語の途中には一致しません（「タイ」は「タイミング」に一致しない）。"
            "英語の複数形（semiconductors）には一致します。"
        ),
    )
    entities = models.ManyToManyField(
        Entity,
        verbose_name="人物・組織",
        blank=True,
        related_name="tags",
        help_text="ここに選んだ人物・組織・国・地名が登場する記事にも、自動でこのタグを付けます",
    )
    is_sample = models.BooleanField("サンプル", default=False)
    created_at = models.DateTimeField("登録日時", default=timezone.now)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "タグ"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tags:detail", args=[self.slug])

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)


class ArticleTagQuerySet(models.QuerySet):
    def shown(self):
        """The links readers see: the tagger's and the editors', not the editors' removals."""
        return self.exclude(source=ArticleTag.Source.REMOVED)


class ArticleTag(models.Model):
    """One tag on one article, and who decided it.

    The automatic tagger adds and deletes only ``auto`` rows. An editor's choice is a row of its
    own kind so that re-tagging (a keyword edited, the pipeline run again) never undoes it: an
    ``editor`` row stays whatever the keywords say, and a ``removed`` row stays in place, hiding
    the tag, because the unique (article, tag) pair then keeps the tagger from adding it back.
    """

    class Source(models.TextChoices):
        AUTO = "auto", "自動（キーワード・人物から）"
        EDITOR = "editor", "編集部が付けた"
        REMOVED = "removed", "編集部が外した"

    article = models.ForeignKey(
        Article, verbose_name="記事", on_delete=models.CASCADE, related_name="tag_links"
    )
    tag = models.ForeignKey(Tag, verbose_name="タグ", on_delete=models.CASCADE, related_name="article_links")
    source = models.CharField(
        "付け方",
        max_length=10,
        choices=Source.choices,
        default=Source.EDITOR,
        help_text="「編集部が外した」にすると自動では付け直しません。行を削除すると自動の判定に戻ります。",
    )

    objects = ArticleTagQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "記事のタグ"
        constraints = [
            models.UniqueConstraint(fields=["article", "tag"], name="one_link_per_article_and_tag")
        ]

    def __str__(self):
        return f"{self.tag}（{self.get_source_display()}）"
