"""The 訂正・更新 each exported article carries (``newsdesk export``), and their restore.

Revisions and edit locks are not exported (docs/decisions.md, Export).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime

from newsdesk.editorial.models import Correction


def export_fields(article) -> dict:
    """``corrections``: [{kind, note, created_at, editor (a user id of the ``user`` records)}]."""
    return {
        "corrections": [
            {
                "kind": correction.kind,
                "note": correction.note,
                "created_at": correction.created_at.isoformat(),
                "editor": correction.editor_id,
            }
            for correction in sorted(article.corrections.all(), key=lambda c: (c.created_at, c.pk))
        ]
    }


def restore(article, record: dict) -> None:
    corrections = record.get("corrections", [])
    editors = {c["editor"] for c in corrections if c.get("editor") is not None}
    known = set(get_user_model().objects.filter(pk__in=editors).values_list("pk", flat=True))
    Correction.objects.bulk_create(
        Correction(
            article=article,
            kind=correction["kind"],
            note=correction["note"],
            created_at=parse_datetime(correction["created_at"]),
            editor_id=correction.get("editor") if correction.get("editor") in known else None,
        )
        for correction in corrections
    )
