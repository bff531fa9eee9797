"""An article's revisions (django-reversion): what each save in the admin left, and going back.

Saves in the admin make revisions (``VersionAdmin`` wraps the change page and the list's actions,
``revert`` makes its own); the pipeline's saves (workers, commands) make none. Before an editor's
save or a revert, when what is stored is not what the latest revision holds (the article was
ingested, or the pipeline changed it since), the stored state is kept first as a revision of its
own (``OUTSIDE_COMMENT``), so what an editor changed is always the difference between two
revisions, and a revert can itself be undone.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router, transaction
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from reversion.models import Revision, Version

from newsdesk.articles.models import Article
from newsdesk.editorial import diffs
from newsdesk.japanese.dates import JST
from newsdesk.pipeline import runner
from newsdesk.pipeline import stages as pipeline_stages

logger = logging.getLogger(__name__)

# What a revision keeps: the text editors write and the publication state.
FIELDS = (
    "title",
    "original_title",
    "lead_ja",
    "summary",
    "paragraphs",
    "translation",
    "caption_ja",
    "status",
    "site_published_at",
)
# What the history compares and a revert restores: headline, bullets, paragraphs.
TEXT_FIELDS = tuple(diffs.LABELS)
TIME_FIELDS = ("site_published_at",)
OUTSIDE_COMMENT = "編集画面の外での変更（取り込み・自動処理）"
# A revision is dated when its save began; the article's updated_at when it ended.
SAME_SAVE = dt.timedelta(minutes=1)
HISTORY_LIMIT = 200

if not reversion.is_registered(Article):
    reversion.register(Article, fields=FIELDS)


def jst_text(moment: dt.datetime) -> str:
    """``2026年12月4日 15:30`` in Japan time."""
    local = moment.astimezone(JST)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def versions(article_id) -> QuerySet[Version]:
    """The article's versions, newest first."""
    return (
        Version.objects.get_for_object_reference(Article, article_id)
        .select_related("revision__user")
        .order_by("-pk")
    )


def previous(version: Version) -> Version | None:
    return versions(version.object_id).filter(pk__lt=version.pk).first()


def content(version: Version | None) -> dict:
    """The version's headline, bullets and paragraphs; empty ones before the first version."""
    if version is None:
        return {name: [] for name in TEXT_FIELDS}
    fields = version.field_dict
    return {name: fields.get(name) for name in TEXT_FIELDS}


def _fields_of(serialized: str) -> dict:
    """The serialized fields, times parsed: one saved from a form is in Japan time, one read from
    the database in UTC."""
    fields = json.loads(serialized)[0]["fields"]
    return {
        name: parse_datetime(value) if name in TIME_FIELDS and value else value
        for name, value in fields.items()
    }


def keep_stored_state(article_id) -> Version | None:
    """Keeps the stored article as a revision when the latest revision does not hold it."""
    stored = Article.objects.filter(pk=article_id).first()
    if stored is None:
        return None
    data = serializers.serialize("json", [stored], fields=FIELDS)
    latest = versions(article_id).first()
    if latest is not None and _fields_of(latest.serialized_data) == _fields_of(data):
        return None
    revision = Revision.objects.create(date_created=stored.updated_at, user=None, comment=OUTSIDE_COMMENT)
    return Version.objects.create(
        revision=revision,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(stored.pk),
        db=router.db_for_write(Article),
        format="json",
        serialized_data=data,
        object_repr=str(stored),
    )


def history(article_id) -> list[dict]:
    """The newest ``HISTORY_LIMIT`` versions with what each changed from the one before."""
    found = list(versions(article_id)[: HISTORY_LIMIT + 1])
    rows = []
    for index, version in enumerate(found[:HISTORY_LIMIT]):
        before = found[index + 1] if index + 1 < len(found) else None
        rows.append(
            {
                "version": version,
                "when": jst_text(version.revision.date_created),
                "user": version.revision.user,
                "comment": version.revision.get_comment(),
                "changed": diffs.changed_labels(content(before), content(version)),
                "first": before is None,
            }
        )
    return rows


def revert(article: Article, version: Version, user) -> bool:
    """Restores the version's headline, bullets and paragraphs as a new revision, then runs the
    pipeline's stages again on them (all read the text). False when a stage failed: the restored
    text stays, the failure is on the stage's row for editors to see."""
    data = version.field_dict
    ok = True
    with transaction.atomic(), reversion.create_revision():
        keep_stored_state(article.pk)
        for name in TEXT_FIELDS:
            setattr(article, name, data.get(name) or ([] if name != "title" else ""))
        article.save()
        reversion.set_user(user)
        reversion.set_comment(f"{jst_text(version.revision.date_created)}の版に戻しました")
        try:
            runner.rerun(article, stages=list(pipeline_stages.stages()))
        except Exception:  # a stage that failed is on its row; the editor's revert stands
            logger.exception("rerunning the pipeline after a revert failed for article %s", article.pk)
            ok = False
    return ok
