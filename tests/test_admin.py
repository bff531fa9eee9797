"""The Japanese admin: lists, the side-by-side change form, actions, validation."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.comments.models import Comment
from newsdesk.ingest.models import RawInput

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **changes) -> dict:
    """What the change form posts for ``article`` unchanged, plus ``changes``."""
    data = {
        "original_title": article.original_title,
        "title": article.title,
        "lead": article.lead,
        "lead_ja": article.lead_ja,
        "summary": "\n".join(article.summary),
        "image_url": article.image_url,
        "caption": article.caption,
        "caption_ja": article.caption_ja,
        "status": article.status,
        "site_published_at_0": "",
        "site_published_at_1": "",
        "outlet": article.outlet_id,
        "url": article.url,
        "source_url": article.source_url,
        "author": article.author,
        "author_bio": article.author_bio,
        "published_at_0": "",
        "published_at_1": "",
        "language": article.language,
        "translator": article.translator,
        "is_sample": "",
        "stages-TOTAL_FORMS": "0",
        "stages-INITIAL_FORMS": "0",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "0",
        **{
            f"{prefix}-{field}": "0"
            for prefix in ("stored_image", "tag_links", "machine_translation", "translation_usage")
            for field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
        },
        "raw_inputs-TOTAL_FORMS": "0",
        "raw_inputs-INITIAL_FORMS": "0",
        "raw_inputs-MIN_NUM_FORMS": "0",
        "raw_inputs-MAX_NUM_FORMS": "0",
    }
    for index, paragraph in enumerate(article.translation):
        data[f"translation_{index}"] = paragraph
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def review_article(article_factory):
    article = article_factory(
        status=Article.Status.REVIEW,
        title="確認待ちの見出し",
        original_title="Article under review",
        paragraphs=["Original one.", "Original <two>.", "Original three."],
        translation=["訳一。", "訳二。", "訳三。"],
        summary=["要点一。", "要点二。"],
    )
    PipelineStage.objects.create(
        article=article, name="translate", state="failed", error="タイムアウト", attempts=3
    )
    RawInput.objects.create(
        article=article,
        kind=RawInput.Kind.FILE,
        location="/tmp/page.txt",
        shape="plain",
        content="本文",
        dropped_lines=["Short Url:", "  • facebook", "<b>return to top</b>"],
    )
    return article


def test_admin_index_is_japanese(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "newsdesk 編集室" in page
    for name in ["記事", "媒体", "フィード", "コメント", "取り込み元データ"]:
        assert name in page
    # django-axes ships no Japanese: its app and models under newsdesk's names (newsdesk/locale).
    assert "ログイン制限" in page and "ログイン試行" in page
    assert "Access attempts" not in page and "AXES" not in page.upper().split("NEWSDESK")[0]


def test_the_login_lockouts_list_is_japanese(admin_client):
    from axes.models import AccessAttempt

    # A pseudonym as editorial.login.source_address makes (an IPv6 address: PostgreSQL keeps it as inet).
    AccessAttempt.objects.create(
        username="editor", ip_address="fd00::1", user_agent="test", failures_since_start=3
    )
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    for label in ["ログイン試行", "ユーザー名", "試行日時", "失敗回数"]:
        assert label in page, label
    assert "Attempt Time" not in page and "Username" not in page


def test_article_changelist_in_japanese(admin_client, review_article):
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "変更する 記事 を選択" in page
    assert "確認待ちの見出し" in page
    assert "公開する" in page and "却下する" in page
    assert "状態" in page and "媒体" in page and "言語" in page


def test_languages_go_by_their_names_in_the_list_and_its_filter(admin_client, article_factory):
    article_factory(language="ko", title="韓国語の記事")
    article_factory(language="en", title="英語の記事")
    url = reverse("admin:articles_article_changelist")
    page = admin_client.get(url).content.decode()
    assert '<td class="field-language_display">韓国語</td>' in page
    assert '<td class="field-language_display">英語</td>' in page
    assert ">韓国語</a>" in page  # the filter's choice
    listed = admin_client.get(url, {"language": "ko"}).context["cl"].result_list
    assert [a.title for a in listed] == ["韓国語の記事"]


def test_changelist_search_and_filters(admin_client, article_factory):
    article_factory(title="北朝鮮の記事", original_title="North Korea story")
    article_factory(title="中国の記事", original_title="China story", status=Article.Status.REVIEW)
    url = reverse("admin:articles_article_changelist")
    page = admin_client.get(url, {"q": "North Korea"}).content.decode()
    assert "北朝鮮の記事" in page and "中国の記事" not in page
    page = admin_client.get(url, {"status__exact": "review"}).content.decode()
    assert "中国の記事" in page and "北朝鮮の記事" not in page


def test_change_form_is_side_by_side_in_japanese(admin_client, review_article):
    response = admin_client.get(change_url(review_article))
    assert response.status_code == 200
    page = response.content.decode()
    assert "記事 を変更" in page
    assert "保存" in page
    # The original paragraph is shown, escaped and read-only, beside its translation field.
    assert 'lang="en">Original &lt;two&gt;.</div>' in page
    assert 'name="translation_1" id="id_translation_1"' in page
    assert page.index("Original &lt;two&gt;.") < page.index('name="translation_1"')
    assert 'name="original_title"' in page  # editable: a headline the extractor got wrong is fixed here
    # Summary bullets one per line.
    assert "要点一。\n要点二。</textarea>" in page
    # Pipeline stages and raw input, read-only, dropped lines one per line and escaped.
    assert "タイムアウト" in page
    assert "Short Url:\n  • facebook\n&lt;b&gt;return to top&lt;/b&gt;" in page
    assert 'name="stages-0-error"' not in page


def test_change_form_saves_summary_and_translation(admin_client, review_article):
    response = admin_client.post(
        change_url(review_article),
        form_data(
            review_article,
            title="新しい見出し",
            summary="一つ目\n\n  二つ目  \n三つ目",
            translation_0="新訳一。",
            translation_2="新訳三。",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    review_article.refresh_from_db()
    assert review_article.title == "新しい見出し"
    assert review_article.summary == ["一つ目", "二つ目", "三つ目"]
    assert review_article.translation == ["新訳一。", "訳二。", "新訳三。"]


def test_translation_paragraph_count_must_match(admin_client, review_article):
    response = admin_client.post(change_url(review_article), form_data(review_article, translation_1=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "翻訳の段落数（2）が原文の段落数（3）と一致しません" in page
    # What the editor typed is kept.
    assert ">訳一。</textarea>" in page
    review_article.refresh_from_db()
    assert review_article.translation == ["訳一。", "訳二。", "訳三。"]

    # A blank line inside one field makes two paragraphs: also refused.
    response = admin_client.post(
        change_url(review_article), form_data(review_article, translation_0="訳一。\n\n余分。")
    )
    assert "翻訳の段落数（4）が原文の段落数（3）と一致しません" in response.content.decode()


def test_curated_article_without_original_takes_free_paragraphs(admin_client, article_factory):
    article = article_factory(is_curated=True, paragraphs=[], translation=["一。", "二。"])
    page = admin_client.get(change_url(article)).content.decode()
    assert "一。\n\n二。</textarea>" in page
    data = form_data(article, translation="一。\n\n二。\n\n三。")
    del data["translation_0"], data["translation_1"]
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()
    article.refresh_from_db()
    assert article.translation == ["一。", "二。", "三。"]


def test_untranslated_article_can_be_saved_but_not_published(admin_client, article_factory):
    article = article_factory(status=Article.Status.REVIEW, translation=[])
    data = form_data(article, translation_0="", translation_1="")
    assert admin_client.post(change_url(article), data).status_code == 302
    response = admin_client.post(change_url(article), {**data, "status": "published"})
    assert response.status_code == 200
    assert "翻訳がないまま公開することはできません" in response.content.decode()


def test_publishing_in_the_form_sets_the_site_time(admin_client, review_article):
    response = admin_client.post(change_url(review_article), form_data(review_article, status="published"))
    assert response.status_code == 302
    review_article.refresh_from_db()
    assert review_article.status == Article.Status.PUBLISHED
    assert review_article.site_published_at is not None


def test_publish_action(admin_client, review_article, article_factory):
    untranslated = article_factory(status=Article.Status.REVIEW, translation=[])
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [review_article.pk, untranslated.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1件の記事を公開しました" in page
    assert "翻訳がないため公開しなかった記事が1件" in page
    review_article.refresh_from_db()
    untranslated.refresh_from_db()
    assert review_article.status == Article.Status.PUBLISHED
    assert review_article.site_published_at is not None
    assert untranslated.status == Article.Status.REVIEW
    assert Article.objects.published().filter(pk=review_article.pk).exists()


def test_reject_action(admin_client, review_article):
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "reject", ACTION_CHECKBOX_NAME: [review_article.pk]},
        follow=True,
    )
    assert "1件の記事を却下しました" in response.content.decode()
    review_article.refresh_from_db()
    assert review_article.status == Article.Status.REJECTED


def test_japanese_article_shows_original_body_instead_of_translation(admin_client, article_factory):
    article = article_factory(language="ja", paragraphs=["日本語の段落。"], translation=[])
    page = admin_client.get(change_url(article)).content.decode()
    assert "<li>日本語の段落。</li>" in page
    assert not re.search(r'name="translation(_\d+)?"', page)


def test_rawinput_admin_is_read_only(admin_client, review_article):
    raw = RawInput.objects.get()
    response = admin_client.get(reverse("admin:ingest_rawinput_change", args=[raw.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Short Url:\n  • facebook\n&lt;b&gt;return to top&lt;/b&gt;" in page
    assert 'name="content"' not in page
    assert admin_client.get(reverse("admin:ingest_rawinput_add")).status_code == 403


def test_other_changelists_render(admin_client, review_article):
    Comment.objects.create(article=review_article, number=1, body="コメント本文")
    for name in ["sources_outlet", "sources_source", "ingest_rawinput", "comments_comment"]:
        response = admin_client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200, name
        assert "を選択 | newsdesk 編集室" in response.content.decode()


def test_saving_an_editors_translation_completes_the_waiting_stages(admin_client, tmp_path):
    from django.core.management import call_command

    from tests.ingest_inputs import EN_PARAGRAPHS, html_page

    path = tmp_path / "en.html"
    path.write_text(html_page(), encoding="utf-8")
    call_command("ingest", str(path), stdout=__import__("io").StringIO())
    article = Article.objects.get()
    assert article.stages.get(name="translate").state == PipelineStage.State.WAITING
    translation = {
        f"translation_{n}": f"フェリー航路の再開に関する第{n + 1}段落の翻訳である。"
        for n in range(len(EN_PARAGRAPHS))
    }
    response = admin_client.post(
        change_url(article), form_data(article, title="フェリー航路、4年ぶり再開へ", **translation)
    )
    assert response.status_code == 302, response.content.decode()
    article.refresh_from_db()
    assert set(article.stages.values_list("state", flat=True)) == {PipelineStage.State.DONE}
    assert article.summary and all(bullet in "".join(article.translation) for bullet in article.summary)
    assert article.status == Article.Status.REVIEW  # the editor still decides when to publish
