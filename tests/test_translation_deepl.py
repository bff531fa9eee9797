"""DeepL through the official client, against a local server speaking the DeepL API v2."""
# ruff: noqa: F811  (pytest fixtures imported from tests.translation_servers)

from __future__ import annotations

import time

import pytest

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.pipeline import runner
from newsdesk.translation.backends import get_backend
from newsdesk.translation.models import ArticleTranslation, GlossaryEntry, TranslationUsage
from tests.test_translation_openai import PARAGRAPHS, stage, untranslated
from tests.translation_servers import deepl_server, fast_retries, use_deepl  # noqa: F401

pytestmark = pytest.mark.django_db
State = PipelineStage.State


def glossary_posts(server):
    return [body for body in server.bodies if "entries" in body]


def test_translates_with_a_deepl_glossary(use_deepl, article_factory):
    article = untranslated(article_factory)
    runner.run(article)
    article.refresh_from_db()
    assert stage(article).state == State.DONE
    assert len(article.translation) == len(PARAGRAPHS)
    assert article.title == "【訳】金正恩 meets ショイグ in Pyongyang"
    assert article.translation[1].startswith("【訳】The ラザロ・グループ stole")
    assert article.translator == "機械翻訳（DeepL）"
    (created,) = glossary_posts(use_deepl)
    assert created["source_lang"] == "EN" and created["target_lang"] == "JA"
    assert "Kim Jong Un\t金正恩" in created["entries"] and "김정은" not in created["entries"]
    translate = [body for body in use_deepl.bodies if "text" in body]
    assert translate[0]["glossary_id"] and translate[0]["source_lang"] == "EN"
    assert ArticleTranslation.objects.get(article=article).flags == []
    usage = TranslationUsage.objects.get(article=article)
    assert usage.backend == "deepl" and usage.characters == sum(len(t) for t in translate[0]["text"])


def test_the_glossary_is_reused_per_version_and_made_again_when_it_changes(use_deepl, article_factory):
    runner.run(untranslated(article_factory))
    runner.run(
        untranslated(
            article_factory, paragraphs=["Kim Jong Un spoke."], content_hash="b", url="https://e.com/b"
        )
    )
    assert len(glossary_posts(use_deepl)) == 1
    # A new process (a new client) finds the glossary on the server by its name.
    from newsdesk.translation import backends

    backends._cache.clear()
    runner.run(
        untranslated(article_factory, paragraphs=["Putin spoke."], content_hash="c", url="https://e.com/c")
    )
    assert len(glossary_posts(use_deepl)) == 1
    GlossaryEntry.objects.create(source="Pyongyang", japanese="平壌", language="en")
    article = untranslated(
        article_factory, paragraphs=["In Pyongyang."], content_hash="d", url="https://e.com/d"
    )
    runner.run(article)
    article.refresh_from_db()
    assert len(glossary_posts(use_deepl)) == 2 and article.translation == ["【訳】In 平壌。"]


def test_deepl_429_honours_retry_after_and_500_is_retried(use_deepl, article_factory):
    use_deepl.script = ["", "429", "500"]  # the glossary listing passes, then two failures
    use_deepl.retry_after = "1"
    article = untranslated(article_factory)
    started = time.monotonic()
    runner.run(article)
    assert time.monotonic() - started >= 1.0
    assert stage(article).state == State.DONE
    assert TranslationUsage.objects.get(article=article).requests == 3


def test_deepl_failing_for_good_writes_nothing(use_deepl, article_factory):
    get_backend()
    use_deepl.fail_if = "Lazarus"
    article = untranslated(article_factory)
    runner.run(article, publish=True)
    article.refresh_from_db()
    assert stage(article).state == State.FAILED and "500" in stage(article).error
    assert article.translation == [] and article.title == "" and article.status == Article.Status.REVIEW


def test_a_wrong_number_of_deepl_translations_is_not_misaligned(use_deepl, article_factory):
    use_deepl.script = ["", "wrong_count"]
    article = untranslated(article_factory)
    runner.run(article)
    article.refresh_from_db()
    assert stage(article).state == State.DONE and len(article.translation) == len(PARAGRAPHS)
