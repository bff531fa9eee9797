"""Debian's Chromium driven by Playwright, for the tests marked ``browser``.

A module uses it with ``pytestmark = BROWSER_MARKS``; the ``chromium`` fixture is registered in
tests/conftest.py. Never `playwright install`: the system's /usr/bin/chromium is used.

Every page opened through the fixture is watched for Content-Security-Policy violations (the
``securitypolicyviolation`` event, and Chromium's own console line for each): a test whose pages
met any fails when it ends, so a script, style or handler the policy blocks shows up in whichever
browser test touches it (docs/decisions.md, "Security headers").
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


VIOLATION_MARK = "newsdesk-csp-violation"
# Runs in every document before its own scripts (CDP, so the page's policy does not apply to it).
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("VIOLATION_MARK " + JSON.stringify({
    directive: event.effectiveDirective, blocked: event.blockedURI, page: event.documentURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
  }));
}, true);
""".replace("VIOLATION_MARK", VIOLATION_MARK)
# Chromium's console lines for a blocked load or inline script/style ("... violates the following
# Content Security Policy directive ..."; "Refused to ..." in older versions).
CONSOLE_MARKS = (VIOLATION_MARK, "Content Security Policy", "Refused to ")


def is_violation(text: str) -> bool:
    return any(mark in text for mark in CONSOLE_MARKS)


class WatchedBrowser:
    """The Playwright ``Browser``, whose contexts report policy violations into ``violations``."""

    def __init__(self, browser):
        self.browser = browser
        self.violations: list[str] = []

    def __getattr__(self, name):
        return getattr(self.browser, name)

    def watch(self, context):
        context.add_init_script(WATCH_VIOLATIONS)
        context.on("console", self.console)
        return context

    def console(self, message) -> None:
        if message.type in ("error", "warning") and is_violation(message.text):
            self.violations.append(message.text)

    def new_context(self, **options):
        return self.watch(self.browser.new_context(**options))

    def new_page(self, **options):
        return self.new_context(**options).new_page()  # its context closes with the browser


@pytest.fixture
def chromium(monkeypatch):
    # Request this fixture after the ones that write to the database: ORM calls made while
    # Playwright's sync API is running open a connection in its greenlet that is never closed.
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = WatchedBrowser(
            playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()
        if browser.violations:
            pytest.fail(
                "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(browser.violations)),
                pytrace=False,
            )
