"""Export and import of every article as JSON Lines: a backup that restores with nothing lost."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.comments.models import Comment
from newsdesk.ingest.models import RawInput
from newsdesk.sources.models import Outlet

ARTICLE_FIELDS = [
    "url",
    "source_url",
    "author",
    "author_bio",
    "title",
    "original_title",
    "lead",
    "lead_ja",
    "language",
    "paragraphs",
    "translation",
    "translator",
    "summary",
    "caption",
    "caption_ja",
    "image_url",
    "status",
    "content_hash",
    "is_curated",
    "is_sample",
]
TIME_FIELDS = ["published_at", "created_at", "site_published_at", "updated_at"]


class ImportFailure(Exception):
    pass


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_records(articles: Iterable[Article]) -> Iterator[dict]:
    for article in articles:
        raw_inputs = [
            {
                "kind": raw.kind,
                "location": raw.location,
                "shape": raw.shape,
                "encoding": raw.encoding,
                "content": raw.content,
                "dropped_lines": raw.dropped_lines,
                "received_at": _time(raw.received_at),
            }
            for raw in article.raw_inputs.all()
        ]
        yield {
            "id": article.pk,
            "outlet": article.outlet.name,
            "outlet_domain": article.outlet.domain,
            "outlet_language": article.outlet.language,
            "outlet_reuse_policy": article.outlet.reuse_policy,
            "outlet_is_sample": article.outlet.is_sample,
            **{name: getattr(article, name) for name in ARTICLE_FIELDS},
            **{name: _time(getattr(article, name)) for name in TIME_FIELDS},
            "dropped_lines": [line for raw in raw_inputs for line in raw["dropped_lines"]],
            "stages": [
                {"name": s.name, "state": s.state, "error": s.error, "attempts": s.attempts}
                for s in article.stages.all()
            ],
            "raw_inputs": raw_inputs,
            "comments": [
                {
                    "number": c.number,
                    "name": c.name,
                    "body": c.body,
                    "created_at": _time(c.created_at),
                    "is_visible": c.is_visible,
                }
                for c in article.comments.all()
            ],
        }


def export_lines(stream) -> int:
    articles = (
        Article.objects.select_related("outlet")
        .order_by("pk")
        .prefetch_related("raw_inputs", "stages", "comments")
    )
    count = 0
    for record in export_records(articles.iterator(chunk_size=200)):
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _outlet(record: dict, cache: dict) -> Outlet:
    key = (record["outlet_domain"], record["outlet"])
    if key not in cache:
        lookup = {"domain": key[0]} if key[0] else {"domain": "", "name": key[1]}
        cache[key], _ = Outlet.objects.get_or_create(
            **lookup,
            defaults={
                "name": record["outlet"],
                "language": record.get("outlet_language", ""),
                "reuse_policy": record.get("outlet_reuse_policy", Outlet.ReusePolicy.FULL),
                "is_sample": record.get("outlet_is_sample", False),
            },
        )
    return cache[key]


def _parse(value: str | None):
    return parse_datetime(value) if value else None


def import_lines(lines: Iterable[str]) -> int:
    """Restores an export into an empty database; all or nothing."""
    if Article.objects.exists():
        raise ImportFailure("データベースに記事があります。インポートは空のデータベースにだけ行えます")
    outlets: dict = {}
    count = 0
    with transaction.atomic():
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                _import_record(record, outlets)
            except (ValueError, KeyError, TypeError) as exc:
                raise ImportFailure(f"{number} 行目を読めません: {exc}") from exc
            count += 1
        _reset_sequences()
    return count


def _import_record(record: dict, outlets: dict) -> None:
    article = Article(
        pk=record["id"],
        outlet=_outlet(record, outlets),
        **{name: record[name] for name in ARTICLE_FIELDS if name in record},
        **{name: _parse(record.get(name)) for name in TIME_FIELDS if name != "updated_at"},
    )
    article.save(force_insert=True)
    # auto_now would stamp the import time; keep the exported one.
    Article.objects.filter(pk=article.pk).update(
        updated_at=_parse(record.get("updated_at")) or article.updated_at
    )
    PipelineStage.objects.bulk_create(
        PipelineStage(article=article, **stage) for stage in record.get("stages", [])
    )
    RawInput.objects.bulk_create(
        RawInput(
            article=article, **{**raw, "received_at": _parse(raw.get("received_at")) or article.created_at}
        )
        for raw in record.get("raw_inputs", [])
    )
    Comment.objects.bulk_create(
        Comment(article=article, **{**comment, "created_at": _parse(comment["created_at"])})
        for comment in record.get("comments", [])
    )


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; the next insert must not collide."""
    statements = connection.ops.sequence_reset_sql(
        no_style(), [Outlet, Article, PipelineStage, RawInput, Comment]
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
