"""The JSON comment API (described by ``openapi.py``, served at /api/openapi.json).

Cross-site forgery: these views are csrf_exempt (there is no form and no CSRF cookie for a script
to read), and instead every POST, and every DELETE with a body, must say ``Content-Type:
application/json``. A page on another site can only send that through a CORS preflight, which this
site never answers with permission, so a browser will not send such a request cross-site; plain
HTML forms can only send form encodings and text/plain. DELETE itself is never a "simple" request
either, so one without a body needs no Content-Type.

Every answer is JSON, errors too: ``{"error": "..."}`` with the status, never an HTML page; the
errors Django answers itself under /api/ become JSON in ``JsonErrorsMiddleware``.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re

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
from newsdesk.core.headers import api_headers

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
PAGE_CACHE_SECONDS = 300
JSON_DUMPS = {"ensure_ascii": False}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


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


# What Django answers itself, before or around the views, gets one of these lines as its error.
STATUS_MESSAGES = {
    400: "リクエストが正しくありません。",
    403: "このリクエストは受け付けられません。",
    404: "見つかりません。",
    405: "このメソッドは使えません。",
    500: "サーバーでエラーが起きました。",
}


class JsonErrorsMiddleware:
    """Every error under /api/ as JSON, also those Django answers with an HTML page: a Host not
    allowed (400), no URL matched (404), an exception outside ``api_view`` (500). It sits inside
    SecurityMiddleware in ``newsdesk.handlers.API_MIDDLEWARE``, so the answer keeps its headers,
    and gives every answer the API's Content-Security-Policy and Permissions-Policy
    (``core.headers.api_headers``), which the site's middleware adds to its pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return api_headers(response)
        fallback = STATUS_MESSAGES[500 if response.status_code >= 500 else 400]
        message = STATUS_MESSAGES.get(response.status_code, fallback)
        return api_headers(error_response(response.status_code, message, allow=response.get("Allow", "")))


def api_view(*methods: str):
    """JSON in and out, the listed methods only (HEAD wherever GET), every failure a JSON error."""
    if "GET" in methods:
        methods = tuple(sorted({*methods, "HEAD"}))

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


def _read_body(request) -> bytes:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, "Content-Length が正しくありません。") from None
    raw = b"" if length > MAX_BODY_BYTES else request.read(MAX_BODY_BYTES + 1)
    if length > MAX_BODY_BYTES or len(raw) > MAX_BODY_BYTES:
        raise ApiError(400, f"リクエストが大きすぎます（{MAX_BODY_BYTES // 1024}KBまで）。")
    return raw


def _strings(data):
    """Every key and string value in ``data``, walked without recursion (any depth json parsed)."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _payload(request, *, body_optional: bool = False) -> dict:
    """The JSON object a POST or DELETE sends, as the OpenAPI document says: a body is required
    (``{}`` will do) except where ``body_optional``, where an empty one counts as ``{}``.

    With ``body_optional`` an empty request without any Content-Type is accepted too. Only DELETE
    passes it: a browser sends no DELETE cross-site without a preflight, whatever its headers,
    while a POST without a Content-Type is a "simple" request any page can make.
    """
    raw = _read_body(request)
    content_type = (request.content_type or "").lower()
    if content_type != "application/json" and not (body_optional and not content_type and not raw):
        raise ApiError(415, "Content-Type: application/json で送ってください。")
    if not raw and body_optional:
        return {}
    if not raw:
        raise ApiError(400, "本文にJSONオブジェクトを送ってください（中身がなければ {}）。")
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:  # json's parser recurses once per level of nesting
        raise ApiError(400, "JSONの入れ子が深すぎます。") from None
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "JSONとして読めません。") from None
    if not isinstance(data, dict):
        raise ApiError(400, "JSONオブジェクトで送ってください。")
    # json reads "\ud800" as a lone surrogate, which no UTF-8 text (hash, database, answer) can hold.
    if any(_LONE_SURROGATE.search(text) for text in _strings(data)):
        raise ApiError(400, "JSONの文字列に対になっていないサロゲート（\\ud800 など）があります。")
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
    if request.method in ("GET", "HEAD"):
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
    data = _payload(request, body_optional=True)
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
