"""Two editors on one article: the second is told who is editing and since when, and a save over a
newer version is refused with the differences shown, never a silent overwrite."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from newsdesk.editorial import locks, revisions, version_check
from newsdesk.editorial.models import EditLock
from newsdesk.japanese.dates import JST
from tests.test_revisions import change_url, editor_client, form_values, open_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(article_factory):
    return article_factory(
        title="元の見出し",
        summary=["要点一。", "要点二。"],
        paragraphs=["One.", "Two."],
        translation=["訳一。", "訳二。"],
    )


def lock_url(article) -> str:
    return reverse("admin:articles_article_edit_lock", args=[article.pk])


def test_the_second_editor_sees_who_is_editing_and_since_when(article):
    yamada, _ = editor_client("山田")
    sato, _ = editor_client("佐藤")
    page = yamada.get(change_url(article)).content.decode()
    assert "編集中です" not in page
    lock = EditLock.objects.get(article=article)
    since = lock.since.astimezone(JST).strftime("%H:%M")

    page = sato.get(change_url(article)).content.decode()
    assert f"山田さんが {since} から編集中です" in page
    assert '<script src="/static/editorial/edit_lock.js" defer></script>' in page
    # The second editor does not take the lock; the page's script refreshes and reports it.
    assert EditLock.objects.get(article=article).user.last_name == "山田"
    state = sato.post(lock_url(article)).json()
    assert state == {"mine": False, "holder": "山田", "message": f"山田さんが {since} から編集中です"}
    assert yamada.post(lock_url(article)).json()["mine"] is True
    assert sato.get(lock_url(article)).status_code == 405


def test_a_lock_lapses_without_refresh_and_a_save_lets_it_go(article):
    yamada, _ = editor_client("山田")
    sato, _ = editor_client("佐藤")
    yamada.get(change_url(article))
    EditLock.objects.update(refreshed=timezone.now() - locks.EXPIRES - dt.timedelta(seconds=1))
    assert sato.post(lock_url(article)).json()["mine"] is True
    assert "佐藤さんが" in yamada.get(change_url(article)).content.decode()
    response = sato.post(change_url(article), open_form(sato, article))
    assert response.status_code == 302
    assert not EditLock.objects.exists()
    assert "編集中です" not in yamada.get(change_url(article)).content.decode()


def test_a_save_over_a_newer_version_is_refused_with_the_differences(article):
    yamada, _ = editor_client("山田")
    sato, sato_user = editor_client("佐藤")
    first = open_form(yamada, article)
    second = open_form(sato, article)
    assert second[version_check.VERSION_FIELD] == first[version_check.VERSION_FIELD]

    response = yamada.post(
        change_url(article), {**first, "title": "山田の見出し", "summary": "要点一。\n要点二。\n要点三。"}
    )
    assert response.status_code == 302
    revisions_before = revisions.versions(article.pk).count()
    article.refresh_from_db()
    stored = (article.title, article.summary, article.translation, article.updated_at)

    response = sato.post(
        change_url(article), {**second, "title": "佐藤の<見出し>", "translation_1": "佐藤の訳二。"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "保存していません。この記事は、あなたが開いた後に変更されています（最後の保存：山田さん、" in page
    assert "保存されている内容との違い" in page
    # Stored (the other editor's) against submitted, each text escaped.
    assert (
        "<del>山田</del>の見出し" in page and "<ins>佐藤</ins>の<ins>&lt;</ins>見出し<ins>&gt;</ins>" in page
    )
    assert "<del>要点三。</del>" in page
    assert "<ins>佐藤の</ins>訳二。" in page
    # Nothing changed in the database, and no revision.
    article.refresh_from_db()
    assert (article.title, article.summary, article.translation, article.updated_at) == stored
    assert revisions.versions(article.pk).count() == revisions_before

    # The page came back with the editor's text and the stored version: having seen the
    # differences, saving again is an informed choice and goes through.
    again = form_values(response.content)
    assert again["title"] == "佐藤の<見出し>"
    assert again[version_check.VERSION_FIELD] != second[version_check.VERSION_FIELD]
    assert sato.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert article.title == "佐藤の<見出し>"
    assert revisions.versions(article.pk).first().revision.user == sato_user


def test_a_stale_form_that_changes_nothing_stored_is_saved(article):
    yamada, _ = editor_client("山田")
    sato, _ = editor_client("佐藤")
    first = open_form(yamada, article)
    second = open_form(sato, article)
    yamada.post(change_url(article), {**first, "title": "同じ見出し"})
    # The second editor made the same change: nothing of the first's would be lost.
    assert sato.post(change_url(article), {**second, "title": "同じ見出し"}).status_code == 302


def test_a_change_by_the_pipeline_meanwhile_also_refuses_the_save(article):
    yamada, _ = editor_client("山田")
    form = open_form(yamada, article)
    type(article).objects.filter(pk=article.pk).update(summary=["自動の要約。"])
    response = yamada.post(change_url(article), {**form, "title": "新しい見出し"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "最後の変更：" in page and '<h3 class="revision-diff-heading">要約</h3>' in page and "自動" in page
    article.refresh_from_db()
    assert article.title == "元の見出し"
