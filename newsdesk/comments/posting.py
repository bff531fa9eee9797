"""The comment service: posting, reacting, deleting one's own post, reporting, reading a thread.

The HTML form, the JSON API and the feed all go through here. Refusals are ``CommentRefused``
with the HTTP status and one Japanese line to show. Nothing here keeps or logs an address: the
caller passes it in and only keyed hashes of it (``identity``) are written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.articles.signals import comments_changed
from newsdesk.comments import abuse, identity, store
from newsdesk.comments.models import DEFAULT_NAME, Comment, Reaction, Report, Thread
from newsdesk.comments.render import clean_text, has_controls, render_body
from newsdesk.comments.spam import spam_score

__all__ = [
    "REACTIONS",
    "SORTS",
    "CommentRefused",
    "Posted",
    "delete_own",
    "invalidate_thread",
    "post_comment",
    "react",
    "reaction_counts",
    "report",
    "thread_page",
    "thread_state",
]

logger = logging.getLogger(__name__)

# Reaction key -> its label; both are accepted wherever a reaction is named.
REACTIONS = {kind.value: kind.label for kind in Reaction.Kind}
_REACTION_BY_NAME = {**{key: key for key in REACTIONS}, **{label: key for key, label in REACTIONS.items()}}
SORTS = {
    "new": ("-number",),
    "old": ("number",),
    "popular": ("-reaction_total", "number"),
}
DELETED_HTML = '<span class="deleted">このコメントは投稿者により削除されました。</span>'
NAME_MAX = Comment._meta.get_field("name").max_length
NAME_INPUT_MAX = NAME_MAX + 1 + identity.TRIP_KEY_CHARS  # 名前#キー as typed
NUMBERING_ATTEMPTS = 3
REASON_MAX = Report._meta.get_field("reason").max_length


class CommentRefused(Exception):
    """A post or action that is not done: ``status`` is the HTTP status, ``message`` the reason."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass
class Posted:
    comment: Comment
    delete_token: str
    held: bool


def _published(article: Article) -> None:
    if not Article.objects.published().filter(pk=article.pk).exists():
        raise CommentRefused(404, "記事が見つかりません。")


def _create_thread(article_id: int) -> None:
    # Comments written before threads existed (fixtures, imports) keep their numbers.
    Thread.objects.get_or_create(article_id=article_id, defaults={"last_number": _last_number(article_id)})


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _clean_input(name: str | None, body: str | None) -> tuple[str, str, str]:
    """(name, trip, body) cleaned and checked, or CommentRefused(400)."""
    if not isinstance(body, str) or (name is not None and not isinstance(name, str)):
        raise CommentRefused(400, "名前と本文は文字列で送ってください。")
    if has_controls(body) or has_controls(name or ""):
        raise CommentRefused(400, "制御文字は使えません。")
    # Lengths as sent (cleaning only shortens), the limits the API's document states.
    max_chars = settings.NEWSDESK["COMMENT_MAX_CHARS"]
    if len(body) > max_chars:
        raise CommentRefused(400, f"本文は{max_chars}文字以内で入力してください（現在{len(body)}文字）。")
    if name and len(name) > NAME_INPUT_MAX:
        raise CommentRefused(400, f"名前は「#」とキーを含めて{NAME_INPUT_MAX}文字以内で入力してください。")
    if len((name or "").replace("＃", "#").partition("#")[2]) > identity.TRIP_KEY_CHARS:
        raise CommentRefused(400, f"「#」の後のキーは{identity.TRIP_KEY_CHARS}文字以内で入力してください。")
    body = clean_text(body)
    if not body:
        raise CommentRefused(400, "本文を入力してください。")
    name, trip = identity.parse_name(name)
    if name == DEFAULT_NAME:
        name = ""
    if len(name) > NAME_MAX:
        raise CommentRefused(400, f"名前は{NAME_MAX}文字以内で入力してください。")
    return name, trip, body


def _last_number(article_id: int) -> int:
    return Comment.objects.filter(article_id=article_id).aggregate(last=Max("number"))["last"] or 0


def post_comment(article: Article | int, *, name: str | None, body: str, address: str, now=None) -> Posted:
    """Check, number and save one comment; held ones are saved too, for an editor to review.

    ``article`` is an Article or its id: whether it is published is part of the post's one read.
    """
    now = now or timezone.now()
    article_id = article if isinstance(article, int) else article.pk
    try:
        name, trip, body = _clean_input(name, body)
    except CommentRefused:
        if not Article.objects.published().filter(pk=article_id).exists():
            raise CommentRefused(404, "記事が見つかりません。") from None
        raise
    source = identity.source_hash(address)
    since = now - dt.timedelta(seconds=settings.NEWSDESK["COMMENT_DUPLICATE_SECONDS"])
    context = store.post_context(article_id, source, body, now, since)
    if context is None:
        raise CommentRefused(404, "記事が見つかりません。")
    if context.banned:
        raise CommentRefused(403, "この投稿元からの書き込みは現在制限されています。")
    if context.locked:
        raise CommentRefused(403, "このスレッドは書き込みが停止されています。")
    if wait := abuse.rate_limit(source, article_id, now):
        raise CommentRefused(429, f"連続投稿はできません。{wait}秒後にもう一度お試しください。", wait)
    if context.duplicate:
        raise CommentRefused(400, "同じ内容がすでに投稿されています。")
    if abuse.too_many_links(body):
        max_links = settings.NEWSDESK["COMMENT_MAX_LINKS"]
        raise CommentRefused(400, f"リンクは{max_links}個までです。")

    hold_reasons = []
    if ng := abuse.match_ng_word(name, body):
        if ng[1] == "reject":
            raise CommentRefused(400, "使用できない語句が含まれています。")
        hold_reasons.append(f"NGワード「{ng[0]}」")
    score = spam_score(body, name)
    if score >= settings.NEWSDESK["SPAM_THRESHOLD"]:
        hold_reasons.append(f"スパムスコア {score:.2f}")
    if context.hold_all:
        hold_reasons.append("スレッド全体が承認制")
    held = bool(hold_reasons)

    body_html, replies = render_body(body)
    token = secrets.token_urlsafe(24)
    comment = Comment(
        article_id=article_id,
        name=name,
        trip=trip,
        id_tag=identity.daily_id(address, article_id, now),
        body=body,
        body_html=body_html,
        created_at=now,
        status=Comment.Status.HELD if held else Comment.Status.VISIBLE,
        hold_reason="、".join(hold_reasons)[:200],
        spam_score=score,
        source_hash=source,
        delete_token_hash=_hash_token(token),
    )
    if not context.has_thread:
        _create_thread(article_id)
    for attempt in range(NUMBERING_ATTEMPTS):
        try:
            store.insert_numbered(comment, replies)
            break
        except Thread.DoesNotExist:
            raise CommentRefused(404, "記事が見つかりません。") from None  # deleted while posting
        except IntegrityError:
            # Only when comments were written around the service (fixtures, scripts): catch up.
            if attempt == NUMBERING_ATTEMPTS - 1:
                raise
            Thread.objects.filter(article_id=article_id).update(last_number=_last_number(article_id))
    if held:
        logger.info("comment >>%s on article %s held: %s", comment.number, article_id, comment.hold_reason)
    else:  # the store's SQL sends no post_save; a held post changes no page
        comments_changed.send(sender=Comment, article_id=article_id)
    return Posted(comment=comment, delete_token=token, held=held)


def _comment(article: Article, number: int, statuses=(Comment.Status.VISIBLE,)) -> Comment:
    _published(article)
    comment = Comment.objects.filter(article=article, number=number, status__in=statuses).first()
    if comment is None:
        raise CommentRefused(404, "コメントが見つかりません。")
    return comment


def reaction_counts(comment: Comment) -> dict[str, int]:
    """``{"共感した": n, "なるほど": n, "うーん": n}``."""
    return {label: getattr(comment, key) for key, label in REACTIONS.items()}


def react(article: Article, number: int, kind: str, address: str) -> Comment:
    """Add one reaction (key ``empathy`` or label ``共感した``); the same again changes nothing."""
    key = _REACTION_BY_NAME.get(kind.strip() if isinstance(kind, str) else kind)
    if key is None:
        raise CommentRefused(400, "リアクションは「共感した」「なるほど」「うーん」のどれかです。")
    comment = _comment(article, number)
    voter = identity.source_hash(address)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Reaction.objects.create(comment=comment, kind=key, voter_hash=voter)
        except IntegrityError:
            pass  # already reacted so
        else:
            Comment.objects.filter(pk=comment.pk).update(**{key: F(key) + 1})
            invalidate_thread(article.pk)
    comment.refresh_from_db()
    return comment


def delete_own(article: Article, number: int, token: str, now=None) -> None:
    """Delete one's own post with its token while COMMENT_DELETE_SECONDS last; the text goes."""
    now = now or timezone.now()
    comment = _comment(article, number, (Comment.Status.VISIBLE, Comment.Status.HELD))
    if (
        not isinstance(token, str)
        or not token
        or not comment.delete_token_hash
        or not hmac.compare_digest(_hash_token(token), comment.delete_token_hash)
    ):
        raise CommentRefused(403, "削除キーが正しくありません。")
    if now - comment.created_at > dt.timedelta(seconds=settings.NEWSDESK["COMMENT_DELETE_SECONDS"]):
        raise CommentRefused(403, "削除できる時間を過ぎています。")
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.DELETED,
        name="",
        trip="",
        body="",
        body_html=DELETED_HTML,
        replies_to=[],
        delete_token_hash="",
    )
    invalidate_thread(article.pk)


def report(article: Article, number: int, address: str, reason: str = "") -> None:
    """Report a visible comment to the editors; one report per reporter counts."""
    if not isinstance(reason, str) or len(reason) > REASON_MAX:
        raise CommentRefused(400, f"通報の理由は{REASON_MAX}文字以内の文字列で送ってください。")
    comment = _comment(article, number)
    reason = clean_text(reason, keep_newlines=False)  # only ever shorter
    with transaction.atomic():
        try:
            with transaction.atomic():
                Report.objects.create(
                    comment=comment, reporter_hash=identity.source_hash(address), reason=reason
                )
        except IntegrityError:
            return
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)


def thread_page(article: Article, sort: str = "old", page=1) -> Page:
    """One page of the visible comments, sorted ``new``, ``old`` or ``popular`` (most reactions).

    A page number out of range or not a number gives the nearest page (Paginator.get_page).
    """
    if sort not in SORTS:
        raise CommentRefused(400, "並び順は new、old、popular のどれかです。")
    comments = (
        Comment.objects.filter(article=article, status=Comment.Status.VISIBLE)
        .annotate(reaction_total=F("empathy") + F("insight") + F("doubt"))
        .order_by(*SORTS[sort])
    )
    return Paginator(comments, settings.NEWSDESK["COMMENT_PAGE_SIZE"]).get_page(page)


def thread_state(article_id: int) -> tuple[int, int]:
    """(version, last number): the version changes on every write to the thread, so cache keys of
    its pages include it; the last number bounds which pages can exist."""
    return Thread.objects.filter(article_id=article_id).values_list("version", "last_number").first() or (
        0,
        0,
    )


def invalidate_thread(article_id: int) -> None:
    """Make every cached page of this thread stale (call after changing its comments by hand)."""
    Thread.objects.filter(article_id=article_id).update(version=F("version") + 1)
    comments_changed.send(sender=Thread, article_id=article_id)


@receiver([post_save, post_delete], sender=Comment, dispatch_uid="comments.thread.invalidate")
@receiver([post_save, post_delete], sender=Thread, dispatch_uid="comments.thread.invalidate.thread")
def _thread_changed(instance, **kwargs):
    # Posting, and editors hiding or deleting in the admin, save the model; queryset updates
    # (reactions, deletions, moderation) call invalidate_thread themselves. The version lives in
    # the thread row, so it changes in the same transaction as the comment.
    if not kwargs.get("update_fields") or "version" not in kwargs["update_fields"]:
        invalidate_thread(instance.article_id)
