"""The JSON comment API (described by ``openapi.py``, served at /api/openapi.json).

Cross-site forgery: these views are csrf_exempt (there is no form and no CSRF cookie for a script
to read), and instead every POST and DELETE must say ``Content-Type: application/json``. A page
on another site can only send that through a CORS preflight, which this site never answers with
permission, so a browser will not send such a request cross-site; plain HTML forms can only send
form encodings and text/plain. DELETE itself is never a "simple" request either.

Every answer is JSON, errors too: ``{"error": "..."}`` with the status, never an HTML page.
"""

from __future__ import annotations

import functools
import json
import logging
import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from newsdesk.articles.models import Article
from newsdesk.comments import posting
from newsdesk.comments.identity import client_address
from newsdesk.comments.models import Thread
from newsdesk.comments.openapi import openapi_document

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
PAGE_CACHE_SECONDS = 300
JSON_DUMPS = {"ensure_ascii": False}


class ApiError(Exception):
    def __init__(self, status: int, message: str, retry_after: int | None = None, allow: str = ""):
        super().__init__(message)
        self.status, self.message, self.retry_after, self.allow = status, message, retry_after, allow


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params=JSON_DUMPS)


def error_response(status: int, message: str, retry_after: int | None = None, allow: str = ""):
    response = _json({"error": message, **({"retry_after": retry_after} if retry_after else {})}, status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    if allow:
        response["Allow"] = allow
    return response


def api_view(*methods: str):
    """JSON in and out, the listed methods only, every failure answered as a JSON error."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    raise ApiError(405, "このメソッドは使えません。", allow=", ".join(methods))
                return view(request, *args, **kwargs)
            except ApiError as error:
                return error_response(error.status, error.message, error.retry_after, error.allow)
            except posting.CommentRefused as refused:
                return error_response(refused.status, refused.message, refused.retry_after)
            except Exception:
                logger.exception("comment API failed on %s %s", request.method, request.path)
                return error_response(500, "サーバーでエラーが起きました。")

        return wrapped

    return decorate


def _payload(request) -> dict:
    """The JSON object a POST or DELETE sends; an empty body counts as ``{}``."""
    content_type = request.content_type or ""
    if content_type.lower() != "application/json":
        raise ApiError(415, "Content-Type: application/json で送ってください。")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, "Content-Length が正しくありません。") from None
    if length > MAX_BODY_BYTES:
        raise ApiError(400, f"リクエストが大きすぎます（{MAX_BODY_BYTES // 1024}KBまで）。")
    raw = request.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(400, f"リクエストが大きすぎます（{MAX_BODY_BYTES // 1024}KBまで）。")
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "JSONとして読めません。") from None
    if not isinstance(data, dict):
        raise ApiError(400, "JSONオブジェクトで送ってください。")
    return data


def _article(article_id: int) -> Article:
    # The thread needs the article's identity, not its body: skip the heavy text columns.
    article = (
        Article.objects.published().filter(pk=article_id).only("pk", "status", "site_published_at").first()
    )
    if article is None:
        raise ApiError(404, "記事が見つかりません。")
    return article


def comment_json(comment) -> dict:
    return {
        "no": comment.number,
        "name": comment.display_name,
        "trip": comment.trip,
        "id_tag": comment.id_tag,
        "body_html": comment.body_html,
        "created_at": timezone.localtime(comment.created_at).isoformat(),
        "reactions": posting.reaction_counts(comment),
        "replies_to": comment.replies_to,
    }


def _page_json(article: Article, sort: str, page: int) -> bytes:
    """The encoded page, cached as bytes: a 1,000-comment thread is served without re-encoding."""
    version, last_number = posting.thread_state(article.pk)
    # Past the last page the paginator answers the last page; one cache entry serves them all.
    page = min(page, max(1, math.ceil(last_number / settings.NEWSDESK["COMMENT_PAGE_SIZE"])))
    key = f"comments:page:{article.pk}:{version}:{sort}:{page}"
    body = cache.get(key)
    if body is None:
        result = posting.thread_page(article, sort, page)
        thread = Thread.objects.filter(article=article).first()
        data = {
            "count": result.paginator.count,
            "page": result.number,
            "pages": result.paginator.num_pages,
            "page_size": result.paginator.per_page,
            "sort": sort,
            "locked": bool(thread and thread.locked),
            "comments": [comment_json(comment) for comment in result.object_list],
        }
        body = json.dumps(data, **JSON_DUMPS).encode()
        cache.set(key, body, PAGE_CACHE_SECONDS)
    return body


@api_view("GET", "POST")
def comments(request, article_id: int):
    if request.method == "GET":
        article = _article(article_id)
        sort = request.GET.get("sort", "old")
        if sort not in posting.SORTS:
            raise ApiError(400, "sort は new、old、popular のどれかです。")
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            raise ApiError(400, "page は1以上の整数です。") from None
        if page < 1:
            raise ApiError(400, "page は1以上の整数です。")
        return HttpResponse(_page_json(article, sort, page), content_type="application/json")

    data = _payload(request)
    posted = posting.post_comment(
        article_id, name=data.get("name"), body=data.get("body"), address=client_address(request)
    )
    answer = {
        "no": posted.comment.number,
        "id_tag": posted.comment.id_tag,
        "delete_token": posted.delete_token,
        "held": posted.held,
    }
    if posted.held:
        answer["message"] = "投稿は確認後に表示されます。"
    return _json(answer, 202 if posted.held else 201)


@api_view("DELETE")
def comment(request, article_id: int, number: int):
    data = _payload(request)
    token = request.headers.get("X-Delete-Token") or data.get("delete_token") or data.get("token") or ""
    posting.delete_own(_article(article_id), number, token)
    return _json({"no": number, "deleted": True})


@api_view("POST")
def reactions(request, article_id: int, number: int):
    data = _payload(request)
    reaction = data.get("reaction")
    if not isinstance(reaction, str):
        raise ApiError(400, "reaction に「共感した」「なるほど」「うーん」のどれかを入れてください。")
    updated = posting.react(_article(article_id), number, reaction, client_address(request))
    return _json({"no": number, "reactions": posting.reaction_counts(updated)})


@api_view("POST")
def report(request, article_id: int, number: int):
    data = _payload(request)
    reason = data.get("reason", "")
    posting.report(_article(article_id), number, client_address(request), reason)
    return _json({"no": number, "reported": True}, 202)


@api_view("GET")
def openapi(request):
    return _json(openapi_document())


@api_view("GET", "POST", "PUT", "PATCH", "DELETE")
def not_found(request, rest: str = ""):
    raise ApiError(404, "見つかりません。")
