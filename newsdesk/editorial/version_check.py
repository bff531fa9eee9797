"""The article change form's guard against saving over a newer version, and its 訂正・更新 fields.

``guarded(form_class)`` (the admin's ``get_form``) adds to the form, without changing forms.py:

- ``newsdesk_version``, hidden: a digest of the stored values of every field the form writes,
  taken when the page was opened. When it no longer matches what is stored (another editor saved,
  a revert, or the pipeline changed the article) and what was submitted differs from what is
  stored, the save is refused: the form comes back with an error and ``form.conflict`` holds the
  differences between the stored article and the submission (headline, bullets, paragraphs, and
  the names of the other fields), and its version is brought up to date so that the editor, having
  seen them, can save again. A post without the field (a script, a page from before) is not
  checked. The stored row is read ``FOR UPDATE`` inside the admin's transaction, so two saves
  cannot both pass the check (SQLite's IMMEDIATE transactions serialize them anyway).
- ``newsdesk_correction_kind`` and ``newsdesk_correction_note``: mark this save as a 訂正 or 更新
  that readers are told about (a published article only); the admin stores the ``Correction``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.functional import cached_property

from newsdesk.articles.models import Article
from newsdesk.editorial import diffs, locks, revisions
from newsdesk.editorial.models import Correction

VERSION_FIELD = "newsdesk_version"
KIND_FIELD = "newsdesk_correction_kind"
NOTE_FIELD = "newsdesk_correction_note"
EXTRA_FIELDS = (VERSION_FIELD, KIND_FIELD, NOTE_FIELD)
# The text fields whose differences are shown item by item; others are named.
TEXT_FIELDS = ("title", "summary", "paragraphs", "translation")


def written_fields(form) -> list[str]:
    """The model fields the form writes."""
    model_fields = {field.name for field in form._meta.model._meta.concrete_fields}
    return [name for name in form.base_fields if name in model_fields]


def version_token(instance, names: list[str]) -> str:
    """A digest of the stored values of ``names``: equal tokens, nothing the form writes changed."""
    values = {name: instance._meta.get_field(name).value_from_object(instance) for name in names}
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def is_published(article: Article) -> bool:
    return (
        article.status == Article.Status.PUBLISHED
        and article.site_published_at is not None
        and article.site_published_at <= timezone.now()
    )


@dataclasses.dataclass
class Conflict:
    message: str
    sections: list[diffs.Section]
    other_fields: list[str]


def last_change(article: Article) -> str:
    """「最後の保存：山田さん、15:04」, or the time of the last change by anything else."""
    latest = revisions.versions(article.pk).first()
    if latest is not None and latest.revision.user is not None:
        revision = latest.revision
        if revision.date_created >= article.updated_at - revisions.SAME_SAVE:
            return (
                f"最後の保存：{locks.display_name(revision.user)}さん、{locks.clock(revision.date_created)}"
            )
    return f"最後の変更：{locks.clock(article.updated_at)}"


def guarded(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """``form_class`` with the version check and the correction fields."""

    class GuardedForm(form_class):  # type: ignore[valid-type,misc]
        newsdesk_version = forms.CharField(required=False, widget=forms.HiddenInput)
        newsdesk_correction_kind = forms.ChoiceField(
            label="読者への告知",
            required=False,
            choices=[("", "しない（告知のいらない直し）"), *Correction.Kind.choices],
        )
        newsdesk_correction_note = forms.CharField(
            label="説明",
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
            help_text="記事ページの出典欄に「訂正（日時）：説明」のように表示されます。",
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.conflict: Conflict | None = None
            if self.instance.pk is not None:
                self.fields[VERSION_FIELD].initial = version_token(self.instance, written_fields(self))

        @cached_property
        def changed_data(self):
            # The change message names what the editor changed, not these.
            return [name for name in super().changed_data if name not in EXTRA_FIELDS]

        def clean(self):
            cleaned = super().clean()
            self._check_correction(cleaned)
            self._check_version()
            return cleaned

        def _check_correction(self, cleaned: dict) -> None:
            kind = cleaned.get(KIND_FIELD)
            note = (cleaned.get(NOTE_FIELD) or "").strip()
            cleaned[NOTE_FIELD] = note
            if kind and not note:
                self.add_error(NOTE_FIELD, "読者に示す説明を書いてください。")
            elif note and not kind:
                self.add_error(KIND_FIELD, "訂正か更新かを選んでください。")
            elif kind and not is_published(self.instance):
                self.add_error(KIND_FIELD, "訂正・更新は公開済みの記事にだけ記録できます。")

        def _stored(self):
            rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
            if transaction.get_connection().in_atomic_block:
                rows = rows.select_for_update()
            return rows.first()

        def _check_version(self) -> None:
            loaded = self.data.get(self.add_prefix(VERSION_FIELD))
            stored = self._stored() if loaded and self.instance.pk is not None else None
            if stored is None:
                return
            names = written_fields(self)
            current = version_token(stored, names)
            if loaded == current:
                return
            probe = type(self)(self.data, self.files, instance=stored, prefix=self.prefix)
            differing = [name for name in probe.changed_data if name in names]
            if not differing:
                return  # what was sent is what is stored: nothing would be overwritten
            self.conflict = self._conflict(stored, probe, differing)
            self.add_error(None, forms.ValidationError(self.conflict.message, code="stale"))
            data = self.data.copy()
            data[self.add_prefix(VERSION_FIELD)] = current
            self.data = data

        def _submitted(self, probe, name: str):
            if name in self.cleaned_data:
                return self.cleaned_data[name]
            try:
                return probe.fields[name].clean(probe[name].data)
            except forms.ValidationError:
                return probe[name].data

        def _conflict(self, stored, probe, differing: list[str]) -> Conflict:
            shown = [name for name in TEXT_FIELDS if name in differing]
            sections = diffs.compare(
                {name: getattr(stored, name) for name in shown},
                {name: self._submitted(probe, name) for name in shown},
            )
            others = [str(self.fields[name].label) for name in differing if name not in TEXT_FIELDS]
            message = (
                f"保存していません。この記事は、あなたが開いた後に変更されています（{last_change(stored)}）。"
                "上の「保存されている内容との違い」を確かめ、残す内容に直してから、もう一度保存してください。"
            )
            return Conflict(message, sections, others)

    GuardedForm.__name__ = GuardedForm.__qualname__ = form_class.__name__
    return GuardedForm
