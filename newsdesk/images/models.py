"""The stored copies of an article's lead image, or why there are none."""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin

from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.images.processing import THUMBNAIL_SIZE

CONTENT_TYPES = {".jpg": "image/jpeg", ".webp": "image/webp"}


def image_source(article: Article) -> str:
    """The absolute address of the article's image (``image_url`` may be relative to the page)."""
    url = article.image_url.strip()
    return urljoin(article.url or article.source_url, url) if url else ""


class ArticleImage(models.Model):
    """One row per article whose image the images stage tried: the two stored copies, or the error.

    File names are ``images/<article id>/<kind>-<hash of the bytes>.<ext>``, so a changed image gets
    a new address and a stored one can be cached for good. The site serves them by this row (see
    ``newsdesk/site/views/images.py``), never by a path taken from a request.
    """

    article = models.OneToOneField(
        Article, verbose_name="記事", on_delete=models.CASCADE, related_name="stored_image"
    )
    source_url = models.URLField("取得元の画像URL", max_length=1000, blank=True)
    width = models.PositiveIntegerField("幅", default=0, help_text="本文用の画像の幅（px）")
    height = models.PositiveIntegerField("高さ", default=0, help_text="本文用の画像の高さ（px）")
    page_file = models.FileField("本文用の画像", max_length=300, blank=True)
    page_bytes = models.PositiveIntegerField("本文用の画像のバイト数", default=0)
    thumbnail_file = models.FileField("一覧用の画像", max_length=300, blank=True)
    fetched_at = models.DateTimeField("取得日時", default=timezone.now)
    error = models.TextField("エラー", blank=True, help_text="空でなければ画像は表示されません")

    class Meta:
        verbose_name = verbose_name_plural = "画像"

    def __str__(self):
        return self.error or self.page_file.name or self.source_url

    @property
    def stored(self) -> bool:
        return bool(self.page_file and self.thumbnail_file and not self.error)

    @property
    def usable(self) -> bool:
        """Stored, and still the image the article names (an editor may have changed or removed it)."""
        return self.stored and self.source_url == image_source(self.article)

    def file_named(self, name: str) -> FieldFile | None:
        """The stored copy whose file name is ``name`` (no folder), else None."""
        for file in (self.page_file, self.thumbnail_file):
            if file and posixpath.basename(file.name or "") == name:
                return file
        return None

    def _url(self, file: FieldFile) -> str:
        return reverse("images:file", args=[self.article_id, posixpath.basename(file.name or "")])

    @property
    def page_url(self) -> str:
        return self._url(self.page_file)

    @property
    def thumbnail_url(self) -> str:
        return self._url(self.thumbnail_file)

    @property
    def thumbnail_width(self) -> int:
        return THUMBNAIL_SIZE[0]

    @property
    def thumbnail_height(self) -> int:
        return THUMBNAIL_SIZE[1]


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(posixpath.splitext(name)[1], "application/octet-stream")
