"""Export and import of every article as JSON Lines, with everything attached to it (raw inputs,
stages, thread, comments, reactions, reports): restored into an empty database, nothing of an
article is lost. Site-wide editorial data (feeds, bans, NG words, glossary, editor-added entities,
story titles) is not exported yet."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.comments.models import Comment, Reaction, Report, Thread
from newsdesk.ingest.models import RawInput
from newsdesk.sources.models import Outlet
from newsdesk.stories.exchange import export_fields as story_fields
from newsdesk.stories.exchange import restore as restore_story_fields

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
            "thread": _thread_record(article),
            "comments": [_comment_record(comment) for comment in article.comments.all()],
            **story_fields(article),
        }


def _fields(model, *leave_out: str) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name not in ("id", *leave_out)]


def _thread_record(article: Article) -> dict | None:
    thread = getattr(article, "thread", None)
    return {name: getattr(thread, name) for name in _fields(Thread, "article")} if thread else None


def _comment_record(comment: Comment) -> dict:
    """Every stored field (keyed hashes included, never an address), with reactions and reports."""
    record = {name: getattr(comment, name) for name in _fields(Comment, "article")}
    record["created_at"] = _time(comment.created_at)
    record["reactions"] = [
        {"kind": r.kind, "voter_hash": r.voter_hash, "created_at": _time(r.created_at)}
        for r in comment.reactions.all()
    ]
    record["reports"] = [
        {"reporter_hash": r.reporter_hash, "reason": r.reason, "created_at": _time(r.created_at)}
        for r in comment.reports.all()
    ]
    return record


def export_lines(stream) -> int:
    articles = (
        Article.objects.select_related("outlet")
        .order_by("pk")
        .prefetch_related("raw_inputs", "stages", "comments__reactions", "comments__reports")
        .select_related("thread")
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
    if record.get("thread"):
        Thread.objects.create(article=article, **record["thread"])
    for data in record.get("comments", []):
        reactions, reports = data.pop("reactions", []), data.pop("reports", [])
        comment = Comment.objects.create(
            article=article, **{**data, "created_at": _parse(data["created_at"])}
        )
        Reaction.objects.bulk_create(
            Reaction(comment=comment, **{**r, "created_at": _parse(r["created_at"])}) for r in reactions
        )
        Report.objects.bulk_create(
            Report(comment=comment, **{**r, "created_at": _parse(r["created_at"])}) for r in reports
        )
    restore_story_fields(article, record)


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; the next insert must not collide."""
    statements = connection.ops.sequence_reset_sql(
        no_style(), [Outlet, Article, PipelineStage, RawInput, Comment, Reaction, Report]
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
