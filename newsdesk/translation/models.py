"""Glossary, translation memory, per-article translation record and usage.

- GlossaryEntry: names and terms editors keep in the admin; every backend gets them.
- TranslationMemory: one row per segment already translated, keyed by
  hash(source text, source language, backend id, glossary version): a key found here is never
  sent to a backend again.
- ArticleTranslation: the last machine translation of an article: backend, glossary version,
  glossary-check flags, the last error, and what the machine wrote (so a later run may replace
  its own headline but never an editor's).
- TranslationUsage: characters, tokens and requests of each run, per article and backend.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone


class GlossaryEntry(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "人名"
        ORGANIZATION = "organization", "組織・機関"
        GROUP = "group", "集団（ハッカー集団など）"
        PLACE = "place", "地名"
        TERM = "term", "用語"

    source = models.CharField(
        "原語表記", max_length=200, help_text="原文に現れる形（例：Kim Jong Un、김정은、Шойгу）。"
    )
    japanese = models.CharField("日本語表記", max_length=200, help_text="訳文で使う形（例：金正恩）。")
    language = models.CharField(
        "原文の言語",
        max_length=8,
        blank=True,
        help_text="en / ko / zh / ru。空欄はすべての言語に適用。",
    )
    kind = models.CharField("種類", max_length=20, choices=Kind.choices, default=Kind.TERM)
    note = models.CharField("メモ", max_length=300, blank=True)
    active = models.BooleanField("有効", default=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "用語集"
        ordering = ["language", "source"]
        constraints = [
            models.UniqueConstraint(fields=["source", "language"], name="unique_glossary_source_language")
        ]

    def __str__(self):
        return f"{self.source} → {self.japanese}"


class TranslationMemory(models.Model):
    key = models.CharField("キー", max_length=64, unique=True)
    backend = models.CharField("翻訳エンジン", max_length=200)
    source_language = models.CharField("原文の言語", max_length=8)
    glossary_version = models.CharField("用語集の版", max_length=16)
    source_text = models.TextField("原文")
    translation = models.TextField("訳文")
    created_at = models.DateTimeField("作成日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "翻訳メモリ"
        ordering = ["-created_at"]

    def __str__(self):
        return self.source_text[:60]

    @staticmethod
    def make_key(text: str, source_language: str, backend: str, glossary_version: str) -> str:
        payload = "\x1f".join([backend, source_language, glossary_version, text])
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ArticleTranslation(models.Model):
    article = models.OneToOneField(
        "articles.Article", verbose_name="記事", on_delete=models.CASCADE, related_name="machine_translation"
    )
    backend = models.CharField("翻訳エンジン", max_length=200, blank=True)
    glossary_version = models.CharField("用語集の版", max_length=16, blank=True)
    flags = models.JSONField(
        "用語チェック",
        default=list,
        blank=True,
        help_text="原文にある用語の日本語表記が訳文に見つからない箇所。",
    )
    error = models.TextField("最後のエラー", blank=True)
    output = models.JSONField("機械翻訳の出力", default=dict, blank=True)
    translated_at = models.DateTimeField("翻訳日時", null=True, blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "機械翻訳"
        ordering = ["-updated_at"]

    def __str__(self):
        return f"{self.article_id}: {self.backend}"


class TranslationUsage(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="記事",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translation_usage",
    )
    backend = models.CharField("翻訳エンジン", max_length=200)
    segments = models.PositiveIntegerField(
        "区分数", default=0, help_text="見出し・リード・キャプション・段落"
    )
    from_memory = models.PositiveIntegerField("メモリから", default=0)
    requests = models.PositiveIntegerField("リクエスト数", default=0)
    characters = models.PositiveIntegerField("送信文字数", default=0)
    input_tokens = models.PositiveIntegerField("入力トークン", default=0)
    output_tokens = models.PositiveIntegerField("出力トークン", default=0)
    succeeded = models.BooleanField("成功", default=True)
    seconds = models.FloatField("所要秒数", default=0)
    created_at = models.DateTimeField("日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "翻訳の使用量"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["backend", "-created_at"])]

    def __str__(self):
        return f"{self.backend}: {self.characters}字"
