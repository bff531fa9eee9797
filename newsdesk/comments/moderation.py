"""What editors do to comments and threads, as plain functions the admin calls.

Each function takes a queryset (or a thread), changes rows in one transaction and returns what it
did, so the admin only reports counts and the tests can call the same code directly. Posters are
only ever handled by their keyed ``source_hash``; nothing here sees or stores an address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape

from newsdesk.comments.models import Ban, Comment, Thread
from newsdesk.comments.posting import invalidate_thread

DELETED_TEXT = "このコメントは削除されました"

Status = Comment.Status


def needs_attention(queryset: QuerySet[Comment]) -> QuerySet[Comment]:
    """The moderation queue: held posts, and reported posts that readers can still see."""
    return queryset.filter(Q(status=Status.HELD) | Q(status=Status.VISIBLE, report_count__gt=0))


def _changing(queryset: QuerySet[Comment]) -> QuerySet[Comment]:
    """Marks the threads of these comments as changed (their cached pages go stale); updates made
    with ``queryset.update()`` send no signals."""
    for article_id in set(queryset.values_list("article_id", flat=True)):
        invalidate_thread(article_id)
    return queryset


@transaction.atomic
def approve(queryset: QuerySet[Comment]) -> int:
    """Show held (or hidden) posts, and mark reported posts as reviewed.

    The reports themselves are kept as a record; ``report_count`` goes back to 0 so that an approved
    post leaves the queue until someone reports it again. Deleted posts stay deleted.
    """
    return (
        _changing(queryset)
        .exclude(status=Status.DELETED)
        .update(status=Status.VISIBLE, hold_reason="", report_count=0)
    )


@transaction.atomic
def hide(queryset: QuerySet[Comment]) -> int:
    """Take posts off the page; the number and text are kept so an editor can restore them."""
    return (
        _changing(queryset).exclude(status__in=[Status.HIDDEN, Status.DELETED]).update(status=Status.HIDDEN)
    )


@transaction.atomic
def delete(queryset: QuerySet[Comment]) -> int:
    """Remove what was written but keep the row, so post numbers and ``>>n`` links stay stable."""
    return (
        _changing(queryset)
        .exclude(status=Status.DELETED)
        .update(
            status=Status.DELETED,
            name="",
            trip="",
            body=DELETED_TEXT,
            body_html=escape(DELETED_TEXT),
            replies_to=[],
            hold_reason="",
        )
    )


@dataclass(frozen=True)
class BanResult:
    created: int  # new bans
    extended: int  # existing bans whose end moved later (or stayed, if already later)
    hidden: int  # comments hidden along with the ban
    without_source: int  # selected comments with no source hash to ban

    @property
    def sources(self) -> int:
        return self.created + self.extended


@transaction.atomic
def ban_sources(
    queryset: QuerySet[Comment], duration: dt.timedelta, reason: str = "", *, now: dt.datetime | None = None
) -> BanResult:
    """Ban the sources of the selected posts until ``now + duration`` and hide those posts.

    One Ban per source: an existing ban is extended, never shortened (a 24-hour ban does not cut
    a 7-day one short) and never duplicated.
    """
    now = now or timezone.now()
    until = now + duration
    comments = list(queryset.values_list("pk", "source_hash"))
    hashes = sorted({source_hash for _, source_hash in comments if source_hash})
    existing = {
        ban.source_hash: ban for ban in Ban.objects.select_for_update().filter(source_hash__in=hashes)
    }
    created = extended = 0
    for source_hash in hashes:
        ban = existing.get(source_hash)
        if ban is None:
            Ban.objects.create(source_hash=source_hash, until=until, reason=reason, created_at=now)
            created += 1
            continue
        ban.until = max(ban.until, until)
        if reason:
            ban.reason = reason
        ban.save(update_fields=["until", "reason"])
        extended += 1
    hidden = hide(Comment.objects.filter(pk__in=[pk for pk, _ in comments]))
    without_source = sum(1 for _, source_hash in comments if not source_hash)
    return BanResult(created=created, extended=extended, hidden=hidden, without_source=without_source)


@transaction.atomic
def lift_bans(queryset: QuerySet[Ban]) -> int:
    count, _ = queryset.delete()
    return count


def active_bans(now: dt.datetime | None = None) -> QuerySet[Ban]:
    return Ban.objects.filter(until__gt=now or timezone.now())


# Threads


def start_number(article_id: int) -> int:
    """The number a new Thread row must start from, if posts were made before it existed."""
    return Comment.objects.filter(article_id=article_id).aggregate(last=Max("number"))["last"] or 0


def _set(thread: Thread, **flags) -> bool:
    changed = [name for name, value in flags.items() if getattr(thread, name) != value]
    for name in changed:
        setattr(thread, name, flags[name])
    if changed:
        thread.save(update_fields=changed)
    return bool(changed)


def lock(thread: Thread) -> bool:
    """Stop new posts; returns whether anything changed."""
    return _set(thread, locked=True)


def unlock(thread: Thread) -> bool:
    return _set(thread, locked=False)


def hold_all(thread: Thread) -> bool:
    """Hold every new post of the thread for an editor's approval."""
    return _set(thread, hold_all=True)


def release_all(thread: Thread) -> bool:
    return _set(thread, hold_all=False)
