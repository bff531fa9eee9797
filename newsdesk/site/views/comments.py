"""The comment pieces of the article page that work without JavaScript: posting, reactions, reports.

Every write goes through :mod:`newsdesk.comments.posting`, the same service the JSON API uses; this
module only turns its answers into redirects (Post/Redirect/Get) or a re-rendered article page.
The forms are on a page cached for everyone, so they carry no CSRF token: the request's Origin
is checked instead (newsdesk/site/csrf.py).
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from newsdesk.articles.models import Article
from newsdesk.comments.forms import CommentForm
from newsdesk.comments.identity import client_address
from newsdesk.comments.models import Comment, Reaction
from newsdesk.comments.posting import CommentRefused, post_comment, react, report
from newsdesk.site.csrf import same_origin
from newsdesk.site.views.articles import COMMENT_SORTS, article_context

HELD_MESSAGE = "コメントを受け付けました。コメントは確認後に表示されます。"
REPORTED_MESSAGE = "通報しました。ご協力ありがとうございます。"
BAD_REACTION_MESSAGE = "リアクションの種類が正しくありません。"
MESSAGE_TAG = "comments"


def published_article(pk: int) -> Article:
    return get_object_or_404(Article.objects.published().select_related("outlet"), pk=pk)


def refused_response(request, article: Article, exc: CommentRefused, *, form=None, sort="old", page=1):
    """The article page again, with the refusal's message in the comment section and its status."""
    # A refused post shows the message beside the form (a form error); other refusals at the thread.
    notice = "" if form is not None else exc.message
    context = article_context(article, comment_form=form, sort=sort, page=page, notice=notice)
    response = render(request, "articles/detail.html", context, status=exc.status)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(max(1, math.ceil(float(retry_after))))
    return response


def thread_url(article: Article, *, sort: str = "old", page: int = 1, anchor: str = "comments") -> str:
    query = {}
    if sort != "old":
        query["sort"] = sort
    if page > 1:
        query["page"] = page
    return article.get_absolute_url() + (f"?{urlencode(query)}" if query else "") + f"#{anchor}"


def page_of(article: Article, number: int) -> int:
    """The page (oldest first) the visible comment ``number`` is on."""
    before = Comment.objects.filter(
        article=article, status=Comment.Status.VISIBLE, number__lte=number
    ).count()
    return max(1, math.ceil(before / settings.NEWSDESK["COMMENT_PAGE_SIZE"]))


def posted_params(request) -> tuple[str, int]:
    """``sort`` and ``page`` sent back by the small forms so the reader returns where they were."""
    sort = request.POST.get("sort", "old")
    if sort not in COMMENT_SORTS:
        sort = "old"
    try:
        page = max(1, int(request.POST.get("page", 1)))
    except (TypeError, ValueError):
        page = 1
    return sort, page


@require_POST
@same_origin
def post(request, pk: int):
    article = published_article(pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render(
            request, "articles/detail.html", article_context(article, comment_form=form), status=400
        )
    try:
        posted = post_comment(
            article,
            name=form.cleaned_data["name"],
            body=form.cleaned_data["body"],
            address=client_address(request),
        )
    except CommentRefused as exc:
        form.add_error(None, exc.message)
        return refused_response(request, article, exc, form=form)
    if posted.held:
        messages.info(request, HELD_MESSAGE, extra_tags=MESSAGE_TAG)
        return redirect(thread_url(article))
    number = posted.comment.number
    return redirect(thread_url(article, page=page_of(article, number), anchor=f"c{number}"))


def reaction_kind(value: str) -> Reaction.Kind | None:
    """``共感した`` or ``empathy`` → ``Reaction.Kind.EMPATHY``; anything else is ``None``."""
    for kind in Reaction.Kind:
        if value in (kind.value, kind.label):
            return kind
    return None


@require_POST
@same_origin
def reaction(request, pk: int, number: int):
    article = published_article(pk)
    sort, page = posted_params(request)
    kind = reaction_kind(request.POST.get("reaction", ""))
    if kind is None:
        context = article_context(article, sort=sort, page=page, notice=BAD_REACTION_MESSAGE)
        return render(request, "articles/detail.html", context, status=400)
    try:
        react(article, number, kind.label, client_address(request))
    except CommentRefused as exc:
        return refused_response(request, article, exc, sort=sort, page=page)
    return redirect(thread_url(article, sort=sort, page=page, anchor=f"c{number}"))


@require_POST
@same_origin
def report_comment(request, pk: int, number: int):
    article = published_article(pk)
    sort, page = posted_params(request)
    try:
        report(article, number, client_address(request), reason=request.POST.get("reason", "")[:200])
    except CommentRefused as exc:
        return refused_response(request, article, exc, sort=sort, page=page)
    messages.success(request, REPORTED_MESSAGE, extra_tags=MESSAGE_TAG)
    return redirect(thread_url(article, sort=sort, page=page, anchor=f"c{number}"))
