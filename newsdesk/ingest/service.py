"""Turning one input (file bytes or a URL) into a stored article, exactly once."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.ingest import feeds
from newsdesk.ingest import fetch as fetching
from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.document import ExtractedArticle, IngestError
from newsdesk.ingest.html import extract_html
from newsdesk.ingest.models import RawInput
from newsdesk.ingest.plaintext import extract_text
from newsdesk.japanese.dates import jst_midnight
from newsdesk.sources import recognize
from newsdesk.sources.models import Outlet

_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html|<head|<body|<article|<meta)", re.IGNORECASE)
_HTML_TAGS = re.compile(r"<(p|div|article|section|body|h1|br)[\s>/]", re.IGNORECASE)


@dataclass
class Stored:
    article: Article
    created: bool
    stages: list[PipelineStage] = field(default_factory=list)  # the rows just made, when created


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text)) or len(_HTML_TAGS.findall(text[:20000])) >= 3


def extract(text: str, url: str = "") -> ExtractedArticle:
    return extract_html(text, url) if looks_like_html(text) else extract_text(text, url)


def content_hash(extracted: ExtractedArticle) -> str:
    """Same article text, however it was copied (spacing, full-width forms), gives the same hash."""
    text = unicodedata.normalize("NFKC", extracted.text)
    return hashlib.sha256("".join(text.split()).encode()).hexdigest()  # split(): the characters \s matches


# Placeholders for the page's values in the earlier-copy lookup compiled once (told apart from
# the constant "" the lookup also holds).
_URL_VALUE = "\x00url"
_DIGEST_VALUE = "\x00digest"


@functools.cache
def _existing_lookup(vendor: str, by_url: bool, by_digest: bool) -> tuple[str, tuple]:
    """The earlier-copy query's SQL and parameters, placeholders included, for one database kind:
    building it through the ORM cost about as much as running it, on every page ingested. It reads
    the ids alone: most pages have no earlier copy, and one that has is read whole by its id."""
    match = Q(pk__in=[])
    if by_url:
        # The canonical URL's index is partial (non-empty URLs): the query must say so to use it.
        match |= (Q(url=_URL_VALUE) & ~Q(url="")) | Q(source_url=_URL_VALUE)
    if by_digest:
        match |= Q(content_hash=_DIGEST_VALUE)
    # Unordered, SQLite looks the few matches up in each column's index; ordered by id, it walks
    # every article instead, on every page ingested.
    return Article.objects.filter(match).order_by().values_list("pk").query.sql_with_params()


def find_existing(*, url: str = "", digest: str = "") -> Article | None:
    """The stored article with this canonical or source URL, or this content (the oldest if
    several match)."""
    if not url and not digest:
        return None
    sql, template = _existing_lookup(connection.vendor, bool(url), bool(digest))
    values = {_URL_VALUE: url, _DIGEST_VALUE: digest}
    with connection.cursor() as cursor:
        cursor.execute(sql, [values.get(param, param) for param in template])
        found = [pk for (pk,) in cursor.fetchall()]
    return Article.objects.filter(pk=min(found)).first() if found else None


def _outlet(extracted: ExtractedArticle, url: str) -> Outlet:
    """The article's outlet from the registry or what the input says (see sources.recognize)."""
    return recognize.outlet_for(
        urls=[extracted.url, url],
        domains=[extracted.outlet_domain],
        names=[extracted.outlet],
        title=extracted.raw_title or extracted.title,
    )


def _max_length(name: str) -> int:
    """The width of Article's text column ``name``."""
    field = Article._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


def _fit(value: str, field: str) -> str:
    """Cut a field the page made too long for its column (PostgreSQL refuses what SQLite accepts)."""
    return value[: _max_length(field)]


def _original_time(extracted: ExtractedArticle) -> datetime | None:
    """The original's publication time; a day without a time of day is kept as 0:00 JST of the day
    the input wrote, whatever zone it was read in, so that it reads back as that day."""
    value = extracted.published_at
    if value is None or not extracted.published_date_only:
        return value
    return jst_midnight(value.date())


def store(
    extracted: ExtractedArticle,
    *,
    kind: str,
    location: str,
    url: str,
    encoding: str,
    content: str,
    stages: list[str],
    sample: bool = False,
    publish: bool = False,
) -> Stored:
    """Creates the article, its raw input and its stage rows (``stages``, "extract" done) together,
    or finds the earlier copy. ``publish``: the pipeline publishes it once nothing needs an editor."""
    canonical = extracted.url or url
    if len(canonical) > _max_length("url") or len(url) > _max_length("source_url"):
        raise IngestError("記事のURLが長すぎます（1000文字まで）")
    digest = content_hash(extracted)
    if existing := find_existing(url=canonical, digest=digest):
        return Stored(existing, created=False)
    # Before the transaction: the outlet's rows are read in autocommit, where sources.remembered
    # may keep them for the next page (one it makes is committed even if the article is not).
    outlet = _outlet(extracted, canonical)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                outlet=outlet,
                url=canonical,
                source_url=url if kind == RawInput.Kind.URL else (url or canonical),
                author=_fit(extracted.author, "author"),
                author_bio=extracted.author_bio,
                original_title=_fit(extracted.original_title or extracted.title, "original_title"),
                title=_fit(extracted.title, "title") if extracted.shape == "curated" else "",
                lead=extracted.lead,
                language=extracted.language if extracted.shape == "curated" else "",
                paragraphs=extracted.paragraphs,
                translation=extracted.translation,
                summary=extracted.summary,
                image_url=extracted.image_url,
                caption=extracted.caption,
                published_at=_original_time(extracted),
                published_date_only=extracted.published_date_only and extracted.published_at is not None,
                content_hash=digest,
                is_curated=extracted.shape == "curated",
                is_sample=sample,
                publish_when_ready=publish,
            )
            RawInput.objects.create(
                article=article,
                kind=kind,
                location=location[:1000],
                shape=extracted.shape,
                encoding=encoding,
                content=content,
                dropped_lines=extracted.dropped_lines,
                drop_reasons=[reason for _, reason in extracted.dropped],
            )
            rows = PipelineStage.objects.bulk_create(
                PipelineStage(
                    article=article,
                    name=name,
                    state=PipelineStage.State.DONE if name == "extract" else PipelineStage.State.PENDING,
                    attempts=int(name == "extract"),
                )
                for name in stages
            )
    except IntegrityError:
        # Another worker stored the same article between our lookup and our insert.
        if existing := find_existing(url=canonical, digest=digest):
            return Stored(existing, created=False)
        raise
    return Stored(article, created=True, stages=rows)


def ingest_bytes(
    data: bytes,
    *,
    kind: str,
    location: str,
    stages: list[str],
    url: str = "",
    charset: str = "",
    sample: bool = False,
    publish: bool = False,
) -> Stored:
    limit = settings.NEWSDESK["MAX_INPUT_BYTES"]
    if len(data) > limit:
        raise IngestError(f"大きすぎる入力です（{len(data):,} バイト、上限 {limit:,} バイト）")
    text, encoding = decode_bytes(data, charset)
    if feeds.looks_like_xml(text):
        raise IngestError(
            "RSS/Atom フィードや XML の文書は記事として取り込めません"
            "（フィードは URL を指定すると記事ごとに取り込みます）"
        )
    return store(
        extract(text, url),
        kind=kind,
        location=location,
        url=url,
        encoding=encoding,
        content=text,
        stages=stages,
        sample=sample,
        publish=publish,
    )


def read_file(path: Path) -> bytes:
    """A saved page's bytes: only a regular file (a link to one is followed), never more than the
    input limit, however large the file claims or turns out to be."""
    limit = settings.NEWSDESK["MAX_INPUT_BYTES"]
    try:
        # A device or a FIFO is refused before it is opened: opening one can block or act.
        _regular(path.stat())
        # O_NONBLOCK: should the path now name a FIFO, opening it does not wait for a writer.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            size = _regular(os.fstat(file.fileno())).st_size
            data = file.read(limit + 1)
    except OSError as exc:
        raise IngestError(f"ファイルを読めません: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise IngestError(f"大きすぎるファイルです（{max(size, len(data)):,} バイト、上限 {limit:,} バイト）")
    return data


_KINDS = {
    stat.S_IFDIR: "フォルダ",
    stat.S_IFCHR: "デバイスファイル",
    stat.S_IFBLK: "デバイスファイル",
    stat.S_IFIFO: "名前付きパイプ",
    stat.S_IFSOCK: "ソケット",
}


def _regular(status: os.stat_result) -> os.stat_result:
    if not stat.S_ISREG(status.st_mode):
        kind = _KINDS.get(stat.S_IFMT(status.st_mode), "特殊なファイル")
        raise IngestError(f"通常のファイルではないため読み込みません（{kind}）")
    return status


def fetch_policy() -> fetching.FetchPolicy:
    conf = settings.NEWSDESK
    return fetching.FetchPolicy(
        user_agent=conf["USER_AGENT"],
        timeout=conf["FETCH_TIMEOUT"],
        max_bytes=conf["MAX_INPUT_BYTES"],
        allow_private=conf["FETCH_ALLOW_PRIVATE"],
    )


def fetch_url(url: str) -> fetching.FetchResult:
    return fetching.fetch(url, fetch_policy())


def feed_entries(result: fetching.FetchResult) -> list[feeds.FeedEntry] | None:
    """The entries when the fetched document is a feed, else None."""
    if not feeds.looks_like_feed(result.content, result.content_type):
        return None
    return feeds.parse_feed(result.content, base_url=result.url)
