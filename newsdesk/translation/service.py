"""Machine translation of one article: memory, batches in parallel, retries, glossary check.

``translate_article(article)`` is what the pipeline's translate stage calls when the configured
backend is not manual. It changes the article in memory and returns the fields it changed; the
caller saves. It writes nothing to the article unless every segment (headline, lead, caption,
every paragraph) was translated: otherwise it raises ``TranslationFailed`` and the stage keeps
the article in review with the error. Segments that did come back are kept in the memory, so a
later attempt sends only what failed.

Alignment: ``article.translation[i]`` is the translation of ``article.paragraphs[i]``, always the
same length; the headline goes to ``title``, the lead to ``lead_ja``, the caption to
``caption_ja`` (the machine's earlier output there is replaced, an editor's text never).
"""

from __future__ import annotations

import logging
import random
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from newsdesk.articles.models import Article
from newsdesk.translation.backends import (
    Backend,
    Result,
    Segment,
    TransientError,
    TranslationError,
    Usage,
    get_backend,
)
from newsdesk.translation.glossary import Glossary, load_glossary
from newsdesk.translation.models import ArticleTranslation, TranslationMemory, TranslationUsage

logger = logging.getLogger(__name__)

BACKOFF_BASE = 1.0  # seconds before the first retry; doubled each time, with jitter
BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 300.0


class TranslationFailed(TranslationError):
    """Some segment of the article could not be translated; nothing was written to it."""


def is_manual() -> bool:
    return get_backend().manual


def segments_of(article) -> list[Segment]:
    segments = [
        Segment("headline", article.original_title),
        Segment("lead", article.lead),
        Segment("caption", article.caption),
    ]
    segments += [Segment("paragraph", text, number) for number, text in enumerate(article.paragraphs, 1)]
    return segments


def batches(segments: list[Segment], max_segments: int, max_chars: int) -> list[list[Segment]]:
    """Consecutive segments (context for the model) in batches of at most max_segments/max_chars."""
    out: list[list[Segment]] = []
    size = 0
    for segment in segments:
        if not out or len(out[-1]) >= max_segments or (size + len(segment.text) > max_chars and out[-1]):
            out.append([])
            size = 0
        out[-1].append(segment)
        size += len(segment.text)
    return out


def call_with_retries(backend: Backend, call, retries: int | None = None):
    """Runs ``call()`` (one request) until it succeeds, retrying TransientError with backoff.

    Every attempt waits for the backend's shared rate limiter (``Backend.wait_for_slot``, called by
    the backend's HTTP client just before sending); a 429's Retry-After is honoured.
    Returns (result, usage of all attempts); raises TranslationError with that usage when it gives up.
    """
    config = settings.NEWSDESK
    retries = config["TRANSLATION_RETRIES"] if retries is None else retries
    usage = Usage()
    for attempt in range(retries + 1):
        usage.requests += 1
        try:
            result = call()
        except TransientError as exc:
            usage.add(exc.usage)
            if attempt == retries:
                raise TranslationError(f"{exc}（{retries}回再試行しても失敗）", usage) from None
            if exc.retry_after is not None:
                delay = min(exc.retry_after, RETRY_AFTER_MAX)
            else:
                delay = min(BACKOFF_BASE * 2**attempt, BACKOFF_MAX) * random.uniform(0.8, 1.2)
            logger.info("%s: %s; retrying in %.1fs", backend.id, exc, delay)
            time.sleep(delay)
        except TranslationError as exc:
            exc.usage = usage.add(exc.usage)
            raise
        else:
            usage.add(result[1] if isinstance(result, tuple) else result.usage)
            return result, usage
    raise AssertionError("unreachable")


def _translate_batch(backend: Backend, batch: list[Segment], language: str, glossary: Glossary):
    result, usage = call_with_retries(backend, lambda: backend.translate(batch, language, glossary))
    if len(result.texts) != len(batch):  # a backend's bug, not the server's: never misalign
        raise TranslationError(f"{backend.id}: {len(batch)}件に対して{len(result.texts)}件の訳", usage)
    return Result(result.texts, usage)


def translate_segments(
    backend: Backend, segments: list[Segment], language: str, glossary: Glossary
) -> tuple[dict[str, str], Usage, int, list[tuple[Segment, TranslationError]]]:
    """Translations keyed by memory key: from the memory, else from the backend in parallel batches.

    Returns (translations, usage, segments found in memory, failures). Successful batches are
    stored in the memory at once, also when other batches fail.
    """
    config = settings.NEWSDESK

    def key(segment: Segment) -> str:
        return TranslationMemory.make_key(segment.text, language, backend.id, glossary.version)

    keys = {key(segment) for segment in segments}
    found = dict(TranslationMemory.objects.filter(key__in=keys).values_list("key", "translation"))
    from_memory = sum(1 for segment in segments if key(segment) in found)
    todo, seen = [], set(found)
    for segment in segments:
        if key(segment) not in seen:  # the same text twice in an article is sent once
            seen.add(key(segment))
            todo.append(segment)
    usage, failures = Usage(), []
    work = batches(todo, backend.max_segments, config["TRANSLATION_BATCH_CHARS"])
    if work:
        workers = max(1, min(config["TRANSLATION_CONCURRENCY"], len(work)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="translate") as pool:
            futures = [
                (batch, pool.submit(_translate_batch, backend, batch, language, glossary)) for batch in work
            ]
            for batch, future in futures:
                try:
                    result = future.result()
                except TranslationError as exc:
                    usage.add(exc.usage)
                    failures += [(segment, exc) for segment in batch]
                    continue
                usage.add(result.usage)
                rows = [
                    TranslationMemory(
                        key=key(segment),
                        backend=backend.id,
                        source_language=language,
                        glossary_version=glossary.version,
                        source_text=segment.text,
                        translation=text,
                    )
                    for segment, text in zip(batch, result.texts, strict=True)
                ]
                TranslationMemory.objects.bulk_create(rows, ignore_conflicts=True)
                found.update({row.key: row.translation for row in rows})
    return {k: v for k, v in found.items() if k in keys}, usage, from_memory, failures


def record_usage(article, backend, segments, from_memory, usage, succeeded, started) -> None:
    TranslationUsage.objects.create(
        article=article,
        backend=backend.id,
        segments=len(segments),
        from_memory=from_memory,
        requests=usage.requests,
        characters=usage.characters,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        succeeded=succeeded,
        seconds=round(time.monotonic() - started, 3),
    )


def missing_paragraphs(article) -> list[int]:
    """Indexes of the original paragraphs that have no translation (``translation[i]`` empty or
    absent), e.g. a line an editor put back into the body."""
    translation = article.translation or []
    return [
        index
        for index, text in enumerate(article.paragraphs or [])
        if str(text).strip() and (index >= len(translation) or not str(translation[index]).strip())
    ]


_TARGETS = (("headline", "title"), ("lead", "lead_ja"), ("caption", "caption_ja"))


def _untranslated(article) -> list[Segment]:
    """The paragraphs with no translation yet (the headline, lead and caption are the editor's)."""
    return [
        Segment("paragraph", article.paragraphs[index], index + 1) for index in missing_paragraphs(article)
    ]


def translate_article(article, missing_only: bool = False) -> list[str]:
    """Translates the article with the configured backend; returns the fields it changed.

    ``missing_only`` translates only the paragraphs without a translation and keeps everything
    already there, an editor's work included: a paragraph put back into the body gets its own
    translation without the others being replaced.
    """
    backend = get_backend()
    if backend.manual or article.is_japanese:
        return []
    started = time.monotonic()
    language = article.language or "other"
    glossary = load_glossary(language)
    if missing_only:
        segments = _untranslated(article)
        if not segments:
            return []
    else:
        segments = [segment for segment in segments_of(article) if segment.text.strip()]
    found, usage, from_memory, failures = translate_segments(backend, segments, language, glossary)
    record, _ = ArticleTranslation.objects.get_or_create(article=article)
    record.backend, record.glossary_version = backend.id, glossary.version
    if failures:
        where = "、".join(segment.label for segment, _ in failures[:5]) + (
            "ほか" if len(failures) > 5 else ""
        )
        message = f"{len(segments)}区分中{len(failures)}区分の翻訳に失敗（{where}）: {failures[0][1]}"
        with transaction.atomic():
            record_usage(article, backend, segments, from_memory, usage, False, started)
            record.error = message
            record.save()
        raise TranslationFailed(message, usage)

    def ja(segment: Segment) -> str:
        return found[TranslationMemory.make_key(segment.text, language, backend.id, glossary.version)]

    by_kind = {segment.kind: ja(segment) for segment in segments if segment.kind != "paragraph"}
    if missing_only:
        translation = list(article.translation or [])
        translation += [""] * (len(article.paragraphs) - len(translation))
        for index in missing_paragraphs(article):
            translation[index] = ja(Segment("paragraph", article.paragraphs[index], index + 1))
    else:
        translation = [
            ja(Segment("paragraph", text, number)) if text.strip() else ""
            for number, text in enumerate(article.paragraphs, 1)
        ]
    flags = [
        {"where": segment.label, "term": term.source, "japanese": term.japanese}
        for segment in segments
        for term in glossary.missing(segment.text, ja(segment))
    ]
    changed = ["translation", "translator"]
    article.translation = translation
    if not (missing_only and article.translator):  # the editor who translated the rest stays named
        article.translator = backend.label[:100]
    previous = record.output or {}
    if "headline" in by_kind:
        # A runaway model must not make the save fail (PostgreSQL enforces the column's length).
        title_length = Article._meta.get_field("title").max_length
        assert title_length is not None  # a CharField with max_length
        by_kind["headline"] = Truncator(by_kind["headline"]).chars(title_length)
    for kind, attribute in _TARGETS:
        current = getattr(article, attribute)
        if kind in by_kind and (not current or current == previous.get(attribute)):
            setattr(article, attribute, by_kind[kind])
            changed.append(attribute)
    record.output = {
        attribute: by_kind.get(kind, previous.get(attribute, "") if missing_only else "")
        for kind, attribute in _TARGETS
    }
    if missing_only:
        flags = list(record.flags or []) + flags
    record.flags, record.error, record.translated_at = flags, "", timezone.now()
    with transaction.atomic():
        record_usage(article, backend, segments, from_memory, usage, True, started)
        record.save()
    return changed
