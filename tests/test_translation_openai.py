"""Machine translation through an OpenAI-compatible endpoint (a local fake server on 127.0.0.1)."""
# ruff: noqa: F811  (pytest fixtures imported from tests.translation_servers)

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command

from newsdesk.articles.models import Article, PipelineStage
from newsdesk.pipeline import runner
from newsdesk.summaries import llm
from newsdesk.translation.backends import BadAnswer
from newsdesk.translation.backends.openai import parse_translations
from newsdesk.translation.models import ArticleTranslation, TranslationMemory, TranslationUsage
from tests.ingest_inputs import EN_PARAGRAPHS, html_page
from tests.translation_servers import (  # noqa: F401  (fixtures)
    deepl_server,
    fast_retries,
    openai_server,
    use_openai,
)

pytestmark = pytest.mark.django_db
State = PipelineStage.State

PARAGRAPHS = [
    "North Korean leader Kim Jong Un met Russian Defence Minister Sergei Shoigu in Pyongyang on Tuesday.",
    "The Lazarus Group stole about $1.5 billion in cryptocurrency last year, investigators said.",
    *EN_PARAGRAPHS,
]


def untranslated(article_factory, **fields) -> Article:
    """An English article after extraction and language detection, waiting for its translation."""
    defaults = {
        "status": Article.Status.REVIEW,
        "site_published_at": None,
        "original_title": "Kim Jong Un meets Shoigu in Pyongyang",
        "title": "",
        "lead": "The two discussed military cooperation.",
        "caption": "Kim Jong Un and Sergei Shoigu in Pyongyang.",
        "paragraphs": PARAGRAPHS,
        "translation": [],
        "summary": [],
        "translator": "",
    }
    article = article_factory(**{**defaults, **fields})
    for name in ("extract", "language"):
        PipelineStage.objects.create(article=article, name=name, state=State.DONE)
    return article


def stage(article, name="translate") -> PipelineStage:
    return article.stages.get(name=name)


def test_translates_every_paragraph_aligned_with_headline_lead_and_caption(use_openai, article_factory):
    article = untranslated(article_factory)
    runner.run(article)
    article.refresh_from_db()
    assert stage(article).state == State.DONE
    assert len(article.translation) == len(article.paragraphs)
    for original, translated in zip(article.paragraphs, article.translation, strict=True):
        # The fake server's rule keeps the text after the glossary: paragraph i is original i.
        assert translated.startswith("【訳】") and original.split()[-1].rstrip(".") in translated
    assert article.title == "【訳】金正恩 meets ショイグ in Pyongyang"
    assert article.lead_ja == "【訳】The two discussed military cooperation。"
    assert article.caption_ja == "【訳】金正恩 and ショイグ in Pyongyang。"
    assert article.translator == "機械翻訳（test-model）"
    assert stage(article, "summarize").state == State.DONE and article.summary
    # Batches: 3 + 7 segments in one request of at most 10.
    assert use_openai.count == 1


def test_the_glossary_goes_into_the_prompt_only_with_terms_of_the_batch(use_openai, article_factory):
    runner.run(untranslated(article_factory))
    system = use_openai.bodies[0]["messages"][0]["content"]
    assert "- Kim Jong Un → 金正恩" in system and "- Lazarus Group → ラザロ・グループ" in system
    assert "Xi Jinping" not in system


def test_a_missing_glossary_term_is_flagged(use_openai, article_factory):
    use_openai.ignore_glossary = True
    article = untranslated(article_factory)
    runner.run(article)
    record = ArticleTranslation.objects.get(article=article)
    flagged = {(flag["where"], flag["term"], flag["japanese"]) for flag in record.flags}
    assert ("見出し", "Kim Jong Un", "金正恩") in flagged
    assert ("第1段落", "Sergei Shoigu", "ショイグ") in flagged
    assert ("第2段落", "Lazarus Group", "ラザロ・グループ") in flagged
    # Flags are notes for the editor: the translation itself is complete.
    assert stage(article).state == State.DONE


def test_the_memory_sends_nothing_the_second_time(use_openai, article_factory):
    first = untranslated(article_factory)
    runner.run(first)
    sent = use_openai.count
    assert sent and TranslationMemory.objects.count() == 3 + len(PARAGRAPHS)
    second = untranslated(article_factory, content_hash="other", url="https://example.com/other")
    runner.run(second)
    second.refresh_from_db()
    assert use_openai.count == sent
    assert second.translation == Article.objects.get(pk=first.pk).translation
    usage = TranslationUsage.objects.filter(article=second).get()
    assert (usage.requests, usage.from_memory, usage.characters) == (0, 3 + len(PARAGRAPHS), 0)


def test_a_changed_glossary_translates_again(use_openai, article_factory):
    from newsdesk.translation.models import GlossaryEntry

    runner.run(untranslated(article_factory))
    sent = use_openai.count
    GlossaryEntry.objects.create(source="Pyongyang", japanese="平壌", language="en")
    article = untranslated(article_factory, content_hash="other", url="https://example.com/other")
    runner.run(article)
    article.refresh_from_db()
    assert use_openai.count > sent and "平壌" in article.title


def test_only_new_paragraphs_are_sent(use_openai, article_factory):
    runner.run(untranslated(article_factory))
    before = len(use_openai.translated_texts())
    changed = [*PARAGRAPHS, "A new closing paragraph was added by the outlet."]
    runner.run(
        untranslated(article_factory, paragraphs=changed, content_hash="x", url="https://example.com/x")
    )
    assert use_openai.translated_texts()[before:] == ["A new closing paragraph was added by the outlet."]


def test_usage_is_recorded_per_article_and_backend(use_openai, article_factory):
    article = untranslated(article_factory)
    runner.run(article)
    usage = TranslationUsage.objects.get(article=article)
    assert usage.backend == "openai:test-model" and usage.succeeded
    assert usage.requests == 1 and usage.segments == 3 + len(PARAGRAPHS)
    assert usage.characters == sum(
        map(len, [*PARAGRAPHS, article.original_title, article.lead, article.caption])
    )
    assert usage.input_tokens > 0 and usage.output_tokens > 0


@pytest.mark.parametrize("answer", ["500", "malformed", "wrong_count"])
def test_a_passing_failure_is_retried(use_openai, article_factory, answer):
    use_openai.script = [answer]
    article = untranslated(article_factory)
    runner.run(article)
    article.refresh_from_db()
    assert stage(article).state == State.DONE and len(article.translation) == len(PARAGRAPHS)
    assert use_openai.count == 2
    assert TranslationUsage.objects.get(article=article).requests == 2


def test_429_honours_retry_after(use_openai, article_factory):
    use_openai.script = ["429"]
    use_openai.retry_after = "1"
    article = untranslated(article_factory)
    started = time.monotonic()
    runner.run(article)
    assert time.monotonic() - started >= 1.0
    assert stage(article).state == State.DONE and use_openai.count == 2


def test_a_timeout_is_retried(use_openai, article_factory, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "TRANSLATION_TIMEOUT": 0.5}
    use_openai.script = ["slow"]
    article = untranslated(article_factory)
    runner.run(article)
    assert stage(article).state == State.DONE and use_openai.count == 2


def test_a_paragraph_that_keeps_failing_leaves_no_half_translated_page(use_openai, article_factory):
    # Small batches, so most of the article succeeds and one batch (with paragraph 4) fails.
    from django.conf import settings

    settings.NEWSDESK["TRANSLATION_BATCH_CHARS"] = 150
    use_openai.fail_if = "Tourism groups on both sides"
    article = untranslated(article_factory)
    runner.run(article, publish=True)
    article.refresh_from_db()
    row = stage(article)
    assert row.state == State.FAILED
    assert "TranslationFailed" in row.error and "第6段落" in row.error and "500" in row.error
    assert article.status == Article.Status.REVIEW
    assert (article.translation, article.title, article.lead_ja, article.caption_ja) == ([], "", "", "")
    assert stage(article, "summarize").state == State.PENDING
    assert ArticleTranslation.objects.get(article=article).error == row.error.split(": ", 1)[1]
    assert not TranslationUsage.objects.get(article=article).succeeded
    # 1 + TRANSLATION_RETRIES attempts for the failing batch.
    failing = [body for body in use_openai.bodies if "Tourism groups" in str(body)]
    assert len(failing) == 3
    # Once the server is fixed, a rerun sends only what failed (the rest is in the memory).
    use_openai.fail_if = ""
    sent = use_openai.count
    runner.rerun(article, publish=True)
    article.refresh_from_db()
    assert use_openai.count == sent + 1
    assert article.status == Article.Status.PUBLISHED and len(article.translation) == len(PARAGRAPHS)


def test_an_editors_translation_is_kept_and_an_editors_headline_not_replaced(use_openai, article_factory):
    article = untranslated(
        article_factory, translation=["編集者の訳1"] * len(PARAGRAPHS), title="編集者の見出し"
    )
    runner.run(article)
    article.refresh_from_db()
    assert article.translation[0] == "編集者の訳1" and use_openai.count == 0
    other = untranslated(
        article_factory, title="編集者の見出し", content_hash="y", url="https://example.com/y"
    )
    runner.run(other)
    other.refresh_from_db()
    assert other.title == "編集者の見出し" and other.translation[0].startswith("【訳】")


def test_the_manual_backend_waits_for_the_editor(article_factory):
    article = untranslated(article_factory)
    runner.run(article)
    assert stage(article).state == State.WAITING and stage(article).error == "翻訳待ち"


def test_ingesting_an_english_page_translates_and_publishes_it(use_openai, tmp_path):
    path = tmp_path / "en.html"
    path.write_text(html_page(), encoding="utf-8")
    call_command("ingest", str(path), "--publish", stdout=io.StringIO(), stderr=io.StringIO())
    article = Article.objects.latest("pk")
    assert article.language == "en" and article.status == Article.Status.PUBLISHED
    assert len(article.translation) == len(article.paragraphs) and article.title.startswith("【訳】")
    assert not article.caption or article.caption_ja.startswith("【訳】")


def test_batches_are_translated_concurrently_within_the_rate_limit(use_openai, article_factory):
    from django.conf import settings

    settings.NEWSDESK["TRANSLATION_BATCH_CHARS"] = 120  # about one paragraph a request
    use_openai.delay = 0.2
    article = untranslated(article_factory)
    runner.run(article)
    # Several batches were being answered at once (how much faster that is, bench/translate.py
    # measures); the backend's rate limit still held.
    assert use_openai.count >= 6 and use_openai.most_in_flight >= 2
    assert use_openai.max_per_second() <= settings.NEWSDESK["TRANSLATION_RATE_LIMIT"]


def test_the_rate_limit_is_kept(use_openai, article_factory):
    from django.conf import settings

    settings.NEWSDESK["TRANSLATION_BATCH_CHARS"] = 1
    settings.NEWSDESK["TRANSLATION_RATE_LIMIT"] = 4.0
    article = untranslated(article_factory)
    runner.run(article)
    assert use_openai.count == 3 + len(PARAGRAPHS)
    # The limiter paces when requests are sent; the server counts when they arrive, and on a busy
    # machine one request delayed in transit can land in the next request's second.
    assert use_openai.max_per_second() <= 4 + 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"translations": [{"i": 1, "ja": "一"}]}', "段落数"),
        ('{"translations": [{"i": 1, "ja": "一"}, {"i": 1, "ja": "二"}]}', "段落数"),
        ("{not json", "JSON"),
        ('{"answer": "一"}', "translations"),
        ('{"translations": [{"i": 1, "ja": "一"}, {"i": 2, "ja": ""}]}', "空"),
    ],
)
def test_bad_answers_are_recognised(content, message):
    with pytest.raises(BadAnswer, match=message):
        parse_translations(content, 2)


def test_answers_in_a_code_fence_or_out_of_order_are_fine():
    content = '```json\n{"translations": [{"i": 2, "ja": "二"}, {"i": "1", "ja": "一"}]}\n```'
    assert parse_translations(content, 2) == ["一", "二"]


# Abstractive summary (the LLM summarizer with an LLM translation backend)


@pytest.fixture
def abstractive(use_openai, settings):
    settings.NEWSDESK = {**settings.NEWSDESK, "SUMMARIZER": "newsdesk.summaries.llm.LLMSummarizer"}
    return use_openai


def test_abstractive_bullets_are_kept_when_the_text_supports_them(abstractive, article_factory):
    article = untranslated(article_factory)
    supported = [
        "金正恩とショイグが平壌で会った。",
        "ラザロ・グループが暗号資産を盗んだ。",
        "航路は2021年に休止した。",
    ]
    abstractive.summary_bullets = [*supported, "再開は来月である。", "旅客が増える見込みだ。"]
    runner.run(article)
    article.refresh_from_db()
    assert article.summary == abstractive.summary_bullets
    # The summary's request is counted against the article, beside the translation's.
    assert [usage.succeeded for usage in article.translation_usage.order_by("pk")] == [True, True]


def test_the_llm_summarizer_extracts_when_the_translator_is_no_llm(settings, article_factory):
    settings.NEWSDESK = {**settings.NEWSDESK, "SUMMARIZER": "newsdesk.summaries.llm.LLMSummarizer"}
    paragraphs = [
        "港湾局は新しい航路の開設を発表した。",
        "運航は来月に始まる予定だ。",
        "旅客の増加が見込まれている。",
    ]
    article = article_factory(
        language="ja", paragraphs=paragraphs, translation=[], summary=[], status="review"
    )
    article.stages.create(name="extract", state=State.DONE)
    runner.run(article)
    article.refresh_from_db()
    assert article.summary and all(bullet in "".join(article.paragraphs) for bullet in article.summary)
    assert not article.translation_usage.exists()


@pytest.mark.parametrize(
    "bad",
    [
        "航路は2019年に休止した。",  # a number not in the text
        "プーチンも同席した。",  # a name not in the text
        "航路は休止した。旅客は戻る。",  # two sentences
    ],
)
def test_unsupported_abstractive_bullets_fall_back_to_extractive(abstractive, article_factory, bad):
    article = untranslated(article_factory)
    abstractive.summary_bullets = [
        "金正恩が平壌を訪れた。",
        "再開は来月である。",
        "旅客が増える見込みだ。",
        "港は改修された。",
        bad,
    ]
    runner.run(article)
    article.refresh_from_db()
    assert article.summary and article.summary != abstractive.summary_bullets
    assert stage(article, "summarize").state == State.DONE


def test_bullet_check_counts_and_sentences():
    text = "【訳】金正恩が平壌でショイグと会談した。航路は2021年に休止していた。"
    five = ["金正恩が来た。", "ショイグが来た。", "航路は休止した。", "2021年のことだ。", "会談した。"]
    assert llm.bullets_are_supported(five, text)
    assert llm.bullets_are_supported(five[:3], text)  # 3-10 bullets, as the extractive summarizer
    assert not llm.bullets_are_supported(five[:2], text)
    assert not llm.bullets_are_supported(five + ["1.5億ドルが盗まれた。"], text)
