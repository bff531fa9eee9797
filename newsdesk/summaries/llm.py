"""Abstractive bullets written by the LLM translation backend, checked against the text.

``NEWSDESK_SUMMARIZER=newsdesk.summaries.llm.LLMSummarizer`` with an LLM translator (openai):
3-10 one-sentence bullets, kept only when every number and name in them is in the text, none opens
with a word pointing back at an earlier sentence (a connective such as 「また、」 is dropped first,
as the extractive summarizer does), and they follow the article's order; else, and with a
translator that is not an LLM, the extractive summarizer writes the bullets.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from typing import Any

from newsdesk.japanese.bullets import in_article_order, source_positions
from newsdesk.japanese.openers import back_pointing_opener, stand_alone
from newsdesk.japanese.sentences import split_sentences
from newsdesk.japanese.summarize import MAX_BULLETS, MIN_BULLETS, bullet_count
from newsdesk.summaries.backends import ExtractiveSummarizer
from newsdesk.translation.backends import TranslationError, Usage, get_backend
from newsdesk.translation.glossary import Glossary, load_glossary
from newsdesk.translation.service import call_with_retries, record_usage

logger = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_KATAKANA_NAME = re.compile(r"[ァ-ヴ][ァ-ヴー・]+")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9&.\-]*")


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(",", "")


def bullets_are_supported(bullets: list[str], text: str, glossary: Glossary | None = None) -> bool:
    """3-10 bullets of one sentence each, whose numbers and names all appear in the text and none
    of which opens with a word pointing back at an earlier sentence (しかし、これは、同氏は ...)."""
    if not MIN_BULLETS <= len(bullets) <= MAX_BULLETS:
        return False
    source = _normalize(text)
    names = {term.japanese for term in glossary.terms} if glossary else set()
    for bullet in bullets:
        normal = _normalize(bullet)
        if len(split_sentences(normal)) != 1 or not normal.endswith("。"):
            return False
        if back_pointing_opener(bullet) is not None:
            return False
        tokens = [*_NUMBER.findall(normal), *_KATAKANA_NAME.findall(normal), *_LATIN_NAME.findall(normal)]
        tokens += [name for name in names if name in normal]
        if any(token not in source for token in tokens):
            return False
    return True


def bullets_follow_article(bullets: list[str], paragraphs: list[str]) -> bool:
    """Whether the bullets tell the story in the article's order: each is placed at the sentence it
    comes from (or is most like), and those sentences never go back; a bullet like no sentence is
    not counted either way."""
    return in_article_order(source_positions(bullets, paragraphs))


def without_connectives(bullets: list[str]) -> list[str]:
    """The bullets without an opening connective (「また、」「しかし、」); a bullet opening with a
    reference (「これは」「同氏は」) stays as it is, for :func:`bullets_are_supported` to refuse."""
    return [stand_alone(bullet) or bullet for bullet in bullets]


class LLMSummarizer:
    def __init__(self) -> None:
        self.fallback = ExtractiveSummarizer()

    def summarize(
        self, paragraphs: list[str], count: int | None = None, title: str = "", article: Any = None
    ) -> list[str]:
        bullets = self._abstractive(paragraphs, count, title, article)
        return bullets or self.fallback.summarize(paragraphs, count, title, article)

    def _abstractive(self, paragraphs: list[str], count: int | None, title: str, article: Any) -> list[str]:
        backend = get_backend()
        if not backend.is_llm:
            return []
        paragraphs = [p for p in paragraphs if p.strip()]
        count = count or max(MIN_BULLETS, min(MAX_BULLETS, bullet_count(paragraphs)))
        glossary = load_glossary((article.language if article else "") or "other")
        started, usage = time.monotonic(), Usage()
        try:
            (bullets, _), call_usage = call_with_retries(
                backend, lambda: backend.summarize(paragraphs, title, count), retries=1
            )
            usage.add(call_usage)
        except TranslationError as exc:
            usage.add(exc.usage)
            logger.warning("abstractive summary failed for article %s: %s", getattr(article, "pk", None), exc)
            bullets = []
        record_usage(article, backend, [], 0, usage, bool(bullets), started)
        if not bullets:
            return []
        bullets = without_connectives(bullets)
        if not bullets_are_supported(bullets, "\n".join([title, *paragraphs]), glossary):
            logger.info(
                "abstractive summary of article %s not supported by its text", getattr(article, "pk", None)
            )
            return []
        if not bullets_follow_article(bullets, paragraphs):
            logger.info(
                "abstractive summary of article %s not in the article's order", getattr(article, "pk", None)
            )
            return []
        return bullets
