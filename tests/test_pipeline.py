"""Pipeline stages: idempotent, their state and errors kept, review until nothing is missing."""

import io

import pytest
from django.core.management import call_command
from huey.contrib.djhuey import HUEY

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.ops.samples import apply_translation
from newsdesk.pipeline import runner, tasks
from tests.httpserver import send
from tests.ingest_inputs import EN_PARAGRAPHS, html_page, ja_text

pytestmark = pytest.mark.django_db
State = PipelineStage.State


class BrokenSummarizer:
    def summarize(self, paragraphs, count=None, title="", article=None):
        raise RuntimeError("model file missing")


def ingest(path, *args):
    call_command("ingest", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    return Article.objects.latest("pk")


@pytest.fixture
def japanese(tmp_path):
    path = tmp_path / "ja.txt"
    path.write_text(ja_text(), encoding="utf-8")
    return path


def test_running_again_changes_nothing(japanese):
    article = ingest(japanese)
    before = (article.summary, list(article.stages.values_list("name", "state", "attempts")))
    runner.run(article)
    runner.run(article)
    article.refresh_from_db()
    assert (article.summary, list(article.stages.values_list("name", "state", "attempts"))) == before


def test_a_failing_stage_keeps_its_error_and_the_article_waits_in_review(japanese, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "SUMMARIZER": "tests.test_pipeline.BrokenSummarizer"}
    article = ingest(japanese, "--publish")
    stage = article.stages.get(name="summarize")
    assert stage.state == State.FAILED and "model file missing" in stage.error and stage.attempts == 1
    assert article.status == Article.Status.REVIEW and article.summary == []
    # Once the backend is fixed, running the failed stage again completes the article.
    settings.NEWSDESK = {
        **settings.NEWSDESK,
        "SUMMARIZER": "newsdesk.summaries.backends.ExtractiveSummarizer",
    }
    runner.rerun(article, publish=True)
    stage.refresh_from_db()
    assert stage.state == State.DONE and stage.error == "" and stage.attempts == 2
    assert article.status == Article.Status.PUBLISHED and article.summary


def test_an_editors_translation_completes_an_english_article(tmp_path):
    path = tmp_path / "en.html"
    path.write_text(html_page(), encoding="utf-8")
    article = ingest(path)
    assert article.stages.get(name="translate").state == State.WAITING
    assert article.stages.get(name="summarize").state == State.PENDING
    apply_translation(
        article,
        {
            "title": "フェリー航路が4年ぶり再開へ",
            "paragraphs": [f"第{n}段落の翻訳。航路の再開について述べる。" for n in range(len(EN_PARAGRAPHS))],
        },
        "編集部",
    )
    runner.rerun(article, publish=True)
    assert article.status == Article.Status.PUBLISHED
    translated = "".join(article.translation)
    assert article.summary and all(bullet in translated for bullet in article.summary)
    assert len(set(article.summary)) == len(article.summary)


def test_translation_must_match_the_original_paragraphs(tmp_path):
    path = tmp_path / "en.html"
    path.write_text(html_page(), encoding="utf-8")
    article = ingest(path)
    with pytest.raises(ValueError, match="段落数"):
        apply_translation(article, {"title": "見出し", "paragraphs": ["一つだけ"]}, "編集部")


def test_rejected_articles_stay_rejected(japanese):
    article = ingest(japanese)
    article.status = Article.Status.REJECTED
    article.save()
    runner.rerun(article, publish=True)
    assert Article.objects.get().status == Article.Status.REJECTED


def test_network_failures_are_retried_with_growing_delays(server, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_ALLOW_PRIVATE": True}
    answers = iter([503, 503, 200])

    def flaky(handler):
        status = next(answers)
        send(handler, status, html_page().encode() if status == 200 else b"busy", Content_Type="text/html")

    server.routes["/flaky"] = flaky
    tasks.fetch_task(f"{server.base}/flaky")
    delays = []
    for _ in range(2):
        (retry,) = HUEY.scheduled()
        delays.append(retry.retry_delay)
        HUEY.storage.flush_schedule()
        retry.eta = None  # run the retry now instead of waiting for its time
        HUEY.execute(retry)
    assert delays[1] == 2 * delays[0] > 0
    assert not HUEY.scheduled()
    assert Article.objects.get().paragraphs == EN_PARAGRAPHS


def test_permanent_failures_are_not_retried(server, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "FETCH_ALLOW_PRIVATE": True}
    tasks.fetch_task(f"{server.base}/missing")
    assert not HUEY.scheduled() and not Article.objects.exists()


class CountingStage:
    name, label, warmed = "counting", "数える", 0

    def warm_up(self) -> None:
        CountingStage.warmed += 1

    def run(self, article):
        return State.DONE, []


def test_warm_up_does_the_first_articles_one_off_work_and_each_stages(settings):
    """Workers call stages.warm_up as they start (a Huey startup hook; the worker tests run it in
    real processes): after it, reading a page builds no table and imports nothing more."""
    import sys

    import htmldate.extractors

    from newsdesk.pipeline import stages

    settings.NEWSDESK_PIPELINE = [*settings.NEWSDESK_PIPELINE, "tests.test_pipeline.CountingStage"]
    stages.warm_up()
    assert CountingStage.warmed == 1
    assert htmldate.extractors.month_words.cache_info().currsize == 1
    assert "sklearn" in sys.modules
    assert HUEY._startup["warm_up"] is stages.warm_up  # registered by the pipeline app


def test_one_task_takes_an_article_through_every_stage(japanese, monkeypatch):
    """A stage task runs the stages after its own in turn, queueing nothing: with a task per
    stage, each went to the back of the queue and a large feed was published all at once."""
    article = ingest(japanese)
    article.stages.exclude(name="extract").update(state=State.PENDING, attempts=0)
    queued = []
    monkeypatch.setattr(HUEY, "enqueue", lambda task: queued.append(task))
    tasks.stage_task.call_local(article.pk, "language", True)
    assert queued == []
    assert set(article.stages.values_list("state", "attempts")) == {(State.DONE, 1)}
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
