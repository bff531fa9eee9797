"""Two editors in two real browsers on one article: the second is told the first is editing, and
the second's save after the first's is refused with the differences, nothing overwritten."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from newsdesk.articles.models import Article
from newsdesk.editorial.models import EditLock
from newsdesk.japanese.dates import JST
from tests.browser import BROWSER_MARKS

pytestmark = BROWSER_MARKS
User = get_user_model()
PASSWORD = "とても長いパスワード"


@pytest.fixture
def editors(db):
    return [
        User.objects.create_superuser(username, "", PASSWORD, last_name=last_name)
        for username, last_name in (("yamada", "山田"), ("sato", "佐藤"))
    ]


@pytest.fixture
def shared_article(article_factory):
    return article_factory(
        title="二人で直す見出し",
        summary=["要点一。", "要点二。"],
        paragraphs=["One.", "Two."],
        translation=["訳一。", "訳二。"],
    )


def open_change_page(browser, base_url: str, username: str, article, errors: list):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(f"{base_url}/admin/login/?next=/admin/articles/article/{article.pk}/change/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#article_form")
    return context, page


def test_two_editors_in_two_browsers(live_server, editors, shared_article, chromium):
    article = shared_article
    errors: list = []
    yamada_context, yamada = open_change_page(chromium, live_server.url, "yamada", article, errors)
    sato_context, sato = open_change_page(chromium, live_server.url, "sato", article, errors)
    try:
        assert yamada.locator("#edit-lock-banner").is_hidden()
        since = EditLock.objects.get(article=article).since.astimezone(JST).strftime("%H:%M")
        banner = sato.locator("#edit-lock-banner")
        assert banner.is_visible()
        assert banner.inner_text() == f"山田さんが {since} から編集中です"

        yamada.fill("#id_title", "山田が直した見出し")
        yamada.locator("input[name=_save]").first.click()
        yamada.wait_for_url("**/admin/articles/article/")
        assert Article.objects.get(pk=article.pk).title == "山田が直した見出し"

        sato.fill("#id_title", "佐藤が直した見出し")
        sato.locator("input[name=_save]").first.click()
        sato.wait_for_selector(".revision-conflict")
        assert "保存していません。この記事は、あなたが開いた後に変更されています" in sato.inner_text(
            "#article_form"
        )
        conflict = sato.locator(".revision-conflict")
        assert "保存されている内容との違い" in conflict.inner_text()
        assert conflict.locator("td.revision-diff-old del").first.inner_text() == "山田"
        assert conflict.locator("td.revision-diff-new ins").first.inner_text() == "佐藤"
        # The second editor's text is still in the form, and nothing was overwritten.
        assert sato.input_value("#id_title") == "佐藤が直した見出し"
        assert Article.objects.get(pk=article.pk).title == "山田が直した見出し"

        # The lock script's request, as the page sends it (CSRF token from the form), answers.
        state = sato.evaluate(
            """() => fetch(document.getElementById("revision-panel").dataset.editLockUrl, {
                method: "POST", credentials: "same-origin",
                headers: {"X-CSRFToken": document.querySelector("input[name=csrfmiddlewaretoken]").value},
            }).then((response) => response.json())"""
        )
        assert state["mine"] is True  # the first editor saved and let the article go
        assert errors == []
    finally:
        yamada_context.close()
        sato_context.close()
