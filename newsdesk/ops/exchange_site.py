"""Site-wide editorial data in ``newsdesk export``: the rows no article owns.

One record per row, ``{"type": ..., "id": ..., <field>: <value>, ...}`` in the model's own field
names (Django's serializer: foreign keys by id, groups and permissions by natural key, times in
ISO 8601), written before the article records so that import has the outlets, the gazetteer and
the stories they refer to. Types, in file order:

- ``outlet`` (every outlet, also those with no article yet, with its names and registry key),
  ``outlet_alias`` (domains and names kept when outlets were merged), ``source`` (feeds and pages
  polled, with their polling state and last result);
- ``entity``, ``alias`` (the whole gazetteer: the migration's seed as editors left it, and what they
  added), ``candidate`` (reviewed and pending proper nouns: a rejected one is never proposed again);
- ``tag`` (topic tags with their keywords and linked entities; which articles carry them travels
  with each article);
- ``glossary`` (translation glossary), ``ng_word``, ``ban`` (keyed hash as stored);
- ``story`` (id, editor's title and its lock; the rest is recomputed from the articles);
- ``group``, ``user`` (password hashes as stored, so editors log in with the same password).

Not exported: translation memory and usage, per-article machine translation records, admin log,
sessions (see docs/decisions.md, "Export").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.db import IntegrityError, connection

from newsdesk.comments.models import Ban, NGWord
from newsdesk.entities.models import Alias, Candidate, Entity
from newsdesk.sources.models import Outlet, OutletAlias, Source
from newsdesk.stories.models import Story
from newsdesk.tags.models import Tag
from newsdesk.translation.models import GlossaryEntry

User = get_user_model()


class ImportFailure(Exception):
    """An import that cannot go on: its message (in Japanese) is shown to the operator."""


# type -> (model, fields to write or None for all); in the order they are written and restored.
SITE_TYPES = {
    "outlet": (Outlet, None),
    "outlet_alias": (OutletAlias, None),
    "source": (Source, None),
    "entity": (Entity, None),
    "alias": (Alias, None),
    "candidate": (Candidate, None),
    "tag": (Tag, None),
    "glossary": (GlossaryEntry, None),
    "ng_word": (NGWord, None),
    "ban": (Ban, None),
    # Profile, entity counts and article count are recomputed when the articles are restored.
    "story": (Story, ["title", "title_locked", "first_seen", "last_seen", "created_at", "updated_at"]),
    "group": (Group, None),
    "user": (User, None),
}
SITE_MODELS = [model for model, _ in SITE_TYPES.values()]
# Rows the migrations add to a new database (the starting gazetteer and glossary): an export
# carries them as its site left them, so they are replaced, not added to.
SEEDED = [Alias, Entity, GlossaryEntry]


def export_site_records() -> Iterator[dict]:
    for kind, (model, fields) in SITE_TYPES.items():
        rows = model.objects.order_by("pk")
        for row in serializers.serialize("python", rows, fields=fields, use_natural_foreign_keys=True):
            yield {"type": kind, "id": row["pk"], **row["fields"]}


class SiteImport:
    """Restores site-wide records; the first one checks the tables are empty and clears the seeds."""

    def __init__(self) -> None:
        self.started = False
        self.count = 0
        self.story_times: dict[int, datetime] = {}

    def add(self, kind: str, record: dict) -> None:
        if kind not in SITE_TYPES:
            raise ValueError(f"不明なレコードの種類です: {kind!r}")
        if not self.started:
            self._start()
        model, _ = SITE_TYPES[kind]
        node = {"model": model._meta.label_lower, "fields": {k: v for k, v in record.items() if k != "id"}}
        if "id" in record:
            node["pk"] = record["id"]
        for restored in serializers.deserialize("python", [node]):
            restored.save()  # a raw save: auto_now fields keep the exported times
            if model is Story:
                self.story_times[restored.object.pk] = restored.object.updated_at
        self.count += 1

    def _start(self) -> None:
        for model in SITE_MODELS:
            if model not in SEEDED and model.objects.exists():
                raise ImportFailure(
                    f"データベースに{model._meta.verbose_name}があります。"
                    "インポートは空のデータベースにだけ行えます"
                )
        for model in SEEDED:
            model.objects.all().delete()
        self.started = True

    def finish(self) -> None:
        """After the articles: references checked, stories' times as exported (restoring the
        articles recomputed the stories and stamped them)."""
        if not self.started:
            return
        try:
            connection.check_constraints(table_names=[model._meta.db_table for model in SITE_MODELS])
        except IntegrityError as exc:
            raise ImportFailure(f"参照先のないレコードがあります: {exc}") from exc
        for pk, moment in self.story_times.items():
            Story.objects.filter(pk=pk).update(updated_at=moment)
