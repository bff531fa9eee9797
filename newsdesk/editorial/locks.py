"""Two editors on one article: who has its change page open, and since when.

``hold(article, user)`` is called when an editor opens the change page and by the page's script
while it stays open (``editorial/edit_lock.js``, every ``REFRESH_SECONDS``): it takes the lock when
nobody holds it, the holder's lapsed (no refresh for ``EXPIRES``) or it is the caller's, and
otherwise leaves it to the holder and says who that is. A successful save lets it go.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from newsdesk.editorial.models import EditLock
from newsdesk.japanese.dates import JST

EXPIRES = dt.timedelta(minutes=10)
REFRESH_SECONDS = 60


def display_name(user) -> str:
    """How colleagues are named: the family name (山田), else the full name, else the login name."""
    if user is None:
        return "（削除された編集者）"
    return user.last_name or user.get_full_name() or user.get_username()


def clock(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """``15:02`` in Japan time today, ``12月3日 15:02`` another day."""
    local = moment.astimezone(JST)
    today = (now or timezone.now()).astimezone(JST).date()
    if local.date() == today:
        return f"{local:%H:%M}"
    return f"{local.month}月{local.day}日 {local:%H:%M}"


@dataclasses.dataclass(frozen=True)
class LockState:
    """The lock as the caller sees it: ``mine`` or held by ``holder`` (a name) since ``since``."""

    mine: bool
    holder: str = ""
    since: dt.datetime | None = None
    message: str = ""

    def as_json(self) -> dict:
        return {"mine": self.mine, "holder": self.holder, "message": self.message}


def _someone_else(lock: EditLock, now: dt.datetime) -> LockState:
    name = display_name(lock.user)
    return LockState(
        mine=False,
        holder=name,
        since=lock.since,
        message=f"{name}さんが {clock(lock.since, now)} から編集中です",
    )


def _live(lock: EditLock | None, now: dt.datetime) -> bool:
    return lock is not None and lock.refreshed > now - EXPIRES


def current(article_id: int, user, now: dt.datetime | None = None) -> LockState:
    """The lock without taking it (for an editor who may only view the article)."""
    now = now or timezone.now()
    lock = EditLock.objects.select_related("user").filter(article_id=article_id).first()
    if _live(lock, now) and lock is not None and lock.user_id != user.pk:
        return _someone_else(lock, now)
    return LockState(mine=False)


def hold(article_id: int, user, now: dt.datetime | None = None) -> LockState:
    """Takes or refreshes ``user``'s lock on the article, unless someone else holds a live one."""
    now = now or timezone.now()
    for _attempt in range(2):  # a second editor taking a free lock at the same moment: read it again
        try:
            with transaction.atomic():
                lock = (
                    EditLock.objects.select_for_update()
                    .select_related("user")
                    .filter(article_id=article_id)
                    .first()
                )
                if lock is not None and lock.user_id != user.pk and _live(lock, now):
                    return _someone_else(lock, now)
                if lock is None:
                    lock = EditLock.objects.create(article_id=article_id, user=user, since=now, refreshed=now)
                else:
                    if lock.user_id != user.pk or not _live(lock, now):
                        lock.user, lock.since = user, now
                    lock.refreshed = now
                    lock.save()
                return LockState(mine=True, holder=display_name(user), since=lock.since)
        except IntegrityError:
            continue
    return current(article_id, user, now)


def release(article_id: int, user) -> None:
    """Lets the article go, if ``user`` holds it."""
    EditLock.objects.filter(article_id=article_id, user=user).delete()
