"""訂正・更新: marked by an editor on a save of a published article, shown on the article page with
its JST time, dating the feed entry and carried in the JSON-LD; exported with the article."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.management import call_command
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.editorial import version_check
from newsdesk.editorial.models import Correction
from tests.test_revisions import change_url, editor_client, open_form

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
# 15:30 in Japan.
WHEN = dt.datetime(2026, 12, 4, 6, 30, tzinfo=dt.UTC)


@pytest.fixture
def article(article_factory):
    return article_factory(
        title="北朝鮮、砲弾100万発を供与",
        summary=["韓国の情報機関が分析した。"],
        site_published_at=dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC),
    )


def correct(client, article, kind: str, note: str, **changes):
    form = open_form(client, article)
    return client.post(
        change_url(article),
        {**form, version_check.KIND_FIELD: kind, version_check.NOTE_FIELD: note, **changes},
    )


def test_an_editor_marks_a_save_as_a_correction(article):
    client, editor = editor_client("山田")
    form = open_form(client, article)
    assert version_check.KIND_FIELD in form  # offered on a published article
    response = correct(
        client, article, "correction", "砲弾の数を訂正しました。", title="北朝鮮、砲弾120万発を供与"
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert (correction.article, correction.kind, correction.note, correction.editor) == (
        article,
        "correction",
        "砲弾の数を訂正しました。",
        editor,
    )
    page = client.get(change_url(article)).content.decode()
    assert "訂正（" in page and "砲弾の数を訂正しました。" in page
    # The revision says so too.
    from newsdesk.editorial import revisions

    assert "訂正：砲弾の数を訂正しました。" in revisions.versions(article.pk).first().revision.comment


@pytest.mark.parametrize(
    ("kind", "note", "message"),
    [
        ("correction", "", "読者に示す説明を書いてください。"),
        ("", "説明だけ", "訂正か更新かを選んでください。"),
    ],
)
def test_a_correction_needs_its_kind_and_note(article, kind, note, message):
    client, _ = editor_client("山田")
    response = correct(client, article, kind, note, title="変えた見出し")
    assert response.status_code == 200 and message in response.content.decode()
    article.refresh_from_db()
    assert article.title == "北朝鮮、砲弾100万発を供与" and not Correction.objects.exists()


def test_no_correction_before_publication(article_factory):
    draft = article_factory(status=Article.Status.REVIEW)
    client, _ = editor_client("山田")
    assert version_check.KIND_FIELD not in open_form(client, draft)
    response = correct(client, draft, "update", "追記しました。")
    assert "訂正・更新は公開済みの記事にだけ記録できます。" in response.content.decode()
    assert not Correction.objects.exists()


def test_the_article_page_feeds_and_json_ld_carry_corrections(client, article):
    Correction.objects.create(
        article=article, kind="update", note="政府の発表を追記しました。", created_at=WHEN
    )
    Correction.objects.create(
        article=article,
        kind="correction",
        note="砲弾の数を<120万発>に訂正しました。",
        created_at=WHEN + dt.timedelta(hours=2, minutes=5),
    )
    page = client.get(article.get_absolute_url()).content.decode()
    source = page.split('<section class="source"')[1].split("</section>")[0]
    text = re.sub(r"<[^>]+>", "", source)
    assert "更新（2026年12月4日 15:30）：政府の発表を追記しました。" in text
    assert "訂正（2026年12月4日 17:35）：砲弾の数を&lt;120万発&gt;に訂正しました。" in text
    assert text.index("更新（") < text.index("訂正（")

    data = json.loads(SCRIPT.findall(page)[0])
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "砲弾の数を<120万発>に訂正しました。",
            "datePublished": "2026-12-04T17:35:00+09:00",
        }
    ]
    assert data["dateModified"] == "2026-12-04T17:35:00+09:00"

    atom = ET.fromstring(client.get("/feeds/latest.atom").content).find(f"{ATOM}entry")
    assert atom.findtext(f"{ATOM}updated") == "2026-12-04T17:35:00+09:00"
    assert atom.findtext(f"{ATOM}published") == "2026-12-03T10:00:00+09:00"
    rss = client.get("/feeds/latest.rss").content
    item = ET.fromstring(rss).find("channel/item")
    assert item.findtext(f"{ATOM}updated") == "2026-12-04T17:35:00+09:00"
    assert item.findtext("pubDate") == "Thu, 03 Dec 2026 10:00:00 +0900"
    assert feedparser.parse(rss).entries[0].updated == "2026-12-04T17:35:00+09:00"


def test_without_corrections_the_dates_stay_as_they_were(client, article):
    data = json.loads(SCRIPT.findall(client.get(article.get_absolute_url()).content.decode())[0])
    article.refresh_from_db()
    assert "correction" not in data
    assert data["dateModified"] == timezone.localtime(article.updated_at).isoformat(timespec="seconds")


def test_corrections_travel_in_the_export(article, tmp_path):
    from tests.test_exchange import empty_database

    _client, editor = editor_client("山田")
    Correction.objects.create(
        article=article, kind="correction", note="訂正しました。", created_at=WHEN, editor=editor
    )
    Correction.objects.create(
        article=article, kind="update", note="追記しました。", created_at=WHEN + dt.timedelta(hours=1)
    )
    before = list(
        Correction.objects.order_by("pk").values("article_id", "kind", "note", "created_at", "editor_id")
    )
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    record = next(json.loads(line) for line in target.read_text().splitlines() if '"type": "article"' in line)
    assert [c["note"] for c in record["corrections"]] == ["訂正しました。", "追記しました。"]
    empty_database()
    assert not Correction.objects.exists()
    call_command("import", str(target), stdout=io.StringIO())
    after = list(
        Correction.objects.order_by("pk").values("article_id", "kind", "note", "created_at", "editor_id")
    )
    assert after == before
