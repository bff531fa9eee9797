"""The one way in: every kind of input through ``intake.ingest``, one result per article."""

import pytest

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.ingest.models import RawInput
from newsdesk.pipeline import intake
from newsdesk.pipeline.intake import Options, Pasted, Result, Upload
from newsdesk.pipeline.stages import stage_names
from tests.httpserver import send
from tests.ingest_inputs import EN_PARAGRAPHS, JA_PARAGRAPHS, html_page, ja_text

pytestmark = pytest.mark.django_db
State = PipelineStage.State


@pytest.fixture
def local_fetches(settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_ALLOW_PRIVATE": True}


def page(server, path: str, title: str) -> str:
    url = f"{server.base}{path}"
    html = html_page(
        title=title, paragraphs=[f"{title}, the harbour office said on Monday.", *EN_PARAGRAPHS], url=url
    )
    server.routes[path] = lambda h: send(h, 200, html.encode(), Content_Type="text/html; charset=utf-8")
    return url


def test_pasted_text_is_stored_with_every_stage_and_run_through_the_pipeline():
    [result] = intake.ingest(Pasted(ja_text()), Options(url="https://example.jp/news/1"))
    assert result.status == Result.CREATED and result.input == "貼り付けたテキスト"
    article = result.article
    assert article.paragraphs[: len(JA_PARAGRAPHS)] == JA_PARAGRAPHS[: len(article.paragraphs)]
    assert article.source_url == "https://example.jp/news/1"
    assert article.raw_inputs.get().kind == RawInput.Kind.TEXT
    stages = dict(article.stages.values_list("name", "state"))
    assert list(stages) == stage_names() and set(stages.values()) == {State.DONE}
    assert article.status == Article.Status.REVIEW and article.summary
    # The same text again is the same article.
    [again] = intake.ingest(Pasted(ja_text()))
    assert again.status == Result.EXISTING and again.article == article


def test_an_upload_and_publish_when_ready():
    [result] = intake.ingest(Upload("記事.txt", ja_text().encode("shift_jis")), Options(publish=True))
    assert result.status == Result.CREATED and result.input == "記事.txt"
    assert result.article.status == Article.Status.PUBLISHED


@pytest.mark.parametrize(
    ("item", "message"),
    [(Pasted("  \n "), "空です"), (Upload("big.html", b"x" * 6_000_000), "大きすぎる")],
)
def test_bad_input_fails_alone_with_its_reason_and_stores_nothing(item, message):
    [result] = intake.ingest(item)
    assert result.status == Result.FAILED and message in result.message and result.article is None
    assert not Article.objects.exists()


def test_a_folder_gives_one_result_per_file(tmp_path):
    (tmp_path / "a.txt").write_text(ja_text(), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    results = intake.ingest(tmp_path)
    assert [(r.input, r.status) for r in results] == [
        (str(tmp_path / "a.txt"), Result.CREATED),
        (str(tmp_path / "sub" / "b.html"), Result.CREATED),
    ]


def test_a_feed_gives_one_result_per_entry_and_a_bad_entry_fails_alone(server, local_fetches):
    first, second = page(server, "/one", "Port opens"), page(server, "/two", "Port closes")
    items = "".join(
        f"<item><title>t</title><link>{url}</link></item>" for url in (first, f"{server.base}/gone", second)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    server.routes["/feed.xml"] = lambda h: send(h, 200, feed.encode(), Content_Type="application/rss+xml")
    results = intake.ingest(f"{server.base}/feed.xml")
    assert [(r.input, r.status) for r in results] == [
        (first, Result.CREATED),
        (f"{server.base}/gone", Result.FAILED),
        (second, Result.CREATED),
    ]
    assert "404" in results[1].message
    # Polled again, the stored entries are recognised before anything is fetched.
    again = intake.ingest(f"{server.base}/feed.xml")
    assert [r.status for r in again] == [Result.EXISTING, Result.FAILED, Result.EXISTING]


def test_enqueue_queues_the_fetch_and_the_worker_runs_every_stage(server, local_fetches):
    url = page(server, "/queued", "Queued story")
    [result] = intake.ingest(url, Options(enqueue=True))
    # The test queue runs tasks at once (immediate mode); a worker does the same from the queue.
    assert result.status == Result.QUEUED and result.article is None
    article = Article.objects.get(source_url=url)
    stages = dict(article.stages.values_list("name", "state"))
    # English with the manual translator: the stages run up to the translation, which waits for
    # an editor, and the article waits in review.
    assert stages["language"] == State.DONE and stages["translate"] == State.WAITING
    assert article.status == Article.Status.REVIEW and article.language == "en"


def test_the_reason_for_each_dropped_line_is_kept_and_shown_to_editors(admin_client):
    text = "\n\n".join(["Facebook", "X", "LINEで送る", ja_text()])
    [result] = intake.ingest(Pasted(text))
    raw = result.article.raw_inputs.get()
    assert len(raw.drop_reasons) == len(raw.dropped_lines) and "Facebook" in raw.dropped_lines
    assert raw.drop_reasons[raw.dropped_lines.index("Facebook")] == "share"
    page = admin_client.get(f"/admin/articles/article/{result.article.pk}/change/").content.decode()
    assert "取り込み（共有ボタンの行）" in page
