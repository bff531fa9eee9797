"""Fetching an article's lead image once, storing its two copies, and finding them for the pages.

The image is fetched with the ingest's safe fetcher (http/https only, private addresses refused on
every hop, robots.txt, a time limit) under a smaller size limit, checked and copied by
``processing``; the copies go to Django's default storage (MEDIA_ROOT: a folder in the data dir).
Whatever goes wrong is recorded in the article's ArticleImage row, and the article goes on without
an image: pages then show the caption alone, never the source's image.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.images import processing, samples
from newsdesk.images.models import ArticleImage, image_source
from newsdesk.ingest import fetch as fetching
from newsdesk.ingest.service import fetch_policy

logger = logging.getLogger(__name__)


def image_policy() -> fetching.FetchPolicy:
    return dataclasses.replace(fetch_policy(), max_bytes=settings.NEWSDESK["IMAGE_MAX_BYTES"])


def _read(article: Article, source: str) -> tuple[bytes, str]:
    """The image's bytes and Content-Type: drawn for a sample, else fetched."""
    if article.is_sample:
        drawn = samples.drawing(article)
        if drawn is None:
            raise processing.ImageError("サンプル記事の画像は架空のサイトのものなので取得しません")
        return drawn, "image/png"
    result = fetching.fetch(source, image_policy())
    return result.content, result.content_type


def _save(article: Article, kind: str, copy: processing.Copy) -> str:
    """Stores one copy under a name made from its bytes; the same bytes are stored once."""
    digest = hashlib.sha256(copy.data).hexdigest()[:20]
    name = f"images/{article.pk}/{kind}-{digest}{copy.extension}"
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(copy.data))


def delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not delete stored image %s", name, exc_info=True)


def _files(row: ArticleImage | None) -> set[str]:
    if row is None:
        return set()
    return {name for name in (row.page_file.name, row.thumbnail_file.name) if name}


def _write(article: Article, row: ArticleImage | None, **fields) -> ArticleImage:
    """Creates or updates the row; files it no longer names are deleted once that is committed."""
    old = _files(row)
    row = row or ArticleImage(article=article)
    for key, value in fields.items():
        setattr(row, key, value)
    row.fetched_at = timezone.now()
    row.save()
    unused = old - _files(row)
    transaction.on_commit(lambda: delete_files(unused))
    return row


def _failed(article: Article, row: ArticleImage | None, source: str, error: str) -> ArticleImage:
    empty = {"width": 0, "height": 0, "page_file": "", "page_bytes": 0, "thumbnail_file": ""}
    return _write(article, row, source_url=source[:1000], error=error, **empty)


def update(article: Article) -> ArticleImage | None:
    """Fetches and stores the article's image unless it is stored already; the row, or None when
    images are off or the article names no image."""
    if not settings.NEWSDESK["IMAGES"]:
        return None
    row = ArticleImage.objects.filter(article=article).first()
    source = image_source(article)
    if not source:
        if row is not None:
            row.delete()  # the files go with it (signals)
        return None
    if row is not None and row.stored and row.source_url == source:
        return row
    try:
        data, content_type = _read(article, source)
    except (fetching.FetchError, processing.ImageError) as exc:
        logger.info("no image for article %s: %s", article.pk, exc)
        return _failed(article, row, source, str(exc))
    except Exception as exc:  # an article never waits on its image, whatever went wrong
        logger.exception("no image for article %s", article.pk)
        return _failed(article, row, source, f"{type(exc).__name__}: {exc}")
    return store(article, data, content_type, row)


def store(article: Article, data: bytes, content_type: str, row: ArticleImage | None = None) -> ArticleImage:
    """Checks the bytes of the article's image and stores its two copies, or records why not."""
    source = image_source(article)
    row = row or ArticleImage.objects.filter(article=article).first()
    try:
        processing.check_content_type(content_type)
        processed = processing.process(data, settings.NEWSDESK["IMAGE_MAX_PIXELS"])
    except processing.ImageError as exc:
        logger.info("no image for article %s: %s", article.pk, exc)
        return _failed(article, row, source, str(exc))
    return _write(
        article,
        row,
        source_url=source[:1000],
        error="",
        width=processed.page.width,
        height=processed.page.height,
        page_file=_save(article, "page", processed.page),
        page_bytes=len(processed.page.data),
        thumbnail_file=_save(article, "thumb", processed.thumbnail),
    )


def shown_image(article: Article) -> ArticleImage | None:
    """The stored image the article's pages show, or None (then no ``<img>`` at all)."""
    try:
        row = article.stored_image
    except ArticleImage.DoesNotExist:
        return None
    return row if row.usable else None


def attach_images(articles: Iterable[Article]) -> list[Article]:
    """Loads the stored images of a listing's articles in one query (``article.stored_image``)."""
    articles = list(articles)
    prefetch_related_objects(articles, "stored_image")
    return articles
