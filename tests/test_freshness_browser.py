"""The dates and the label of an old original in a real Chromium, on a wide screen and a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS


@pytest.fixture
def old_op_ed(article_factory):
    from django.utils import timezone

    from newsdesk.japanese.dates import jst_midnight

    return article_factory(
        outlet="www.a-rather-long-outlet-domain.example.com",
        title="2023年の論説が、きょう掲載されたときに読者が目にするもの",
        lead_ja="9月に書かれた論説。日付の行とラベルが、見出しの下で折り返して収まるかを確かめる。",
        published_at=jst_midnight(dt.date(2023, 9, 16)),
        published_date_only=True,
        site_published_at=timezone.now() - dt.timedelta(minutes=1),
    )


def fits(page, selector: str) -> None:
    """Each element the selector finds is visible and lies inside the viewport's width."""
    width = page.evaluate("document.documentElement.clientWidth")
    boxes = page.locator(selector)
    assert boxes.count() > 0, selector
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box is not None and box["width"] > 0, selector
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (selector, box, width)


@pytest.mark.parametrize("width", [1280, 375])
def test_dates_and_label_render_inside_the_page(live_server, old_op_ed, chromium, width, tmp_path):
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{old_op_ed.get_absolute_url()}")
        dateline = page.locator(".article .dateline")
        assert dateline.locator(".stale-label").inner_text() == "2023年9月の記事"
        assert dateline.locator(".date-original").inner_text() == "原文 2023年9月16日"
        assert dateline.locator(".date-ours").inner_text().startswith("掲載 ")
        # Under the headline, the lead first.
        headline = page.locator("h1.headline").bounding_box()
        standfirst = page.locator(".standfirst").bounding_box()
        assert headline["y"] + headline["height"] <= standfirst["y"] < dateline.bounding_box()["y"]
        # The label reads as a label: a border in the site's colour, not plain text.
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.stale-label')).borderTopStyle")
            == "solid"
        )
        fits(page, ".dateline .stale-label, .dateline .date-original, .dateline .date-ours")
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.screenshot(path=str(tmp_path / f"article-{width}.png"), full_page=True)

        page.goto(f"{live_server.url}/")
        item = page.locator(".article-item").first
        assert item.locator(".stale-label").inner_text() == "2023年9月の記事"
        assert item.locator(".date-original").inner_text() == "原文 2023年9月16日"
        assert item.locator(".item-excerpt").inner_text().startswith("9月に書かれた論説。")
        fits(page, ".item-meta .stale-label, .item-meta .date-original, .item-meta .date-ours, .item-outlet")
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.screenshot(path=str(tmp_path / f"latest-{width}.png"), full_page=True)
    finally:
        context.close()
