"""Export and import of the site as JSON Lines: first the site-wide editorial data (outlets, feeds,
gazetteer, candidates, glossary, NG words, bans, story titles, editors' accounts: one record per
row with a ``type``, see ``exchange_site``), then every article (``"type": "article"``; files
without types, from before, are all articles) with everything attached to it (raw inputs, stages,
thread, comments, reactions, reports, 訂正・更新). Restored into an empty database, nothing an
editor made is lost."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.utils.dateparse import parse_date, parse_datetime

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.comments.models import Comment, Reaction, Report, Thread
from newsdesk.editorial.exchange import export_fields as correction_fields
from newsdesk.editorial.exchange import restore as restore_corrections
from newsdesk.editorial.models import Correction
from newsdesk.ingest.models import RawInput
from newsdesk.japanese.dates import jst_midnight
from newsdesk.ops.exchange_site import SITE_MODELS, ImportFailure, SiteImport, export_site_records
from newsdesk.sources.models import Outlet
from newsdesk.stories.exchange import export_fields as story_fields
from newsdesk.stories.exchange import restore as restore_story_fields
from newsdesk.tags.exchange import export_fields as tag_fields
from newsdesk.tags.exchange import restore as restore_tags

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
    "publish_when_ready",
]
# picked_at: the editors' オススメ is editorial data. Page views are computed and stay behind.
# published_at goes beside them by itself: see _original_time.
TIME_FIELDS = ["created_at", "site_published_at", "updated_at", "picked_at"]


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _original_time(article: Article) -> str | None:
    """The original's publication: a day without a time of day as the day ("2023-09-16"), any
    other as the datetime it is, as files have always had it."""
    day = article.published_day
    return day.isoformat() if day else _time(article.published_at)


def _original(value: str | None) -> dict:
    """``published_at`` (and ``published_date_only``) from a record's day or datetime."""
    day = parse_date(value) if value else None  # None for a datetime
    if day is not None:
        return {"published_at": jst_midnight(day), "published_date_only": True}
    return {"published_at": _parse(value)}


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
                "drop_reasons": raw.drop_reasons,
                "received_at": _time(raw.received_at),
            }
            for raw in article.raw_inputs.all()
        ]
        yield {
            "type": "article",
            "id": article.pk,
            "outlet": article.outlet.name,
            "outlet_domain": article.outlet.domain,
            "outlet_language": article.outlet.language,
            "outlet_reuse_policy": article.outlet.reuse_policy,
            "outlet_is_sample": article.outlet.is_sample,
            **{name: getattr(article, name) for name in ARTICLE_FIELDS},
            "published_at": _original_time(article),
            **{name: _time(getattr(article, name)) for name in TIME_FIELDS},
            "dropped_lines": [line for raw in raw_inputs for line in raw["dropped_lines"]],
            "stages": [
                {"name": s.name, "state": s.state, "error": s.error, "attempts": s.attempts}
                # In the pipeline's order (as made): PostgreSQL returns rows an UPDATE touched last.
                for s in sorted(article.stages.all(), key=lambda stage: stage.pk)
            ],
            "raw_inputs": raw_inputs,
            "thread": _thread_record(article),
            "comments": [_comment_record(comment) for comment in article.comments.all()],
            **story_fields(article),
            **tag_fields(article),
            **correction_fields(article),
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


def export_lines(stream) -> tuple[int, int]:
    """Writes the site-wide records, then the articles; returns how many of each."""
    site = 0
    for record in export_site_records():
        stream.write(json.dumps(record, ensure_ascii=False, default=_time) + "\n")
        site += 1
    articles = (
        Article.objects.select_related("outlet")
        .order_by("pk")
        .prefetch_related(
            "raw_inputs", "stages", "comments__reactions", "comments__reports", "tag_links", "corrections"
        )
        .select_related("thread")
    )
    count = 0
    for record in export_records(articles.iterator(chunk_size=200)):
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count, site


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


BAD_RECORD = (ValueError, KeyError, TypeError, DeserializationError, FieldDoesNotExist, DatabaseError)


def import_lines(lines: Iterable[str]) -> tuple[int, int]:
    """Restores an export into an empty database; all or nothing. Returns articles, site rows."""
    if Article.objects.exists():
        raise ImportFailure("データベースに記事があります。インポートは空のデータベースにだけ行えます")
    outlets: dict = {}
    site = SiteImport()
    count = 0
    with transaction.atomic():
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("JSON のオブジェクトではありません")
                kind = record.pop("type", "article")
                if kind == "article":
                    _import_record(record, outlets)
                    count += 1
                elif count:
                    raise ValueError("サイト全体のデータは記事より前に置きます")
                else:
                    site.add(kind, record)
            except BAD_RECORD as exc:
                raise ImportFailure(f"{number} 行目を読めません: {exc}") from exc
        site.finish()
        _reset_sequences()
    return count, site.count


def _import_record(record: dict, outlets: dict) -> None:
    article = Article(
        pk=record["id"],
        outlet=_outlet(record, outlets),
        **{name: record[name] for name in ARTICLE_FIELDS if name in record},
        **_original(record.get("published_at")),
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
    restore_tags(article, record)
    restore_corrections(article, record)


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; the next insert must not collide.

    A sequence is only ever moved forward: setval is not undone by a rollback, so lowering one
    to the imported rows' highest id would, after a failed import, hand out ids that rows
    already in the database hold.
    """
    if connection.vendor != "postgresql":
        return  # SQLite takes the next id from the table itself
    models = [Article, PipelineStage, RawInput, Comment, Reaction, Report, Correction, *SITE_MODELS]
    with connection.cursor() as cursor:
        for model in models:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f"SELECT setval(seq::regclass, GREATEST(COALESCE((SELECT MAX({connection.ops.quote_name(pk)}) FROM {connection.ops.quote_name(table)}), 1), "
                "(SELECT last_value FROM pg_sequences WHERE schemaname || '.' || sequencename = seq "
                "OR sequencename = seq), 1)) FROM pg_get_serial_sequence(%s, %s) AS seq",
                [table, pk],
            )
