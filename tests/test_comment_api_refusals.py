"""Hostile input to the JSON API: each refusal a JSON error with its status, never a traceback or
an HTML page, and the limits the OpenAPI document states are the ones the code holds."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from newsdesk.comments.models import Comment, Report
from newsdesk.comments.openapi import openapi_document
from tests.test_comment_api import client_for, error_of, post, send, url

NESTED = "[" * 1100 + "]" * 1100


@pytest.fixture
def comment(article):
    return post(article, "本文", address="198.51.100.30").json()


def raw_send(method: str, path: str, body: str):
    return getattr(client_for(), method)(path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "parts", "payload"),
    [
        ("post", (), {"body": "本文\ud800"}),
        ("post", (), {"body": "本文", "name": "名前\udfff"}),
        ("post", (), {"body": "本文", "name": "名前#鍵\ud800"}),
        ("post", (1, "report"), {"reason": "荒らし\ud800"}),
        ("post", (1, "reactions"), {"reaction": "\ud800"}),
        ("delete", (1,), {"delete_token": "\ud800"}),
        ("post", (), {"body": "本文", "extra": {"\ud800": 1}}),
    ],
)
def test_a_lone_surrogate_anywhere_is_400(article, comment, caplog, method, parts, payload):
    body = json.dumps(payload)  # ensure_ascii: the surrogate travels as the escape \ud800
    assert "サロゲート" in error_of(raw_send(method, url(article, *parts), body), 400)
    assert Comment.objects.count() == 1 and not Report.objects.exists()
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_surrogate_pairs_are_text_not_refused(article):
    response = raw_send("post", url(article), '{"body": "絵文字 \\ud83d\\ude00"}')
    assert response.status_code == 201
    assert Comment.objects.get().body == "絵文字 😀"


@pytest.mark.parametrize(
    ("method", "parts"),
    [("post", ()), ("post", (1, "report")), ("post", (1, "reactions")), ("delete", (1,))],
)
def test_deeply_nested_json_is_400(article, comment, caplog, method, parts):
    body = f'{{"body": "本文", "reason": "x", "nested": {NESTED}}}'
    assert "入れ子" in error_of(raw_send(method, url(article, *parts), body), 400)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_nesting_the_parser_reads_is_walked_without_recursion(article):
    # Below the parser's limit, the check for surrogates must not hit one of its own.
    body = '{"body": "本文", "nested": ' + "[" * 500 + '"\\ud800"' + "]" * 500 + "}"
    assert "サロゲート" in error_of(raw_send("post", url(article), body), 400)


def test_an_encoded_newline_in_an_api_path_is_a_json_404(article):
    for path in (f"/api/articles/{article.pk}%0a/comments", "/api/search%0A", "/api/%0d%0a"):
        assert error_of(client_for().get(path), 404) == "見つかりません。"


def test_a_long_trip_key_or_name_is_400_with_the_limit(article):
    assert "115文字" in error_of(post(article, "本文", name="名前#" + "k" * 10_000), 400)
    assert "キーは64文字" in error_of(post(article, "本文", name="名前#" + "鍵" * 65), 400)
    assert "名前は50文字" in error_of(post(article, "本文", name="名" * 51), 400)
    assert "115文字" in error_of(post(article, "本文", name=" " * 116), 400)
    assert not Comment.objects.exists()
    response = post(article, "本文", name="名" * 50 + "#" + "鍵" * 64)
    assert response.status_code == 201
    assert Comment.objects.get().name == "名" * 50


def test_a_long_or_wrong_report_reason_is_400_not_cut(article, comment):
    assert "200文字" in error_of(send("post", url(article, 1, "report"), {"reason": "r" * 10_000}), 400)
    error_of(send("post", url(article, 1, "report"), {"reason": 5}), 400)
    assert not Report.objects.exists()
    response = send("post", url(article, 1, "report"), {"reason": "理" * 200})
    assert response.status_code == 202
    assert Report.objects.get().reason == "理" * 200


def test_report_needs_json_even_without_a_body(article, comment):
    # A POST without Content-Type is a "simple" request: any page could send it in a reader's name.
    error_of(Client(REMOTE_ADDR="198.51.100.31").post(url(article, 1, "report")), 415)
    assert not Report.objects.exists()
    document = openapi_document()["paths"]
    assert document["/articles/{article_id}/comments/{no}/report"]["post"]["requestBody"]["required"]
    assert not document["/articles/{article_id}/comments/{no}"]["delete"]["requestBody"]["required"]
    # The body it requires: "{}" will do; only spaces is no JSON object (Django's test client
    # sends no Content-Type at all with an empty body: the 415 above).
    client = Client(REMOTE_ADDR="198.51.100.32")
    error_of(client.post(url(article, 1, "report"), " ", content_type="application/json"), 400)
    assert not Report.objects.exists()
    assert client.post(url(article, 1, "report"), "{}", content_type="application/json").status_code == 202


def test_the_document_states_the_limits_the_code_holds():
    schemas = openapi_document()["components"]["schemas"]
    assert schemas["NewComment"]["properties"]["name"]["maxLength"] == 115
    assert schemas["NewReport"]["properties"]["reason"]["maxLength"] == 200


@pytest.mark.parametrize(
    "path", ["/api/articles/{pk}/comments", "/api/openapi.json", "/api/search?q=%E7%B1%B3"]
)
def test_head_works_wherever_get_does(article, path):
    response = client_for().head(path.format(pk=article.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("since", ["20240101", "2024-W01-1", "2024-1-1"])
def test_search_dates_are_as_documented_only(db, since):
    # The document says format: date (YYYY-MM-DD); Python's fromisoformat takes more.
    assert "YYYY-MM-DD" in error_of(client_for().get("/api/search", {"q": "米", "since": since}), 400)


def test_a_method_refused_names_head_among_those_allowed(article):
    response = client_for().options(url(article))
    error_of(response, 405)
    assert response["Allow"] == "GET, HEAD, POST"
