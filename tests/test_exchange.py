"""`newsdesk export` and `newsdesk import`: a backup that restores with nothing lost."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.comments.models import Comment
from newsdesk.ingest.models import RawInput
from newsdesk.ops.exchange import export_records
from newsdesk.sources.models import Outlet
from tests.ingest_inputs import html_page, ja_text

pytestmark = pytest.mark.django_db

REQUIRED = {
    "id",
    "url",
    "source_url",
    "outlet",
    "outlet_domain",
    "author",
    "title",
    "original_title",
    "lead",
    "language",
    "published_at",
    "paragraphs",
    "translation",
    "summary",
    "caption",
    "image_url",
    "status",
    "dropped_lines",
}


def snapshot() -> list[dict]:
    articles = (
        Article.objects.select_related("outlet")
        .order_by("pk")
        .prefetch_related("raw_inputs", "stages", "comments")
    )
    return list(export_records(articles))


@pytest.fixture
def library(tmp_path):
    (tmp_path / "en.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / "ja.txt").write_text(ja_text(), encoding="utf-8")
    call_command("ingest", str(tmp_path), "--publish", stdout=io.StringIO(), stderr=io.StringIO())
    japanese = Article.objects.get(language="ja")
    Comment.objects.create(article=japanese, number=1, name="", body="再開は朗報だ。\n<b>太字</b>")
    Comment.objects.create(
        article=japanese, number=2, name="港の人", body=">>1 同感", status=Comment.Status.HIDDEN
    )
    english = Article.objects.get(language="en")
    english.outlet.reuse_policy = Outlet.ReusePolicy.SUMMARY
    english.outlet.save()


def test_export_has_every_field_and_offsets(library, tmp_path):
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2
    for record in records:
        assert record.keys() >= REQUIRED
    japanese = next(r for r in records if r["language"] == "ja")
    assert japanese["published_at"].endswith("+00:00") or japanese["published_at"][-6] in "+-"
    assert japanese["dropped_lines"] == japanese["raw_inputs"][0]["dropped_lines"]
    assert [c["number"] for c in japanese["comments"]] == [1, 2]


def test_round_trip_restores_everything(library, tmp_path):
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    before = snapshot()
    Article.objects.all().delete()
    Outlet.objects.all().delete()
    out = io.StringIO()
    call_command("import", str(target), stdout=out)
    assert "2 件" in out.getvalue()
    assert snapshot() == before
    # New rows after an import with explicit ids must not collide (PostgreSQL sequences).
    article = Article.objects.first()
    Comment.objects.create(article=article, number=99, body="after import")
    PipelineStage.objects.create(article=article, name="extra")
    RawInput.objects.create(article=article, kind="file", location="x", shape="html", content="x")


def test_import_refuses_a_database_with_articles(library, tmp_path):
    target = tmp_path / "export.jsonl"
    call_command("export", "--output", str(target), stderr=io.StringIO())
    with pytest.raises(CommandError, match="空のデータベース"):
        call_command("import", str(target))


@pytest.mark.parametrize("content", [b'{"id": 1}\n', b"not json\n", b"\xff\xfe\x00garbage"])
def test_bad_import_file_gives_a_clear_error_and_stores_nothing(tmp_path, content):
    target = tmp_path / "bad.jsonl"
    target.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import", str(target))
    assert not Article.objects.exists() and not Outlet.objects.exists()
