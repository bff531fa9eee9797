"""The API answers as its OpenAPI document (/api/openapi.json) says, checked by schemathesis.

schemathesis reads the document from the application as `newsdesk serve` runs it (the /api/ stack
of newsdesk.handlers), generates requests for every operation, valid ones and ones the document
rules out, sends them in process and checks each answer: no 5xx, a status the document lists for
the operation, a JSON body that fits the documented schema, documented headers, 4xx for data the
document rules out, 405 with Allow for methods it does not list. The path parameters are pinned to
a published article and its first comment, so generated requests reach the comment code instead
of stopping at 404.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from newsdesk.comments.posting import post_comment
from newsdesk.handlers import application_with_api

ARTICLE_ID = 7_000_001  # far above any id the sequence hands out in a test run

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application_with_api())
schema.config.update(parameters={"path.article_id": ARTICLE_ID, "path.no": 1})


@pytest.fixture
def _connection_kept():
    """What Django's test client does: the WSGI handler's request signals would close the database
    connection (close_old_connections) in the middle of the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def thread(_connection_kept, article_factory, settings):
    settings.NEWSDESK = {
        **settings.NEWSDESK,
        "COMMENT_RATE_THREAD": "1000000/60",
        "COMMENT_RATE_SITE": "1000000/60",
        # Generated posts repeat; refused as repeats, they would never reach the other checks.
        "COMMENT_DUPLICATE_SECONDS": 0,
    }
    article = article_factory(pk=ARTICLE_ID)
    post_comment(article, name=None, body="最初のコメント", address="192.0.2.1")
    return article


@schema.parametrize()
@settings(
    max_examples=100,  # per operation: all of them in 10-20 s on 2 cores, SQLite or PostgreSQL
    deadline=None,
    # The same requests on every run, so CI fails on a change, never on a draw; no example
    # database in .hypothesis/ carries failures from one run to the next.
    derandomize=True,
    database=None,
    # One thread for all of an operation's examples: what they post adds up, as on a real site.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_is_as_documented(case, thread):
    # A request the document allows can still be refused with 400: the same text posted again, too
    # many links, an NG word, a body of spaces only. The document cannot state those rules.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
