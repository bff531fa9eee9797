"""The article page in a real Chromium at phone width: layout, numbered paragraphs, a comment without JS."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS


@pytest.fixture
def long_article(article_factory):
    from newsdesk.sources.models import Outlet

    long_url = "https://www.example.com/news/world-asia-" + "very-long-slug-" * 12 + "68000000"
    return article_factory(
        outlet="www.example.com",
        reuse_policy=Outlet.ReusePolicy.FULL,
        title="ロシアと北朝鮮の軍事協力、砲弾1400万発の供与が示すもの",
        original_title="How worrying is a Russia-Kim Jong Un alliance?",
        summary=[
            "北朝鮮はロシアに年間1400万発の砲弾を送っているとみられる。",
            "両国は2024年6月に包括的戦略パートナーシップ条約に署名した。",
            "専門家は、同盟が朝鮮半島の安全保障を大きく変えると指摘する。",
        ],
        paragraphs=["Paragraph one.", "Paragraph two.", "Paragraph three."],
        translation=[
            "ロシアのプーチン大統領は24年ぶりに平壌を訪れ、金正恩総書記と会談した。"
            "両首脳は相互防衛を含む条約に署名し、関係を「同盟」の水準に引き上げた。",
            "米国と韓国の当局者によると、北朝鮮はこれまでに数百万発の砲弾をロシアに送った。"
            "見返りとして、ロシアは食料や石油、軍事技術を提供しているとみられる。",
            "長いURLの例：" + long_url,
        ],
        author="Jane Doe",
        url=long_url,
        published_at=dt.datetime(2024, 6, 23, 16, 6, tzinfo=dt.UTC),
    )


def test_article_page_on_a_phone(live_server, long_article, chromium, tmp_path):
    context = chromium.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        java_script_enabled=False,
        locale="ja-JP",
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/articles/{long_article.pk}/")
        assert page.locator("html").get_attribute("lang") == "ja"
        assert page.locator("h1.headline").inner_text() == long_article.title

        # The stylesheet loaded and nothing scrolls sideways at phone width.
        assert page.evaluate("getComputedStyle(document.body).lineHeight") != "normal"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        client_width = page.evaluate("document.documentElement.clientWidth")
        assert scroll_width <= client_width, f"horizontal scroll: {scroll_width} > {client_width}"

        paragraphs = page.locator("ol.paragraphs > li")
        assert paragraphs.count() == 3
        assert [paragraphs.nth(i).get_attribute("id") for i in range(3)] == ["p1", "p2", "p3"]
        assert paragraphs.first.inner_text().startswith("ロシアのプーチン大統領は")
        # Numbered as a list: the first marker reads "1."
        assert (
            page.evaluate("getComputedStyle(document.querySelector('ol.paragraphs')).listStyleType")
            == "decimal"
        )

        # Without JavaScript the short URL is readable and the copy button stays hidden.
        assert page.locator("#short-url").input_value().endswith(f"/a/{long_article.pk}")
        assert page.locator(".copy-button").is_hidden()

        page.screenshot(path=str(tmp_path / "article-375.png"), full_page=True)

        # Post a comment with JavaScript off: a plain form POST, then the redirect back to it.
        page.fill("#id_name", "")
        page.fill("#id_body", "ブラウザからの書き込み\n二行目")
        page.click(".comment-form button[type=submit]")
        page.wait_for_url(f"**/articles/{long_article.pk}/#c1")
        comment = page.locator("#c1")
        assert "名無しさん" in comment.inner_text()
        assert "ブラウザからの書き込み\n二行目" in comment.locator(".comment-body").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= client_width
        page.screenshot(path=str(tmp_path / "article-375-comment.png"), full_page=True)
    finally:
        context.close()
    assert (tmp_path / "article-375.png").stat().st_size > 10_000


def test_copy_button_with_javascript(live_server, long_article, chromium):
    context = chromium.new_context(viewport={"width": 375, "height": 812})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/articles/{long_article.pk}/")
        button = page.locator(".copy-button")
        assert button.is_visible()
        # One line on a phone: 「コピー」 never breaks between its characters.
        box, line = (
            button.bounding_box(),
            page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('.copy-button')).lineHeight) || 24"
            ),
        )
        assert box and box["height"] < 2 * line
        button.click()
        page.wait_for_function("() => document.querySelector('.copy-status').textContent.length > 0")
        assert "コピー" in page.locator(".copy-status").inner_text()
    finally:
        context.close()


def test_rankings_beside_the_latest_list_on_a_wide_screen_and_below_it_on_a_phone(
    live_server, article_factory, chromium
):
    from django.utils import timezone

    from newsdesk.articles.models import ArticleViews

    for number in range(3):
        read = article_factory(
            title=f"よく読まれた記事{number + 1}", picked_at=timezone.now() if number == 0 else None
        )
        ArticleViews.objects.create(article=read, day=timezone.localdate(), views=10 - number)
    for width, beside in [(1280, True), (375, False)]:
        context = chromium.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}/")
            tops = page.locator(".top-lists").bounding_box()
            latest = page.locator(".tops-main").bounding_box()
            assert page.locator(".top-list ol li").all_inner_texts() == [
                "よく読まれた記事1",
                "よく読まれた記事2",
                "よく読まれた記事3",
            ]
            assert page.locator(".top-list ul li").all_inner_texts() == ["よく読まれた記事1"]
            if beside:
                assert tops["x"] >= latest["x"] + latest["width"] and tops["y"] < latest["y"] + 100
            else:
                assert tops["y"] >= latest["y"] + latest["height"]
            assert page.evaluate(
                "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            )
        finally:
            context.close()


def test_the_original_beside_its_translation_keeps_the_paragraph_numbers(live_server, long_article, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/articles/{long_article.pk}/?original=1")
        second = page.locator("#p2")
        assert second.locator(".original").is_visible() and second.locator(".translated").is_visible()
        number = page.evaluate("getComputedStyle(document.querySelector('#p2'), '::before').content")
        marker = page.evaluate("getComputedStyle(document.querySelector('#p2')).display")
        # Side by side (a grid) the list marker is gone; the counter draws the number in its place.
        assert marker == "grid" and "counter(paragraph)" in number
        numbers = page.evaluate(
            "[...document.querySelectorAll('.with-original li')].map("
            "li => getComputedStyle(li).counterIncrement)"
        )
        assert numbers == ["paragraph 1"] * 3
    finally:
        context.close()
