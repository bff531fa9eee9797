"""Shared fixtures: outlets and articles made with sensible defaults, overridable per test."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from tests.browser import chromium  # noqa: F401  (Debian's Chromium through Playwright)
from tests.httpserver import dripper, server  # noqa: F401  (real servers on 127.0.0.1 for any test)

_counter = itertools.count(1)


def pytest_configure(config):
    # WhiteNoise warns (an error under -W error) when STATIC_ROOT does not exist yet.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session", autouse=True)
def _no_connection_outlives_the_tests(django_db_setup, django_db_blocker):
    """On PostgreSQL, end the sessions still open on the test database before it is dropped.

    ORM calls a browser test makes while Playwright's sync API runs open their connection in
    Playwright's greenlet, where nothing closes it; PostgreSQL then refuses to drop a database
    that is in use, and the run ends with an error after every test passed.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached thread pages live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_queue():
    """The in-process queue is global: a retry scheduled by one test must not leak into the next."""
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()


@pytest.fixture
def article(article_factory):
    """A published article with the factory's defaults; modules override it when they need more."""
    return article_factory()


@pytest.fixture
def outlet_factory(db):
    """``outlet_factory(domain=..., **fields)`` returns the Outlet with that domain, creating it:
    by default one whose full translation an editor has allowed."""
    from newsdesk.sources.models import Outlet

    def make(domain: str | None = None, **fields):
        domain = domain or f"outlet{next(_counter)}.example.com"
        fields.setdefault("name", domain.split(".")[0].title())
        fields.setdefault("language", "en")
        fields.setdefault("reuse_policy", Outlet.ReusePolicy.FULL)
        fields.setdefault("policy_reviewed", True)
        outlet, created = Outlet.objects.get_or_create(domain=domain, defaults=fields)
        if not created and fields:
            for key, value in fields.items():
                setattr(outlet, key, value)
            outlet.save()
        return outlet

    return make


@pytest.fixture
def article_factory(db, outlet_factory):
    """``article_factory(**fields)`` makes a published English article with a translation.

    Pass ``outlet=`` (an Outlet or a domain string) or ``reuse_policy=`` for its outlet, and any
    Article field to override a default; ``status="review"`` etc. make unpublished ones.
    """
    from newsdesk.articles.models import Article

    def make(**fields):
        number = next(_counter)
        outlet = fields.pop("outlet", None)
        reuse_policy = fields.pop("reuse_policy", None)
        if outlet is None or isinstance(outlet, str):
            outlet = outlet_factory(outlet or "example.com", name="Example Times")
        if reuse_policy is not None and outlet.reuse_policy != reuse_policy:
            outlet.reuse_policy = reuse_policy
            outlet.save(update_fields=["reuse_policy"])
        status = fields.setdefault("status", Article.Status.PUBLISHED)
        if status == Article.Status.PUBLISHED:
            fields.setdefault("site_published_at", timezone.now() - dt.timedelta(minutes=number))
        fields.setdefault("original_title", f"Original headline {number}")
        fields.setdefault("title", f"日本語の見出し{number}")
        fields.setdefault("language", "en")
        fields.setdefault("url", f"https://{outlet.domain}/news/{number}")
        fields.setdefault("paragraphs", ["First paragraph.", "Second paragraph."])
        fields.setdefault("translation", ["第一段落の翻訳。", "第二段落の翻訳。"])
        fields.setdefault("summary", [f"要約の一つ目{number}。", "要約の二つ目。"])
        fields.setdefault("content_hash", f"hash-{number}")
        return Article.objects.create(outlet=outlet, **fields)

    return make
