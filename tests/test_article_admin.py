"""The article admin's check-and-fix work: no article outside the pipeline, dropped lines put back,
body lines taken out, stages run again, the review queue's filters and actions, the reuse-policy
confirmation, Japanese throughout."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.ingest.models import RawInput
from newsdesk.pipeline.stages import stage_names
from newsdesk.translation.backends.base import Backend, Result
from tests.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db
State = PipelineStage.State
CHANGELIST = "admin:articles_article_changelist"
# What the admin showed in English before: stage names and unlabelled fields.
ENGLISH = re.compile(
    r"\b(extract|language|translate|summarize|entities|tags|stories|index|content hash|etag|"
    r"last modified|article|pending|done|waiting|failed)\b",
    re.IGNORECASE,
)


class EchoBackend(Backend):
    """A machine translator for the tests: 「訳：」 and the text; remembers what it was sent."""

    id = "echo"
    label = "テスト翻訳"
    rate_limited = False
    sent: list[str] = []

    def translate(self, segments, source_language, glossary):
        EchoBackend.sent += [segment.text for segment in segments]
        return Result([f"訳：{segment.text}" for segment in segments])


@pytest.fixture
def use_echo(settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "TRANSLATOR": "tests.test_article_admin.EchoBackend"}
    EchoBackend.sent = []
    return EchoBackend


@pytest.fixture
def article(article_factory):
    """An English article in review, every stage done, with what the cleaner dropped."""
    article = article_factory(
        status=Article.Status.REVIEW,
        title="港の再開",
        original_title="Harbour reopens",
        paragraphs=["The harbour reopened on Monday.", "Ferries resume next week.", "Fares stay low."],
        translation=["港は月曜日に再開した。", "フェリーは来週再開する。", "運賃は低いままだ。"],
        summary=["港が再開した。"],
        author="Old Byline",
    )
    for name in stage_names():
        PipelineStage.objects.create(article=article, name=name, state=State.DONE, attempts=1)
    RawInput.objects.create(
        article=article,
        kind=RawInput.Kind.TEXT,
        location="貼り付け",
        shape="text-byline",
        content="…",
        dropped_lines=[
            "Share on X",
            "Shipping analysts expect more routes.",
            "By Jane Doe",
            "Photo: the pier",
        ],
    )
    return article


def tool_url(article, tool: str) -> str:
    return reverse(f"admin:articles_article_{tool}", args=[article.pk])


def line_key(article, text: str) -> str:
    from newsdesk.editorial.article_edits import dropped_lines

    return next(line.key for line in dropped_lines(article) if line.text == text)


def restore(client, article, text: str, role: str, position: int = 0, translation: str = ""):
    key = line_key(article, text)
    data = {"line": key, "role": role, "position": position, "translation": translation}
    return client.post(tool_url(article, "restore_line"), data, follow=True)


def states(article) -> dict[str, str]:
    return dict(article.stages.values_list("name", "state"))


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


class ToolForms(HTMLParser):
    """What a browser without JavaScript submits for each form of the page: its action, and the
    fields inside it or naming it with ``form=""`` (a select's first option, an input's value)."""

    def __init__(self):
        super().__init__()
        self.actions: dict[str, str] = {}
        self.fields: list[tuple[str, str, str]] = []  # (form id, name, value)
        self.inside: str | None = None
        self.select: tuple[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        owner = attrs.get("form") or self.inside
        if tag == "form":
            self.inside = attrs.get("id")
            self.actions[self.inside] = attrs.get("action")
        elif tag == "input" and attrs.get("name") and owner:
            self.fields.append((owner, attrs["name"], attrs.get("value", "")))
        elif tag == "select" and owner:
            self.select = (owner, attrs["name"])
        elif tag == "option" and self.select:
            self.fields.append((*self.select, attrs["value"]))
            self.select = None  # the first option is the one selected

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = None

    @property
    def forms(self) -> dict[str, dict]:
        found = {form: {"action": action, "fields": {}} for form, action in self.actions.items()}
        for form, name, value in self.fields:
            found[form]["fields"].setdefault(name, value)
        return found


def page_forms(client, article) -> dict[str, dict]:
    parser = ToolForms()
    parser.feed(client.get(change_url(article)).content.decode())
    return parser.forms


def test_the_tools_post_what_the_page_holds(admin_client, article):
    """Without JavaScript: each tool's controls reach its own form, outside the change form."""
    forms = page_forms(admin_client, article)
    key = line_key(article, "Shipping analysts expect more routes.")
    restore_form = forms[f"newsdesk-restore-{key}"]
    assert restore_form["fields"]["line"] == key and restore_form["fields"]["role"] == "body"
    assert restore_form["fields"]["position"] == "4" and "csrfmiddlewaretoken" in restore_form["fields"]
    assert "role" not in forms["article_form"]["fields"]  # the tools' fields never reach a save
    response = admin_client.post(restore_form["action"], restore_form["fields"], follow=True)
    assert "本文の第4段落に戻しました" in response.content.decode()
    remove_form = page_forms(admin_client, article)["newsdesk-remove-line"]
    assert remove_form["fields"]["paragraph"] == "1"
    admin_client.post(remove_form["action"], remove_form["fields"])
    rerun_form = page_forms(admin_client, article)["newsdesk-rerun-stage-form"]
    assert rerun_form["fields"]["stage"] == "language"
    response = admin_client.post(rerun_form["action"], rerun_form["fields"], follow=True)
    assert "段階をやり直しました（言語判定・画像・翻訳" in response.content.decode()
    article.refresh_from_db()
    assert article.paragraphs[0] == "Ferries resume next week." and len(article.translation) == 3


# No article outside the pipeline


def test_adding_goes_to_the_ingest_page(admin_client):
    response = admin_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 302 and response.url == reverse("admin:ingest")
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert f'<a href="{reverse("admin:ingest")}" class="addlink">取り込み</a>' in page
    assert "記事 を追加" not in page


def test_saving_runs_what_the_pipeline_still_has_to_do(admin_client, article_factory):
    article = article_factory(
        status=Article.Status.REVIEW,
        summary=[],
        paragraphs=["The harbour reopened on Monday after four years.", "Ferries resume next week."],
        translation=["港は4年ぶりに月曜日に再開した。", "フェリーは来週から運航を再開する。"],
    )
    # As the old add form left it: no stage ever ran, extraction included.
    for name in stage_names():
        PipelineStage.objects.create(article=article, name=name)
    response = admin_client.post(change_url(article), form_data(article))
    assert response.status_code == 302, response.content.decode()
    article.refresh_from_db()
    assert set(states(article).values()) == {State.DONE}
    assert article.summary  # the summarizer wrote the bullets from the translation


def test_saving_a_changed_translation_runs_the_stages_that_read_it(admin_client, article):
    article.stages.filter(name="summarize").update(state=State.FAILED, error="前の失敗")
    Article.objects.filter(pk=article.pk).update(summary=[])
    article.refresh_from_db()
    response = admin_client.post(change_url(article), form_data(article, translation_2="運賃は安いままだ。"))
    assert response.status_code == 302, response.content.decode()
    article.refresh_from_db()
    assert article.translation[2] == "運賃は安いままだ。" and article.summary
    assert set(states(article).values()) == {State.DONE}
    assert article.stages.get(name="entities").attempts == 2  # run again on the new text


# Check and fix: dropped lines


def test_put_back_a_dropped_line_as_body_keeps_the_translation_aligned(admin_client, article):
    response = restore(admin_client, article, "Shipping analysts expect more routes.", "body", position=2)
    page = response.content.decode()
    assert "本文の第2段落に戻しました" in page and "第2段落の訳はまだありません" in page
    article.refresh_from_db()
    assert article.paragraphs == [
        "The harbour reopened on Monday.",
        "Shipping analysts expect more routes.",
        "Ferries resume next week.",
        "Fares stay low.",
    ]
    assert article.translation == [
        "港は月曜日に再開した。",
        "",
        "フェリーは来週再開する。",
        "運賃は低いままだ。",
    ]
    assert RawInput.objects.get(kind=RawInput.Kind.TEXT).dropped_lines == [
        "Share on X",
        "By Jane Doe",
        "Photo: the pier",
    ]
    # With the editors' own translation, the new paragraph waits for its translation.
    assert states(article)["translate"] == State.WAITING
    assert "翻訳" in page and "編集待ち" in page
    # The change form shows the new paragraph beside an empty translation field.
    form = admin_client.get(change_url(article)).content.decode()
    assert 'name="translation_1" id="id_translation_1" rows="3" lang="ja"></textarea>' in form


def test_put_back_as_body_with_the_editors_translation(admin_client, article):
    restore(
        admin_client,
        article,
        "Shipping analysts expect more routes.",
        "body",
        99,
        "海運アナリストは航路の増加を見込む。",
    )
    article.refresh_from_db()
    assert article.paragraphs[-1] == "Shipping analysts expect more routes."
    assert article.translation[-1] == "海運アナリストは航路の増加を見込む。"
    assert len(article.paragraphs) == len(article.translation) == 4
    assert set(states(article).values()) == {State.DONE}
    assert (
        article.stages.get(name="entities").attempts == 2
        and article.stages.get(name="translate").attempts == 1
    )


def test_a_machine_translates_only_the_paragraph_put_back(admin_client, article, use_echo):
    restore(admin_client, article, "Shipping analysts expect more routes.", "body", 1)
    article.refresh_from_db()
    assert use_echo.sent == ["Shipping analysts expect more routes."]
    assert article.translation == [
        "訳：Shipping analysts expect more routes.",
        "港は月曜日に再開した。",
        "フェリーは来週再開する。",
        "運賃は低いままだ。",
    ]
    assert set(states(article).values()) == {State.DONE}


def test_put_back_as_author_and_caption(admin_client, article):
    page = restore(admin_client, article, "By Jane Doe", "author").content.decode()
    assert "除去した行「By Jane Doe」を著者にしました" in page
    restore(admin_client, article, "Photo: the pier", "caption")
    article.refresh_from_db()
    assert article.author == "Jane Doe" and article.caption == "Photo: the pier"
    assert RawInput.objects.get(kind=RawInput.Kind.TEXT).dropped_lines == [
        "Share on X",
        "Shipping analysts expect more routes.",
    ]
    # The author it replaced is kept as a line the editor dropped, and can be put back.
    editor_row = RawInput.objects.get(article=article, kind=RawInput.Kind.EDITOR)
    assert editor_row.dropped_lines == ["Old Byline"]
    assert LogEntry.objects.filter(
        object_id=str(article.pk), change_message__contains="著者にしました"
    ).exists()


def test_take_a_body_line_out_and_put_it_back(admin_client, article):
    response = admin_client.post(tool_url(article, "remove_line"), {"paragraph": 2}, follow=True)
    assert "本文の第2段落「Ferries resume next week.」を除き" in response.content.decode()
    article.refresh_from_db()
    assert article.paragraphs == ["The harbour reopened on Monday.", "Fares stay low."]
    assert article.translation == ["港は月曜日に再開した。", "運賃は低いままだ。"]
    editor_row = RawInput.objects.get(article=article, kind=RawInput.Kind.EDITOR)
    assert editor_row.dropped_lines == ["Ferries resume next week."]
    assert set(states(article).values()) == {State.DONE}
    # The edit is a revision in the article's history, under the editor's name.
    from reversion.models import Version

    version = Version.objects.get_for_object(article).first()
    assert "第2段落" in version.revision.get_comment() and version.revision.user.username == "admin"
    page = admin_client.get(change_url(article)).content.decode()
    assert "Ferries resume next week." in page and "編集者が除いた行" in page

    restore(admin_client, article, "Ferries resume next week.", "body", 2, "フェリーは来週再開する。")
    article.refresh_from_db()
    assert (
        article.paragraphs[1] == "Ferries resume next week."
        and article.translation[1] == "フェリーは来週再開する。"
    )
    assert RawInput.objects.get(pk=editor_row.pk).dropped_lines == []


def test_the_last_body_line_stays_and_a_stale_line_is_refused(admin_client, article_factory, article):
    single = article_factory(status=Article.Status.REVIEW, paragraphs=["Only."], translation=["唯一。"])
    page = admin_client.post(tool_url(single, "remove_line"), {"paragraph": 1}, follow=True).content.decode()
    assert "本文の最後の段落は除けません" in page
    data = {"line": line_key(article, "By Jane Doe") + "x", "role": "author"}
    page = admin_client.post(tool_url(article, "restore_line"), data, follow=True).content.decode()
    assert "その行は見つかりません" in page
    article.refresh_from_db()
    assert article.author == "Old Byline"


def test_rerun_a_stage_from_the_page(admin_client, article):
    page = admin_client.get(change_url(article)).content.decode()
    assert '<option value="summarize">要約</option>' in page
    article.stages.filter(name="summarize").update(state=State.FAILED, error="タイムアウト")
    Article.objects.filter(pk=article.pk).update(summary=[])
    response = admin_client.post(tool_url(article, "rerun_stage"), {"stage": "summarize"}, follow=True)
    assert "段階をやり直しました（要約・固有表現・タグ・ストーリー・検索索引）" in response.content.decode()
    article.refresh_from_db()
    assert article.summary and set(states(article).values()) == {State.DONE}
    assert (
        article.stages.get(name="tags").attempts == 2 and article.stages.get(name="translate").attempts == 1
    )
    page = admin_client.post(
        tool_url(article, "rerun_stage"), {"stage": "extract"}, follow=True
    ).content.decode()
    assert "やり直す段階を選んでください" in page


def test_tools_take_post_with_a_csrf_token_and_the_change_permission(admin_client, admin_user, article):
    assert admin_client.get(tool_url(article, "rerun_stage")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    assert strict.post(tool_url(article, "rerun_stage"), {"stage": "tags"}).status_code == 403
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(viewer)
    page = client.get(change_url(article)).content.decode()
    assert "Shipping analysts expect more routes." in page and "戻す</button>" not in page
    assert client.post(tool_url(article, "remove_line"), {"paragraph": 1}).status_code == 403
    article.refresh_from_db()
    assert len(article.paragraphs) == 3


# The review queue


def test_changelist_statuses_and_filters(admin_client, article_factory, outlet_factory):
    old = timezone.now() - dt.timedelta(days=10)
    waiting = article_factory(
        status=Article.Status.REVIEW, title="翻訳待ちの記事", published_at=timezone.now()
    )
    PipelineStage.objects.create(article=waiting, name="translate", state=State.WAITING, error="翻訳待ち")
    failed = article_factory(status=Article.Status.NEW, title="失敗した記事", published_at=old)
    PipelineStage.objects.create(article=failed, name="entities", state=State.FAILED, error="壊れた")
    other = outlet_factory("other.example.com", name="Other Daily")
    article_factory(title="別の媒体の記事", outlet=other, status=Article.Status.REJECTED)
    url = reverse(CHANGELIST)
    page = admin_client.get(url).content.decode()
    for label in [
        "新着",
        "要確認",
        "公開",
        "却下",
        "翻訳待ち",
        "失敗した段階あり",
        "固有表現が失敗",
        "7日より前",
    ]:
        assert label in page, label
    assert "翻訳：編集待ち" in page and "固有表現：失敗" in page  # the 処理 column

    def titles(**query) -> set[str]:
        found = admin_client.get(url, query).context["cl"].result_list
        return {article.title for article in found}

    assert titles(stage="translation_waiting") == {"翻訳待ちの記事"}
    assert titles(stage="failed") == {"失敗した記事"}
    assert titles(**{"stage": "failed:entities"}) == {"失敗した記事"}
    assert titles(stage="failed:translate") == set()
    assert titles(original_date="old") == {"失敗した記事"}
    assert titles(outlet__id__exact=other.pk) == {"別の媒体の記事"}
    assert titles(status__exact="new") == {"失敗した記事"}


def test_bulk_publish_refuses_what_cannot_be_published(admin_client, article_factory):
    ready = article_factory(status=Article.Status.REVIEW, title="公開できる記事")
    untranslated = article_factory(status=Article.Status.REVIEW, title="訳のない記事", translation=[])
    headless = article_factory(status=Article.Status.REVIEW, title="", original_title="No Japanese headline")
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "publish", ACTION_CHECKBOX_NAME: [ready.pk, untranslated.pk, headless.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1件の記事を公開しました" in page
    assert "翻訳がないため公開しなかった記事が1件あります：訳のない記事" in page
    assert "日本語の見出しがないため公開しなかった記事が1件あります：No Japanese headline" in page
    assert set(Article.objects.published().values_list("pk", flat=True)) == {ready.pk}

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "reject", ACTION_CHECKBOX_NAME: [untranslated.pk, headless.pk]},
        follow=True,
    )
    assert "2件の記事を却下しました" in response.content.decode()
    assert set(Article.objects.filter(status="rejected").values_list("pk", flat=True)) == {
        untranslated.pk,
        headless.pk,
    }


@pytest.fixture
def unreviewed(article_factory, outlet_factory):
    outlet = outlet_factory("unreviewed.example.com", name="Unreviewed Post", policy_reviewed=False)
    return article_factory(status=Article.Status.REVIEW, title="未確認媒体の記事", outlet=outlet)


def test_bulk_publish_from_an_unreviewed_outlet_asks_to_confirm(admin_client, unreviewed, article_factory):
    reviewed = article_factory(status=Article.Status.REVIEW, title="確認済み媒体の記事")
    selected = [unreviewed.pk, reviewed.pk]
    response = admin_client.post(reverse(CHANGELIST), {"action": "publish", ACTION_CHECKBOX_NAME: selected})
    page = response.content.decode()
    assert response.status_code == 200 and "公開の確認" in page
    assert "未確認媒体の記事" in page and "Unreviewed Post" in page and "全文翻訳（未確認）" in page
    assert "転載方針を確認しました" in page
    assert not Article.objects.published().exists()  # nothing goes out before the editor confirms

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "publish", ACTION_CHECKBOX_NAME: selected, "policy_confirmed": "yes"},
        follow=True,
    )
    assert "2件の記事を公開しました" in response.content.decode()
    assert set(Article.objects.published().values_list("pk", flat=True)) == set(selected)
    assert LogEntry.objects.filter(
        object_id=str(unreviewed.pk), change_message__contains="転載方針を確認"
    ).exists()


def test_publishing_from_the_form_asks_to_confirm_the_policy(admin_client, unreviewed):
    page = admin_client.get(change_url(unreviewed)).content.decode()
    assert "転載方針" in page and "全文翻訳（未確認）" in page and 'name="confirm_policy"' in page
    response = admin_client.post(change_url(unreviewed), form_data(unreviewed, status="published"))
    assert response.status_code == 200
    assert "転載方針（全文翻訳）はまだ編集者が確認していません" in response.content.decode()
    unreviewed.refresh_from_db()
    assert unreviewed.status == Article.Status.REVIEW

    response = admin_client.post(
        change_url(unreviewed), form_data(unreviewed, status="published", confirm_policy="on")
    )
    assert response.status_code == 302, response.content.decode()
    unreviewed.refresh_from_db()
    assert unreviewed.status == Article.Status.PUBLISHED and unreviewed.site_published_at


def test_a_summary_only_outlet_needs_no_confirmation(admin_client, article_factory, outlet_factory):
    outlet = outlet_factory("summary.example.com", reuse_policy="summary", policy_reviewed=False)
    article = article_factory(status=Article.Status.REVIEW, outlet=outlet)
    assert 'name="confirm_policy"' not in admin_client.get(change_url(article)).content.decode()
    response = admin_client.post(change_url(article), form_data(article, status="published"))
    assert response.status_code == 302, response.content.decode()


def test_switching_to_an_unreviewed_outlet_while_publishing_asks_too(
    admin_client, article_factory, outlet_factory
):
    article = article_factory(status=Article.Status.REVIEW)
    other = outlet_factory("fresh.example.com", name="Fresh Wire", policy_reviewed=False)
    response = admin_client.post(change_url(article), form_data(article, status="published", outlet=other.pk))
    assert response.status_code == 200
    assert (
        "媒体「Fresh Wire」の転載方針（全文翻訳）はまだ編集者が確認していません" in response.content.decode()
    )
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


# Japanese throughout


def test_no_english_stage_names_or_labels(admin_client, article):
    article.stages.filter(name="translate").update(state=State.WAITING, error="翻訳待ち")
    for url in [change_url(article), reverse(CHANGELIST), reverse(CHANGELIST) + "?stage=failed"]:
        text = visible_text(admin_client.get(url).content.decode())
        assert not ENGLISH.search(text), (url, ENGLISH.search(text))
    page = admin_client.get(change_url(article)).content.decode()
    for label in [
        "抽出",
        "言語判定",
        "翻訳",
        "要約",
        "固有表現",
        "タグ",
        "ストーリー",
        "検索索引",
        "本文ハッシュ",
    ]:
        assert label in page, label


def test_story_admin_shows_times_in_japan(admin_client, article):
    from newsdesk.stories.models import Story, StoryMembership

    published = dt.datetime(2025, 1, 1, 15, 30, tzinfo=dt.UTC)
    Article.objects.filter(pk=article.pk).update(published_at=published)
    story = Story.objects.create(title="港の話", first_seen=published, last_seen=published)
    StoryMembership.objects.create(article=article, story=story)
    page = admin_client.get(reverse("admin:stories_story_change", args=[story.pk])).content.decode()
    assert "2025年1月2日0:30" in page
    assert "2025-01-01" not in page and "+00:00" not in page
