"""Revisions of an article in the admin: every editor's save keeps one, the history shows the
differences (headline, bullets, original and translated paragraphs), revert restores them and runs
the pipeline again; the pipeline's own saves keep none."""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.editorial import revisions
from newsdesk.pipeline import runner

pytestmark = pytest.mark.django_db
User = get_user_model()


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_values(page: bytes) -> dict:
    """What the change form on ``page`` would post, as a browser sends it (hidden inputs included)."""
    form = lxml.html.fromstring(page.decode()).get_element_by_id("article_form")
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    return {name: items[0] if len(items) == 1 else items for name, items in values.items()}


def editor_client(last_name: str, username: str | None = None) -> tuple[Client, object]:
    user = User.objects.create_superuser(
        username or f"editor-{last_name}", "", "password", last_name=last_name
    )
    client = Client()
    client.force_login(user)
    return client, user


def open_form(client, article) -> dict:
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_values(response.content)


def save(client, article, **changes):
    return client.post(change_url(article), {**open_form(client, article), **changes})


@pytest.fixture
def article(article_factory):
    return article_factory(
        title="北朝鮮、砲弾を供与",
        summary=["韓国の情報機関が分析した。", "累計は100万発。"],
        paragraphs=["First paragraph.", "Second paragraph."],
        translation=["第一段落の翻訳。", "第二段落の翻訳。"],
    )


def test_a_save_keeps_a_revision_and_the_history_shows_what_changed(article):
    client, editor = editor_client("山田")
    response = save(
        client,
        article,
        title="北朝鮮、<砲弾>を追加供与か",
        summary="韓国の情報機関が分析した。\n累計は120万発。",
        translation_1="第二段落の新しい翻訳。",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    versions = list(revisions.versions(article.pk))
    # The state the editor found (made by the pipeline) is kept first, then the editor's save.
    assert [v.revision.user for v in versions] == [editor, None]
    assert versions[1].revision.comment == revisions.OUTSIDE_COMMENT
    assert versions[0].field_dict["title"] == "北朝鮮、<砲弾>を追加供与か"

    history = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "「北朝鮮、&lt;砲弾&gt;を追加供与か」の履歴" in history
    assert "山田" in history and "見出し、要約、本文（翻訳）" in history and "最初の版" in history

    diff = client.get(reverse("admin:articles_article_revision", args=[article.pk, versions[0].pk]))
    page = diff.content.decode()
    assert diff.status_code == 200
    headings = [
        f'<h3 class="revision-diff-heading">{label}</h3>' for label in ("見出し", "要約", "本文（翻訳）")
    ]
    assert all(heading in page for heading in headings)
    assert '<h3 class="revision-diff-heading">本文（原文）</h3>' not in page
    # Changed characters are marked, every piece escaped.
    assert "北朝鮮、<del>" not in page
    assert "<ins>&lt;</ins>砲弾<ins>&gt;</ins>を<ins>追加</ins>供与<ins>か</ins>" in page
    assert "累計は1<del>0</del>0万発。" in page and "累計は1<ins>2</ins>0万発。" in page
    assert "第二段落の<ins>新しい</ins>翻訳。" in page
    assert "ほかの1項目は同じです。" in page
    assert "この版に戻す" in page


def test_revert_restores_the_text_and_runs_the_pipeline_again(article):
    client, editor = editor_client("山田")
    save(
        client, article, title="書き換えた見出し", summary="書き換えた要約", translation_0="書き換えた翻訳。"
    )
    article.refresh_from_db()
    assert article.title == "書き換えた見出し"
    attempts = dict(article.stages.values_list("name", "attempts"))
    baseline = revisions.versions(article.pk).last()

    url = reverse("admin:articles_article_revert", args=[article.pk, baseline.pk])
    assert client.get(url).status_code == 302  # a GET only leads to the differences
    response = client.post(url)
    assert response.status_code == 302 and response.url == change_url(article)
    article.refresh_from_db()
    assert article.title == "北朝鮮、砲弾を供与"
    assert article.summary == ["韓国の情報機関が分析した。", "累計は100万発。"]
    assert article.translation == ["第一段落の翻訳。", "第二段落の翻訳。"]
    assert article.paragraphs == ["First paragraph.", "Second paragraph."]
    # Every stage ran again on the restored text.
    for stage in article.stages.exclude(name="extract"):
        assert stage.attempts == attempts[stage.name] + 1, stage.name
        assert stage.state == PipelineStage.State.DONE, stage.name
    latest = revisions.versions(article.pk).first()
    assert latest.revision.user == editor
    assert latest.revision.comment.endswith("の版に戻しました")
    assert latest.field_dict["title"] == "北朝鮮、砲弾を供与"
    # The revert can itself be undone: the state before it is a revision.
    assert revisions.versions(article.pk).count() == 3


def test_a_change_by_the_pipeline_between_saves_is_its_own_revision(article):
    client, _editor = editor_client("山田")
    save(client, article, title="一回目の保存")
    # Extraction ran again: new original paragraphs arrive outside the admin.
    Article.objects.filter(pk=article.pk).update(
        paragraphs=["First paragraph, corrected.", "Second paragraph."]
    )
    save(client, article, title="二回目の保存")
    second, outside, first, _ = revisions.versions(article.pk)
    assert outside.revision.comment == revisions.OUTSIDE_COMMENT
    page = client.get(
        reverse("admin:articles_article_revision", args=[article.pk, outside.pk])
    ).content.decode()
    assert '<h3 class="revision-diff-heading">本文（原文）</h3>' in page
    assert "First paragraph<ins>, corrected</ins>." in page
    assert '<h3 class="revision-diff-heading">見出し</h3>' not in page
    page = client.get(
        reverse("admin:articles_article_revision", args=[article.pk, second.pk])
    ).content.decode()
    assert "<del>一</del>回目の保存" in page
    assert '<h3 class="revision-diff-heading">本文（原文）</h3>' not in page


def test_saves_by_the_pipeline_keep_no_revision(article):
    runner.rerun(article, stages=["summarize", "index"])
    Article.objects.get(pk=article.pk).save()
    assert not Version.objects.get_for_object(article).exists()


def test_reversion_recover_views_are_off(admin_client, article):
    assert admin_client.get("/admin/articles/article/recover/").status_code == 404
    assert "recover" not in admin_client.get(reverse("admin:articles_article_changelist")).content.decode()


def test_an_editor_who_may_only_view_sees_the_history_but_cannot_revert(article):
    client, _editor = editor_client("山田")
    save(client, article, title="書き換えた見出し")
    viewer = User.objects.create_user("viewer", password="password", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    reader = Client()
    reader.force_login(viewer)
    version = revisions.versions(article.pk).first()
    page = reader.get(reverse("admin:articles_article_revision", args=[article.pk, version.pk]))
    assert page.status_code == 200 and "この版に戻す" not in page.content.decode()
    response = reader.post(reverse("admin:articles_article_revert", args=[article.pk, version.pk]))
    assert response.status_code == 403
