"""Debian's Chromium driven by Playwright, for the tests marked ``browser``.

A module uses it with ``pytestmark = BROWSER_MARKS``; the ``chromium`` fixture is registered in
tests/conftest.py. Never `playwright install`: the system's /usr/bin/chromium is used.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="/usr/bin/chromium is not installed (on CI this test always runs)",
    ),
]


@pytest.fixture
def chromium(monkeypatch):
    # Request this fixture after the ones that write to the database: ORM calls made while
    # Playwright's sync API is running open a connection in its greenlet that is never closed.
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
