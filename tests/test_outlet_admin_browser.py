"""The feed list fits a laptop screen: long feed addresses and errors do not widen the page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from newsdesk.sources.models import Outlet, Source
from tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS
PASSWORD = "とても長いパスワード"


@pytest.fixture
def feeds(db):
    get_user_model().objects.create_superuser("yamada", "", PASSWORD)
    outlet = Outlet.objects.create(name="サンプル経済新報（サンプル）", domain="keizai-shimpo.example")
    for number in range(3):
        Source.objects.create(
            outlet=outlet,
            url=f"https://feeds.keizai-shimpo.example/rss/markets/asia-pacific/semiconductors/{number}/"
            "latest-headlines-and-analysis.xml?format=rss2&edition=international",
            last_polled_at=timezone.now(),
            last_result=Source.Result.ERROR,
            last_error="フィードを読めません: the server answered 503 Service Unavailable after "
            "three retries over twelve minutes (upstream timeout at the edge)",
        )


def test_the_feed_list_fits_a_laptop_screen(live_server, feeds, chromium):
    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/sources/source/")
        page.fill("#id_username", "yamada")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#result_list")
        assert page.locator("#result_list tbody tr").count() == 3
        # Neither the page nor the admin's scrolling box around the table scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        results = page.locator("#changelist .results")
        assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
        # The whole address and error stay readable on hover.
        row = page.locator("#result_list tbody tr").first.inner_html()
        assert "edition=international" in row and "upstream timeout at the edge" in row
    finally:
        context.close()
