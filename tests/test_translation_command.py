"""`newsdesk translate ARTICLE_ID...` and `--all-pending`."""
# ruff: noqa: F811  (pytest fixtures imported from tests.translation_servers)

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from newsdesk.articles.models import Article, PipelineStage
from tests.test_translation_openai import PARAGRAPHS, untranslated
from tests.translation_servers import fast_retries, openai_server, use_openai  # noqa: F401

pytestmark = pytest.mark.django_db
State = PipelineStage.State


def translate(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("translate", *[str(a) for a in args], stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


def test_translates_the_articles_given_one_line_each(use_openai, article_factory):
    first = untranslated(article_factory)
    second = untranslated(
        article_factory, content_hash="b", url="https://example.com/b", paragraphs=["Putin spoke."]
    )
    out, err, error = translate(first.pk, second.pk)
    assert error is None
    lines = out.splitlines()
    assert lines[0].startswith(f"✓ {first.pk} Kim Jong Un meets Shoigu") and "→ 【訳】金正恩" in lines[0]
    assert (
        lines[1].startswith(f"✓ {second.pk} ") and lines[2] == "2件中2件を翻訳、0件失敗（openai:test-model）"
    )
    assert "it/s" not in err and "記事/s" not in err  # no progress bar when stderr is not a terminal
    first.refresh_from_db()
    assert (
        len(first.translation) == len(PARAGRAPHS) and first.stages.get(name="summarize").state == State.DONE
    )


def test_all_pending_and_a_failure_exit_non_zero_with_a_summary(use_openai, article_factory):
    ok = untranslated(article_factory)
    bad = untranslated(
        article_factory, content_hash="b", url="https://example.com/b", paragraphs=["Broken text."]
    )
    article_factory(content_hash="done", url="https://example.com/done")  # translated already
    article_factory(content_hash="ja", url="https://example.com/ja", language="ja", translation=[])
    use_openai.fail_if = "Broken text"
    out, err, error = translate("--all-pending")
    assert error == f"2件中1件を翻訳、1件失敗（openai:test-model）: 失敗した記事 {bad.pk}"
    assert out.startswith(f"✓ {ok.pk} ")
    assert err.startswith(f"✗ {bad.pk} ") and "TranslationFailed" in err and "500" in err
    bad.refresh_from_db()
    assert bad.status == Article.Status.REVIEW and bad.translation == []
    # Fixed server: --all-pending picks up the failed one (and only it).
    use_openai.fail_if = ""
    out, err, error = translate("--all-pending")
    assert error is None and out.startswith(f"✓ {bad.pk} ") and "1件中1件" in out


def test_already_translated_articles_need_force(use_openai, article_factory):
    article = untranslated(article_factory)
    translate(article.pk)
    sent = use_openai.count
    out, _, _ = translate(article.pk)
    assert "翻訳済み" in out and use_openai.count == sent
    out, _, error = translate("--force", article.pk)
    # Same text, backend and glossary: the memory answers, nothing is sent again.
    assert error is None and out.startswith(f"✓ {article.pk}") and use_openai.count == sent


def test_manual_backend_and_bad_arguments_are_refused(article_factory):
    article = untranslated(article_factory)
    assert "manual" in translate(article.pk)[2]
    assert "--all-pending" in translate()[2]


def test_unknown_article_ids_are_refused(use_openai):
    assert "記事がありません: 999" in translate(999)[2]
