"""The ingest page in a real Chromium: an editor logs in, opens 取り込み from the admin index,
pastes a page's text, and watches its line turn into 作成 without reloading."""

from __future__ import annotations

import re

import pytest

from newsdesk.editorial import ingest_views
from newsdesk.pipeline import batches
from tests.browser import BROWSER_MARKS
from tests.ingest_inputs import ja_text

pytestmark = BROWSER_MARKS


@pytest.fixture
def slow_worker(monkeypatch):
    """Items wait until the page has asked for the batch's JSON once: the first poll finds them
    pending, as with a real worker that has not got to them yet; the next finds them done.
    (The live server shares the test's in-memory database, so the work runs in its thread.)"""
    waiting: list[int] = []
    polls: list[str] = []
    real_status = ingest_views.batch_status

    def status(site, request, batch_id):
        polls.append(request.path)
        if len(polls) > 1:
            while waiting:
                batches.process(waiting.pop(0))
        return real_status(site, request, batch_id)

    monkeypatch.setattr(batches, "enqueue", waiting.append)
    monkeypatch.setattr(ingest_views, "batch_status", status)
    return polls


def test_paste_a_page_and_see_it_become_an_article_without_reloading(
    live_server, admin_user, slow_worker, chromium, tmp_path
):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")

        page.screenshot(path=str(tmp_path / "admin-index.png"), full_page=True)
        page.click(".newsdesk-desk a:text-is('取り込み')")
        page.wait_for_url(f"{live_server.url}/admin/ingest/")
        assert page.locator("h1").inner_text() == "取り込み"
        page.fill("#id_text", ja_text())  # as pasted: the browser sends CRLF line breaks
        page.screenshot(path=str(tmp_path / "ingest-form.png"), full_page=True)
        page.click("input[type=submit][value='取り込む']")
        page.wait_for_url(re.compile(r".*/admin/ingest/\d+/$"))

        line = page.locator("#ingest-results tr.ingest-item")
        assert line.count() == 1
        assert "処理待ち" in line.inner_text() and "貼り付けたテキスト" in line.inner_text()
        assert page.locator("script:not([src])").count() == 0  # CSP-friendly: no inline script
        page.evaluate("window.notReloaded = true")

        page.wait_for_selector("#ingest-results tr.status-created", timeout=15_000)
        assert page.evaluate("window.notReloaded") is True
        assert "作成" in line.inner_text()
        assert page.locator(".ingest-pending").count() == 0
        assert len(slow_worker) >= 2  # it was the script that asked
        page.screenshot(path=str(tmp_path / "ingest-batch.png"), full_page=True)

        link = line.locator("a")
        title = link.inner_text()
        link.click()
        page.wait_for_url(re.compile(r".*/admin/articles/article/\d+/change/$"))
        assert page.locator("#id_title").input_value() == title
    finally:
        context.close()
