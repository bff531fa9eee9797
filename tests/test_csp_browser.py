"""The Content-Security-Policy and Permissions-Policy in a real Chromium: reader pages, the comment
script and the admin keep working under them, and nothing they load or run is refused.

The ``chromium`` fixture (tests/browser.py) fails any test whose pages met a violation; these tests
also check that the watch sees one when there is one, and that the features still work.
"""

from __future__ import annotations

import pytest

from tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS


@pytest.fixture
def article(article_factory, settings):
    # Every post comes from 127.0.0.1 here.
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_RATE_THREAD": "100/60", "COMMENT_RATE_SITE": "100/60"}
    article = article_factory(title="港湾協定が物流を変える")
    from newsdesk.comments.posting import post_comment

    for number, body in enumerate(["最初の書き込み", ">>1 に同意します"], start=1):
        post_comment(article, name="", body=body, address=f"198.51.100.{number}")
    article.first_comment_pk = article.comments.get(number=1).pk  # read before the browser starts
    return article


def open_page(browser, url: str, problems: list[str]):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    # Chromium names a feature it does not know in the Permissions-Policy header so.
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Permissions-Policy" in message.text else None,
    )
    response = page.goto(url)
    return context, page, response


def assert_policies(response) -> None:
    headers = response.all_headers()
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, policy
    assert "camera=()" in headers["permissions-policy"]


def styled(page) -> bool:
    """Whether the page's own stylesheets loaded (a refused one leaves no rules to read)."""
    return page.evaluate(
        "() => [...document.styleSheets].length > 0 && [...document.styleSheets].every(sheet => sheet.cssRules.length > 0)"
    )


def test_the_watch_sees_a_refused_style_attribute(live_server, article, chromium):
    problems: list[str] = []
    context, page, response = open_page(chromium, f"{live_server.url}/articles/{article.pk}/", problems)
    try:
        assert_policies(response)
        page.evaluate(
            "() => { const box = document.createElement('p'); box.setAttribute('style', 'color: red');"
            " document.body.append(box); }"
        )
        page.wait_for_timeout(200)
        assert any("style-src" in text for text in chromium.violations), chromium.violations
        chromium.violations.clear()  # seen, as it should be: not a failure of this test
    finally:
        context.close()


def test_front_page(live_server, article, chromium):
    problems: list[str] = []
    context, page, response = open_page(chromium, f"{live_server.url}/", problems)
    try:
        assert_policies(response)
        assert styled(page)
        assert page.locator(".site-name").inner_text()
        assert page.get_by_role("link", name=article.title).count() >= 1
        page.wait_for_timeout(200)
        assert problems == []
    finally:
        context.close()


def test_article_page_posts_a_comment_with_javascript(live_server, article, chromium):
    problems: list[str] = []
    context, page, response = open_page(chromium, f"{live_server.url}/articles/{article.pk}/", problems)
    try:
        assert_policies(response)
        assert styled(page)
        # JSON-LD is data: present, never run, and no violation for it.
        assert page.locator("script[type='application/ld+json']").count() >= 1
        assert page.locator("script:not([src]):not([type='application/ld+json'])").count() == 0
        assert page.locator("[style]").count() == 0

        page.evaluate("window.__sameDocument = true")
        page.fill("#id_body", "方針に賛成です")
        page.click(".comment-form button[type=submit]")
        page.locator("#c3").wait_for()
        assert page.evaluate("window.__sameDocument") is True  # posted by the script, no reload
        assert "方針に賛成です" in page.locator("#c3 .comment-body").inner_text()
        assert page.locator(".comment-count-number").inner_text() == "3"
        page.wait_for_timeout(200)
        assert problems == []
    finally:
        context.close()


def log_in(page, base_url: str, next_path: str) -> None:
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}{next_path}")


def test_admin_login_article_change_page_and_ingest_page(live_server, admin_user, article, chromium):
    problems: list[str] = []
    context, page, response = open_page(chromium, f"{live_server.url}/admin/login/", problems)
    try:
        assert_policies(response)
        assert styled(page)
        log_in(page, live_server.url, f"/admin/articles/article/{article.pk}/change/")
        assert page.locator("#id_title").input_value() == article.title

        # The change list's actions script: ticking all rows counts them.
        page.goto(f"{live_server.url}/admin/articles/article/")
        page.check("#action-toggle")
        assert page.locator(".action-counter").inner_text() == "1個中1個選択"

        page.goto(f"{live_server.url}/admin/comments/comment/{article.first_comment_pk}/change/")
        body = page.locator(".newsdesk-comment-body")
        assert body.evaluate("node => getComputedStyle(node).whiteSpace") == "pre-wrap"

        page.goto(f"{live_server.url}/admin/ingest/")
        assert page.locator("h1").inner_text() == "取り込み"
        assert styled(page)
        page.wait_for_timeout(200)
        assert problems == []
    finally:
        context.close()


def test_every_admin_page_linked_from_the_index(live_server, admin_user, article, chromium):
    """Each model's list and add page, and the editors' own pages linked from the index: nothing
    refused anywhere (the fixture's watch), Django's admin scripts included."""
    problems: list[str] = []
    context, page, _response = open_page(chromium, f"{live_server.url}/admin/login/", problems)
    try:
        log_in(page, live_server.url, "/admin/")
        links = page.locator("#content-main a[href^='/admin/']").evaluate_all(
            "links => [...new Set(links.map(a => a.getAttribute('href')))]"
        )
        assert len(links) > 10, links
        for link in links:
            response = page.goto(f"{live_server.url}{link}")
            assert response.status == 200, link
            assert_policies(response)
            assert styled(page), link
        page.wait_for_timeout(200)
        assert problems == []
    finally:
        context.close()
