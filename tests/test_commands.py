"""Operator commands as a person runs them: real processes, a real queue, standard input."""

import io
import subprocess
import sys
import time

import pytest
from django.core.management import call_command

from tests.ingest_inputs import JA_PARAGRAPHS, ja_text
from tests.processes import newsdesk_env


def newsdesk(*args, data_dir, stdin=None, timeout=120):
    env = newsdesk_env(NEWSDESK_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slow
def test_summarize_reads_stdin_and_prints_bullets(tmp_path):
    done = newsdesk("summarize", "--sentences", "3", data_dir=tmp_path, stdin="\n".join(JA_PARAGRAPHS))
    assert done.returncode == 0, done.stderr
    bullets = done.stdout.splitlines()
    assert len(bullets) == 3
    assert all(any(bullet in paragraph for paragraph in JA_PARAGRAPHS) for bullet in bullets)
    assert bullets[0] in JA_PARAGRAPHS[0]  # the lede comes first


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "stdin"), [(["summarize"], ""), (["summarize", "--sentences", "0"], "本文。")]
)
def test_summarize_refuses_bad_input(tmp_path, args, stdin):
    done = newsdesk(*args, data_dir=tmp_path, stdin=stdin)
    assert done.returncode != 0 and "Traceback" not in done.stderr and done.stderr.strip()


@pytest.mark.django_db
def test_status_counts_statuses_and_stages(tmp_path):
    path = tmp_path / "ja.txt"
    path.write_text(ja_text(), encoding="utf-8")
    call_command("ingest", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("status", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "記事 1 件"
    assert any("(review): 1" in line for line in lines)
    assert any(line.split()[:2] == ["summarize", "0"] and line.split()[2] == "1" for line in lines)


@pytest.mark.slow
def test_worker_processes_queued_work_from_sqlite(tmp_path):
    data = tmp_path / "data"
    assert newsdesk("migrate", "-v0", data_dir=data).returncode == 0
    article = tmp_path / "ja.txt"
    article.write_text(ja_text(), encoding="utf-8")
    queued = newsdesk("ingest", "--enqueue", "--publish", str(article), data_dir=data)
    assert queued.returncode == 0, queued.stderr
    assert "\tnew\t" in queued.stdout  # stored, its stages waiting in the queue
    env = newsdesk_env(NEWSDESK_DATA_DIR=str(data))
    worker = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = newsdesk("status", data_dir=data).stdout
            if "(published): 1" in status:
                break
            time.sleep(0.5)
        assert "(published): 1" in status, status
    finally:
        worker.terminate()
        worker.wait(timeout=20)


@pytest.mark.django_db
def test_rerun_completes_a_failed_stage(tmp_path):
    from newsdesk.articles.models import Article, PipelineStage

    path = tmp_path / "ja.txt"
    path.write_text(ja_text(), encoding="utf-8")
    call_command("ingest", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    article = Article.objects.get()
    article.summary = []
    article.save()
    article.stages.filter(name="summarize").update(state=PipelineStage.State.FAILED, error="model missing")
    out = io.StringIO()
    call_command("rerun", str(article.pk), stdout=out, stderr=io.StringIO())
    article.refresh_from_db()
    assert article.summary and article.stages.get(name="summarize").state == PipelineStage.State.DONE
    assert out.getvalue().startswith(f"{article.pk}\treview\t") and "summarize=done" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("args", [[], ["1", "--all"], ["999"]])
def test_rerun_refuses_unclear_or_unknown_targets(args):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("rerun", *args, stdout=io.StringIO(), stderr=io.StringIO())
