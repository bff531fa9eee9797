"""The WSGI application the server runs: /api/ through the short middleware stack, pages through
the whole one. Called as a server calls it (the test client builds its own handler)."""

from __future__ import annotations

import io
import json
import os
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.views.csrf import csrf_failure

from newsdesk.comments.api import JsonErrorsMiddleware
from newsdesk.comments.models import Comment
from newsdesk.handlers import application_with_api

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def application():
    return application_with_api()


def call(
    application, method: str, path: str, payload=None, host="localhost", address="192.0.2.40", environ=None
):
    body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
    environ = {
        **(environ or {}),
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "HTTP_HOST": host,
        "REMOTE_ADDR": address,
        "CONTENT_TYPE": "application/json" if payload is not None else "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = {name.lower(): value for name, value in headers}

    answer["body"] = b"".join(application(environ, start_response))
    return answer


def test_api_post_through_the_short_stack_keeps_security_headers(application, article):
    answer = call(application, "POST", f"/api/articles/{article.pk}/comments", {"body": "サーバー経由の投稿"})
    assert answer["status"] == 201, answer["body"]
    assert json.loads(answer["body"])["no"] == 1
    assert Comment.objects.get(article=article, number=1).body == "サーバー経由の投稿"
    headers = answer["headers"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    # Nothing of the session, CSRF or language middleware ran.
    assert "set-cookie" not in headers and "content-language" not in headers


def test_api_refuses_a_host_not_allowed(application, article, settings):
    settings.ALLOWED_HOSTS = ["news.example.jp"]
    answer = call(
        application, "POST", f"/api/articles/{article.pk}/comments", {"body": "本文"}, host="evil.example"
    )
    assert answer["status"] == 400 and json.loads(answer["body"])["error"]
    assert answer["headers"]["content-type"] == "application/json"
    assert not Comment.objects.exists()
    listing = call(application, "GET", f"/api/articles/{article.pk}/comments", host="news.example.jp")
    assert listing["status"] == 200


def test_pages_keep_the_whole_stack(application, article):
    answer = call(application, "GET", article.get_absolute_url())
    assert answer["status"] == 200
    assert answer["headers"]["x-frame-options"] == "DENY"
    assert "etag" in answer["headers"]  # ReaderPageMiddleware's, outside the API's stack
    listing = call(application, "GET", f"/api/articles/{article.pk}/comments")
    assert listing["status"] == 200 and "x-frame-options" not in listing["headers"]


def test_the_process_environment_does_not_reach_requests(monkeypatch):
    # granian starts each request's environ from a copy of the process environment.
    monkeypatch.setenv("PROBE_SECRET_KEY", "s3cret")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
    seen = {}

    def recording_site(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b"ok"]

    monkeypatch.setattr("newsdesk.handlers.get_wsgi_application", lambda: recording_site)
    application = application_with_api()
    environ = {**os.environ, "HTTP_PROXY": "sent-by-the-client"}
    assert call(application, "GET", "/", environ=environ)["body"] == b"ok"
    assert "PROBE_SECRET_KEY" not in seen and "PATH" not in seen
    assert seen["HTTP_PROXY"] == "sent-by-the-client" and seen["PATH_INFO"] == "/"


@pytest.mark.parametrize(
    "path", ["/api/articles/{pk}\n/comments", "/api/articles/{pk}/comments\n", "/api/search\n", "/api/\n"]
)
def test_api_paths_with_a_newline_answer_json_404(application, article, path):
    for method in ("GET", "POST"):
        answer = call(application, method, path.format(pk=article.pk), {"body": "本文"})
        assert answer["status"] == 404 and answer["headers"]["content-type"] == "application/json"
        assert json.loads(answer["body"]) == {"error": "見つかりません。"}
        assert answer["headers"]["x-content-type-options"] == "nosniff"
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("exception", "status"),
    [(RuntimeError, 500), (PermissionDenied, 403), (SuspiciousOperation, 400), (Http404, 404)],
)
def test_errors_django_answers_itself_under_api_are_json(application, monkeypatch, exception, status):
    # /api/search is a site view, outside the comment API's own error handling.
    def fail(search):
        raise exception("secret detail")

    monkeypatch.setattr("newsdesk.search.service.run", fail)
    answer = call(application, "GET", "/api/search", environ={"QUERY_STRING": "q=x"})
    assert answer["status"] == status and answer["headers"]["content-type"] == "application/json"
    assert set(json.loads(answer["body"])) == {"error"} and b"secret" not in answer["body"]
    assert answer["headers"]["x-content-type-options"] == "nosniff"


def test_a_csrf_failure_page_under_api_would_be_json_too(rf):
    # The API's stack has no CSRF middleware (comments/api.py); were one added, its page turns JSON.
    middleware = JsonErrorsMiddleware(lambda request: csrf_failure(request, reason="no token"))
    response = middleware(rf.post("/api/articles/1/comments"))
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"error": "このリクエストは受け付けられません。"}
