"""The comment thread in a real Chromium: hostile text stays text, posting without a reload, >>N
popups, the reader's mute list, reactions and deleting one's own post."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">押して</a> [押して](javascript:alert(1))',
    '"><svg onload=alert(1)>',
    "<b><i>閉じないタグ",
    "右から左\u202egnp.exe 上書き",
    "</textarea><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)></iframe>",
]

# Elements a payload would create if it were parsed as markup.
# Inline scripts other than the page's own JSON-LD (data, never run).
INJECTED = (
    "script:not([src]):not([type='application/ld+json']), main img, main svg, main iframe, [onerror], [onload], [onclick],"
    " a[href^='javascript' i]"
)


@pytest.fixture
def loose_limits(settings):
    # Every post comes from 127.0.0.1 here; payloads full of markup must not be held as spam.
    settings.NEWSDESK = {
        **settings.NEWSDESK,
        "COMMENT_RATE_THREAD": "1000/60",
        "COMMENT_RATE_SITE": "1000/60",
        "COMMENT_MAX_LINKS": 10,
        "SPAM_THRESHOLD": 2.0,
    }


@pytest.fixture
def article(article_factory, loose_limits):
    return article_factory(title="港湾協定が物流を変える")


def open_page(browser, url, *, javascript=True, width=375):
    context = browser.new_context(
        viewport={"width": width, "height": 812},
        device_scale_factor=2,
        java_script_enabled=javascript,
        locale="ja-JP",
    )
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    return context, page, dialogs


def post_with_form(page, body, name=""):
    page.fill("#id_name", name)
    page.fill("#id_body", body)
    page.click(".comment-form button[type=submit]")


def assert_inert(page, dialogs):
    page.wait_for_timeout(300)  # give any injected handler time to run
    assert dialogs == []
    assert page.locator(INJECTED).count() == 0, page.locator(INJECTED).evaluate_all(
        "nodes => nodes.map(n => n.outerHTML)"
    )
    assert page.evaluate("typeof window.__pwned") == "undefined"
    hrefs = page.locator(".comment-body a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(href.startswith(("#c", "http://", "https://")) for href in hrefs), hrefs


def shot_dir(tmp_path) -> Path:
    """Where screenshots go: COMMENT_SCREENSHOT_DIR to keep them for a look, else the test's tmp dir."""
    return Path(os.environ.get("COMMENT_SCREENSHOT_DIR") or tmp_path)


def bodies(page) -> list[str]:
    return page.locator(".comment-list .comment-body").all_inner_texts()


def test_hostile_text_posted_without_javascript_is_inert(live_server, article, chromium):
    url = f"{live_server.url}/articles/{article.pk}/"
    context, page, dialogs = open_page(chromium, url, javascript=False)
    try:
        for payload in PAYLOADS:
            post_with_form(page, payload, name='<svg onload=alert(1)>"')
            page.wait_for_url("**#c*")
    finally:
        context.close()

    context, page, dialogs = open_page(chromium, url)
    try:
        assert page.locator(".comment-list > .comment").count() == len(PAYLOADS)
        shown = bodies(page)
        assert shown[0] == "<script>alert(1)</script>"
        assert shown[1] == "<img src=x onerror=alert(1)>"
        assert shown[2] == "javascript:alert(1)"
        assert shown[4] == '"><svg onload=alert(1)>'
        assert shown[5] == "<b><i>閉じないタグ"
        assert "\u202e" not in shown[6] and "gnp.exe" in shown[6]
        assert page.locator(".comment-name").first.inner_text().startswith('<svg onload=alert(1)>"')
        # The broken markup did not leak out of its post.
        assert page.locator("main b, main i").count() == 0
        assert_inert(page, dialogs)
    finally:
        context.close()


def test_hostile_text_posted_with_javascript_is_inert_and_needs_no_reload(live_server, article, chromium):
    context, page, dialogs = open_page(chromium, f"{live_server.url}/articles/{article.pk}/")
    try:
        page.evaluate("window.__sameDocument = true")
        for count, payload in enumerate(PAYLOADS, start=1):
            post_with_form(page, payload, name="<img src=x onerror=alert(2)>#鍵")
            page.locator(f"#c{count}").wait_for()
            assert page.locator("#id_body").input_value() == ""
        assert page.evaluate("window.__sameDocument") is True  # no reload happened
        assert page.locator(".comment-count-number").inner_text() == str(len(PAYLOADS))
        assert page.locator(".form-status").inner_text() == f"{len(PAYLOADS)}番に書き込みました。"
        shown = bodies(page)
        assert shown[0] == "<script>alert(1)</script>"
        assert shown[4] == '"><svg onload=alert(1)>'
        first = page.locator("#c1")
        assert first.locator(".comment-name").inner_text().startswith("<img src=x onerror=alert(2)>◆")
        assert first.locator(".comment-id").inner_text().startswith("ID:")
        assert_inert(page, dialogs)

        # The same posts rendered by the server after a reload look the same.
        page.reload()
        assert bodies(page) == shown
        assert_inert(page, dialogs)
    finally:
        context.close()


def test_errors_from_the_api_are_shown_as_text(live_server, article, settings, chromium):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_RATE_THREAD": "1/60"}
    context, page, dialogs = open_page(chromium, f"{live_server.url}/articles/{article.pk}/")
    try:
        post_with_form(page, "一回目")
        page.locator("#c1").wait_for()
        post_with_form(page, "二回目<script>alert(1)</script>")
        errors = page.locator(".form-errors")
        errors.wait_for()
        assert "連続投稿はできません" in errors.inner_text()
        assert page.locator("#id_body").input_value() == "二回目<script>alert(1)</script>"
        assert_inert(page, dialogs)
    finally:
        context.close()


@pytest.fixture
def thread(article):
    from newsdesk.comments.posting import post_comment

    for number, body in enumerate(
        ["最初の書き込み", "二番目", "三番目です。>>1 に同意", "荒らしの書き込み", ">>1 と >>3 への返事"],
        start=1,
    ):
        post_comment(article, name="", body=body, address=f"198.51.100.{number}")
    return article


def test_anchor_popup_on_hover_tap_and_keyboard(live_server, thread, settings, chromium):
    settings.NEWSDESK = {**settings.NEWSDESK, "COMMENT_PAGE_SIZE": 3}
    context, page, dialogs = open_page(
        chromium, f"{live_server.url}/articles/{thread.pk}/?page=2", width=1024
    )
    try:
        # Post 1 is on page 1: the popup reads it from the API.
        anchor = page.locator("#c5 .comment-body a.anchor", has_text=">>1")
        anchor.hover()
        popup = page.locator(".comment-popup")
        popup.wait_for()
        page.wait_for_function(
            "() => document.querySelector('.comment-popup').textContent.includes('最初の書き込み')"
        )
        assert anchor.get_attribute("aria-describedby") == popup.get_attribute("id")
        page.mouse.move(0, 0)
        popup.wait_for(state="detached")

        # Keyboard: focusing the link opens it, Escape closes it.
        page.locator("#c5 .comment-body a.anchor", has_text=">>3").focus()
        page.wait_for_function(
            "() => document.querySelector('.comment-popup')?.textContent.includes('三番目です')"
        )
        page.keyboard.press("Escape")
        popup.wait_for(state="detached")
    finally:
        context.close()

    # A phone: a tap opens the popup (newest first, post 3 is on this page: cloned from it), a
    # second tap goes there.
    context = chromium.new_context(viewport={"width": 375, "height": 812}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/articles/{thread.pk}/?sort=new")
        anchor = page.locator("#c5 .comment-body a.anchor", has_text=">>3")
        anchor.tap()
        page.wait_for_function(
            "() => document.querySelector('.comment-popup')?.textContent.includes('三番目です')"
        )
        assert not page.url.endswith("#c3")
        popup_box = page.locator(".comment-popup").bounding_box()
        assert popup_box["x"] >= 0 and popup_box["x"] + popup_box["width"] <= 375
        # The clone carries no duplicate ids and no forms.
        assert page.locator(".comment-popup [id], .comment-popup form").count() == 0
        anchor.tap()
        page.wait_for_url("**#c3")
    finally:
        context.close()


def test_muting_an_id_and_a_word_survives_a_reload(live_server, thread, chromium, tmp_path):
    context, page, dialogs = open_page(chromium, f"{live_server.url}/articles/{thread.pk}/")
    try:
        troll = page.locator("#c4")
        troll.get_by_role("button", name="のコメントを非表示").click()
        assert troll.locator(".comment-inner").is_hidden()
        assert "非表示のコメント" in troll.locator(".comment-muted").inner_text()
        # Focus lands on the placeholder's button, not lost with the hidden post.
        assert page.evaluate("document.activeElement.className") == "comment-unmute"

        # An NG word from the settings panel, added with the keyboard only.
        page.locator(".mute-settings summary").focus()
        page.keyboard.press("Enter")
        page.locator("#mute-word-input").fill("同意")
        page.keyboard.press("Enter")
        assert page.locator("#c3 .comment-inner").is_hidden()
        assert page.locator("#c1 .comment-inner").is_visible()
        page.locator("#comments").screenshot(path=str(shot_dir(tmp_path) / "comments-muted-375.png"))

        page.reload()
        assert page.locator("#c4 .comment-inner").is_hidden()
        assert page.locator("#c3 .comment-inner").is_hidden()
        assert page.locator("#c4 .comment-muted").is_visible()
        assert page.locator(".mute-ids").text_content().startswith("ID:")

        # Shown once on request, and the mute can be lifted from the panel.
        page.locator("#c4 .comment-unmute").click()
        assert page.locator("#c4 .comment-inner").is_visible()
        page.locator(".mute-settings summary").click()
        page.locator(".mute-words button").click()
        assert page.locator("#c3 .comment-inner").is_visible()
        assert dialogs == []
    finally:
        context.close()


def test_reactions_report_and_deleting_my_own_post_with_javascript(live_server, thread, chromium):
    context, page, dialogs = open_page(chromium, f"{live_server.url}/articles/{thread.pk}/")
    try:
        page.evaluate("window.__sameDocument = true")
        empathy = page.locator("#c2 button[data-reaction='共感した']")
        empathy.click()
        page.wait_for_function(
            "() => document.querySelector('#c2 button[data-reaction=\"共感した\"] .reaction-count').textContent === '1'"
        )
        assert empathy.get_attribute("aria-pressed") == "true"
        page.locator("#c2 .report").click()
        page.wait_for_function(
            "() => document.querySelector('#c2 .comment-status').textContent.includes('通報しました')"
        )

        # Only my own post gets a delete button; it asks twice, without a dialog.
        assert page.locator(".delete-own").count() == 0
        post_with_form(page, "消す予定の書き込み")
        mine = page.locator("#c6")
        mine.wait_for()
        delete = mine.locator(".delete-own")
        delete.click()
        assert delete.inner_text() == "本当に削除する"
        delete.click()
        page.wait_for_function(
            "() => document.querySelector('#c6').textContent.includes('このコメントは削除されました')"
        )
        assert page.evaluate("window.__sameDocument") is True
        assert dialogs == []
    finally:
        context.close()

    from django.db import connection

    from newsdesk.comments.models import Comment

    try:
        assert Comment.objects.get(article=thread, number=6).status == Comment.Status.DELETED
        assert Comment.objects.get(article=thread, number=2).empathy == 1
        assert Comment.objects.get(article=thread, number=2).report_count == 1
    finally:
        # While Playwright runs, the ORM opens a connection of its own here; PostgreSQL would keep
        # the test database busy at teardown unless it is closed.
        connection.close()


def test_thread_at_phone_width(live_server, thread, chromium, tmp_path):
    context, page, dialogs = open_page(chromium, f"{live_server.url}/articles/{thread.pk}/#comments")
    try:
        client_width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= client_width
        page.locator("#c5 .comment-body a.anchor").first.hover()
        page.locator(".comment-popup").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= client_width
        # Buttons are big enough to tap.
        heights = page.locator("#c1 .comment-actions button").evaluate_all(
            "buttons => buttons.map(b => b.getBoundingClientRect().height)"
        )
        assert min(heights) >= 30
        page.locator("#comments").screenshot(path=str(shot_dir(tmp_path) / "thread-375.png"))
    finally:
        context.close()
