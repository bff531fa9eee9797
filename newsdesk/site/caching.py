"""HTTP caching of reader pages: the same bytes for every anonymous reader, kept by any cache.

A view wrapped in ``reader_page`` answers GET and HEAD with ``Cache-Control: public`` (max-age and
s-maxage from settings) and a Last-Modified; ``ReaderPageMiddleware``, outermost, then adds the
ETag and answers conditional requests with 304. It makes the page private instead (``private,
no-store``) when the answer is not the same for everyone: a request carrying a session (an editor)
or a flash message, a response setting a cookie or varying on Cookie. So a template that starts
using ``{% csrf_token %}`` or the session turns its pages private rather than letting one reader's
page be served to another; the tests check every page type stays public.

``PAGE_CACHE_ATTRIBUTE`` on a response tells newsdesk's own page cache (newsdesk/site/pagecache.py)
that it may keep it: a public page whose query string holds only what the page reads (``?page=``,
``?q=``), so ``?utm_source=...`` variants are served but never fill the shared cache.
"""

from __future__ import annotations

import functools
from typing import Literal

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

PAGE_CACHE_ATTRIBUTE = "newsdesk_page_cache"
# On a reader page's view: which comments the page shows, so which numbers its copies are kept
# under (newsdesk/site/versions.py): "thread", the thread of the article in the path's ``pk``;
# "counts", comment counts of many articles.
COMMENT_SCOPE = "newsdesk_comment_scope"


def reader_page(*params: str, comments: Literal["thread", "counts"] | None = None):
    """Marks a view's 200 answers as public reader pages; ``params`` are the query parameters the
    page reads (any other makes the answer one the page cache does not keep); ``comments``, what
    it shows of the comments (none, an article's thread, or counts of many articles)."""
    allowed = frozenset(params)

    def decorate(view):
        @functools.wraps(view)
        def page(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD") and response.status_code == 200:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.NEWSDESK["PAGE_MAX_AGE"],
                    s_maxage=settings.NEWSDESK["PAGE_SHARED_MAX_AGE"],
                )
                if not response.has_header("Last-Modified"):  # feeds date themselves
                    response["Last-Modified"] = http_date()
                setattr(response, PAGE_CACHE_ATTRIBUTE, set(request.GET) <= allowed)
            return response

        setattr(page, COMMENT_SCOPE, comments)
        return page

    return decorate


def is_public(response) -> bool:
    return "public" in {
        directive.strip() for directive in response.get("Cache-Control", "").lower().split(",")
    }


def carries_personal_cookie(cookies) -> bool:
    """A session (editors) or a flash message waiting to be shown ("投稿を受け付けました"); an
    empty one (deleted, from a client that keeps it) carries nothing."""
    return bool(cookies.get(settings.SESSION_COOKIE_NAME) or cookies.get(CookieStorage.cookie_name))


def personal(request, response) -> bool:
    """Whether this answer may differ from the next reader's."""
    if carries_personal_cookie(request.COOKIES):
        return True
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",")}
    return bool(response.cookies) or "cookie" in vary


class ReaderPageMiddleware:
    """First in MIDDLEWARE (after the security headers), so it sees the cookies and Vary headers
    every other middleware added to a reader page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_public(response):
            return response
        if personal(request, response):
            del response["Cache-Control"]
            add_never_cache_headers(response)  # private, no-store: no cache may keep or share it
            setattr(response, PAGE_CACHE_ATTRIBUTE, False)
            return response
        if request.method != "GET" or response.streaming:
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        # Reader pages carry one (reader_page); a public answer of another view may not.
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )
