"""Batches from the admin's ingest page: stored first, then one queued task per input.

``submit`` writes the batch and its items (inputs refused before queueing are written as failed,
without their content) and queues one task per item; the task (``process``) hands the item to
``intake.ingest`` and writes its result. A feed's entries become items of their own under it, each
not stored yet queued as a task of its own, so several workers share a feed and each article is
published as soon as its own item is done. ``KeptQueue`` does the same for the URLs of
``newsdesk ingest --enqueue``: a URL lives in its row, not only in a queued task a killed worker
would lose.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from newsdesk.pipeline import intake
from newsdesk.pipeline.models import IntakeBatch, IntakeItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

logger = logging.getLogger(__name__)

Kind, Status = IntakeItem.Kind, IntakeItem.Status
UNEXPECTED = "予期しないエラーで取り込めませんでした。もう一度試し、続くときは管理者に連絡してください"
INTERRUPTED = (
    "処理の途中でワーカーが止まったため、{attempts} 回とも終えられませんでした。"
    "入力を確かめて、もう一度取り込んでください"
)
# Kept after processing: what an address was is no secret, unlike pasted text and files.
ADDRESSES = (Kind.URL, Kind.ENTRY)
MAX_ATTEMPTS = 2  # an input that stops the worker each time is not tried for ever
NOT_A_URL = "http:// または https:// で始まるURLではありません"


@dataclass(frozen=True)
class Entry:
    """One input as the form read it; ``error`` set when it is refused before queueing."""

    kind: str
    label: str
    text: str = ""
    data: bytes = b""
    error: str = ""


def submit(
    entries: Sequence[Entry],
    *,
    user: User | AnonymousUser | None = None,
    url: str = "",
    publish: bool = False,
) -> IntakeBatch:
    """Stores the batch and its items, then queues a task for each item still to process."""
    now = timezone.now()
    with transaction.atomic():
        batch = IntakeBatch.objects.create(
            created_by=user if user is not None and user.is_authenticated else None,
            url=url,
            publish=publish,
        )
        items = IntakeItem.objects.bulk_create(
            IntakeItem(
                batch=batch,
                kind=entry.kind,
                label=entry.label[:1000],
                text="" if entry.error else entry.text,
                data=b"" if entry.error else entry.data,
                status=Status.FAILED if entry.error else Status.PENDING,
                message=entry.error,
                finished_at=now if entry.error else None,
            )
            for entry in entries
        )
    # Queued once the rows are committed: a worker must find them. Until it has processed an item,
    # the item's row holds its input.
    for item in items:
        if item.status == Status.PENDING:
            enqueue(item.pk)
    return batch


def enqueue(item_id: int) -> None:
    # Imported here: the task module imports this one, to run ``process`` in the worker.
    from newsdesk.pipeline.tasks import intake_item_task

    try:
        intake_item_task(item_id)
    except Exception:  # the queue is unreachable: the item waits in its row
        logger.exception("could not queue intake item %s", item_id)


def process(item_id: int) -> None:
    """Runs one item through ``intake.ingest`` and writes its result; never raises."""
    claimed = IntakeItem.objects.filter(pk=item_id, status=Status.PENDING).update(
        status=Status.PROCESSING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:  # already taken by another worker, or gone with its batch
        return
    item = IntakeItem.objects.select_related("batch").get(pk=item_id)
    try:
        results = intake.ingest(_input(item), _options(item))
    except _Refused as exc:
        results = [intake.Result(item.label, intake.Result.FAILED, message=str(exc))]
    except Exception:
        logger.exception("intake item %s failed", item_id)
        results = [intake.Result(item.label, intake.Result.FAILED, message=UNEXPECTED)]
    record(item, results)


class _Refused(Exception):
    pass


def _input(item: IntakeItem) -> intake.Input:
    if item.kind == Kind.TEXT:
        return intake.Pasted(item.text)
    if item.kind == Kind.FILE:
        return intake.Upload(item.label, bytes(item.data))
    # Only a web address: any other string would be read as a path on this machine.
    if not (intake.is_url(item.text) and item.text.lower().startswith(("http://", "https://"))):
        raise _Refused(NOT_A_URL)
    return item.text


def _options(item: IntakeItem) -> intake.Options:
    # The worker is the background here: the fetch and the stages run in this task; a feed's new
    # entries each get an item and a task of their own.
    url = item.batch.url if item.kind in (Kind.TEXT, Kind.FILE) else ""
    entries = functools.partial(_queue_entry, item)
    return intake.Options(url=url, publish=item.batch.publish, enqueue=False, queue_entry=entries)


def _queue_entry(feed: IntakeItem, url: str) -> None:
    entry = IntakeItem.objects.create(
        batch_id=feed.batch_id, feed=feed, kind=Kind.ENTRY, label=url[:1000], text=url
    )
    enqueue(entry.pk)


class KeptQueue:
    """``intake.Options.queue_url`` for ``newsdesk ingest --enqueue``: the URLs of one run become
    the items of one batch (made with the first), each queued once written."""

    def __init__(self, publish: bool = False) -> None:
        self.publish = publish
        self.batch: IntakeBatch | None = None

    def __call__(self, url: str) -> None:
        if self.batch is None:
            self.batch = IntakeBatch.objects.create(publish=self.publish)
        item = IntakeItem.objects.create(batch=self.batch, kind=Kind.URL, label=url[:1000], text=url)
        enqueue(item.pk)


def record(item: IntakeItem, results: Sequence[intake.Result]) -> None:
    """Writes what ``intake.ingest`` returned for ``item`` and drops the input it kept."""
    now = timezone.now()
    single = len(results) == 1 and (item.kind not in ADDRESSES or results[0].input == item.text)
    with transaction.atomic():
        if single:
            result = results[0]
            item.status, item.article, item.message = result.status, result.article, result.message
        else:  # a feed: one item per entry under it (an empty feed is one failed result)
            item.status, item.message = Status.FEED, f"記事 {len(results)} 件"
            # A queued entry's item was written as it was queued.
            done = [result for result in results if result.status != intake.Result.QUEUED]
            IntakeItem.objects.bulk_create(_entries(item, done, now))
        if item.kind not in ADDRESSES:
            item.text = ""
        item.data = b""
        item.finished_at = now
        item.save(update_fields=["status", "article", "message", "text", "data", "finished_at"])


def _entries(feed: IntakeItem, results: Iterable[intake.Result], now) -> list[IntakeItem]:
    return [
        IntakeItem(
            batch_id=feed.batch_id,
            feed=feed,
            kind=Kind.ENTRY,
            label=result.input[:1000],
            text=result.input,
            status=result.status,
            article=result.article,
            message=result.message,
            finished_at=now,
        )
        for result in results
    ]


def requeue_interrupted(cutoff: datetime) -> int:
    """Items a killed worker left: 処理中 since before ``cutoff`` (it was killed working on one),
    queued again, or failed once they have stopped a worker ``MAX_ATTEMPTS`` times; and 未処理
    items queued before ``cutoff`` (it was killed after taking one's task from the queue, before
    marking it 処理中: the task is gone), queued again. An item still waiting in a queue longer than
    that gets a second task, which finds it taken and does nothing. Each item is taken by one caller
    (the UPDATE matches the time it read). Returns how many were queued again."""
    requeued = 0
    stale = IntakeItem.objects.filter(status=Status.PROCESSING).filter(
        Q(started_at__lt=cutoff) | Q(started_at=None)  # None: taken before started_at was kept
    )
    for item in stale.only("pk", "kind", "text", "started_at", "attempts"):
        mine = IntakeItem.objects.filter(pk=item.pk, status=Status.PROCESSING, started_at=item.started_at)
        if item.attempts < MAX_ATTEMPTS:
            if mine.update(status=Status.PENDING, queued_at=timezone.now()):
                enqueue(item.pk)
                requeued += 1
        else:
            mine.update(
                status=Status.FAILED,
                message=INTERRUPTED.format(attempts=item.attempts),
                text=item.text if item.kind in ADDRESSES else "",
                data=b"",
                finished_at=timezone.now(),
            )
    lost = IntakeItem.objects.filter(status=Status.PENDING, queued_at__lt=cutoff)
    for item in lost.only("pk", "queued_at"):
        mine = IntakeItem.objects.filter(pk=item.pk, status=Status.PENDING, queued_at=item.queued_at)
        if mine.update(queued_at=timezone.now()):
            enqueue(item.pk)
            requeued += 1
    return requeued
