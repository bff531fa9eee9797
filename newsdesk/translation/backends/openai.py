"""OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp server ...): translations
and abstractive summaries asked for as JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from newsdesk.core.net import parse_retry_after
from newsdesk.translation.backends.base import (
    Backend,
    BadAnswer,
    Result,
    Segment,
    TransientError,
    TranslationError,
    Usage,
)
from newsdesk.translation.glossary import Glossary

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

__all__ = ["OpenAIBackend", "parse_translations"]

LANGUAGE_NAMES = {"en": "English", "ko": "Korean", "zh": "Chinese", "ru": "Russian"}

SYSTEM_PROMPT = """You are a professional translator for a Japanese news site. Translate each item of \
a news article from {language} into faithful, natural Japanese in the style of a Japanese newspaper \
(body in である調; the headline as a Japanese headline).
Rules:
- Translate every item on its own and completely. Never merge, split, drop, summarize or add items \
or sentences. Keep every number, date and name.
- Answer with one JSON object and nothing else, exactly one translation per item, with the item's "i":
{{"translations": [{{"i": 1, "ja": "..."}}, {{"i": 2, "ja": "..."}}]}}"""
GLOSSARY_PROMPT = "\nAlways write these names and terms in the Japanese form given:\n{lines}"

SUMMARY_PROMPT = """以下は日本語のニュース記事です。要点を{count}個の箇条書きにまとめてください。
- 各項目は「。」で終わる一文。記事が伝える順に並べ、記事全体を覆う。
- 各項目は単独で読めるようにする。「しかし」「また」「これ」「その」「同氏」など前の文を指す語で始めない。
- 記事にない数字・固有名詞・事実を書かない。数字と名前は記事の表記のまま使う。
- JSONのオブジェクト一つだけで答える：{{"bullets": ["...", "..."]}}"""

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def parse_translations(content: str | None, count: int) -> list[str]:
    """The translations of an LLM answer, in order; BadAnswer unless exactly one per item."""
    text = _FENCE.sub("", (content or "").strip())
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BadAnswer(f"応答がJSONではありません（{exc}）") from None
    items = data.get("translations") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BadAnswer("応答に translations の配列がありません")
    by_number: dict[int, str] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("ja"), str):
            raise BadAnswer("応答の translations の要素が {i, ja} ではありません")
        try:
            number = int(item["i"])
        except (KeyError, TypeError, ValueError):
            raise BadAnswer("応答の translations の要素に番号 i がありません") from None
        by_number[number] = item["ja"].strip()
    if sorted(by_number) != list(range(1, count + 1)) or len(items) != count:
        raise BadAnswer(f"段落数が一致しません（{count}件に対して{len(items)}件の訳）")
    if any(not by_number[number] for number in by_number):
        raise BadAnswer("空の訳があります")
    return [by_number[number] for number in range(1, count + 1)]


class OpenAIBackend(Backend):
    is_llm = True
    max_segments = 10

    def __init__(self) -> None:
        import openai

        config = settings.NEWSDESK
        if not config["OPENAI_BASE_URL"] and not config["OPENAI_API_KEY"]:
            raise ImproperlyConfigured(
                "NEWSDESK_OPENAI_BASE_URL か NEWSDESK_OPENAI_API_KEY を設定してください"
            )
        if not config["OPENAI_MODEL"]:
            raise ImproperlyConfigured("NEWSDESK_OPENAI_MODEL を設定してください")
        self.model: str = config["OPENAI_MODEL"]
        self.id = f"openai:{self.model}"
        self.label = f"機械翻訳（{self.model}）"
        self.client = openai.OpenAI(
            http_client=openai.DefaultHttpxClient(event_hooks={"request": [self.wait_for_slot]}),
            base_url=config["OPENAI_BASE_URL"] or None,
            api_key=config["OPENAI_API_KEY"] or "unused",  # local servers want any value
            timeout=config["TRANSLATION_TIMEOUT"],
            max_retries=0,  # the service retries, under the shared rate limiter
        )

    def _chat(self, messages: list[ChatCompletionMessageParam]) -> tuple[str, Usage]:
        import openai

        try:
            response = self.client.chat.completions.create(
                model=self.model,
                messages=messages,
                temperature=0,
                response_format={"type": "json_object"},
            )
        except openai.APIStatusError as exc:
            status = exc.status_code
            if status == 429 or status >= 500 or status in (408, 409):
                retry_after = parse_retry_after(exc.response.headers.get("retry-after"))
                raise TransientError(f"サーバーが{status}を返しました", retry_after) from None
            raise TranslationError(f"サーバーが{status}を返しました: {exc.message}") from None
        except openai.APITimeoutError:
            raise TransientError("応答がタイムアウトしました") from None
        except openai.APIConnectionError as exc:
            raise TransientError(f"接続できません（{exc}）") from None
        usage = Usage()
        if response.usage is not None:
            usage.input_tokens = response.usage.prompt_tokens or 0
            usage.output_tokens = response.usage.completion_tokens or 0
        if not response.choices:
            raise BadAnswer("応答に choices がありません", usage=usage)
        return response.choices[0].message.content or "", usage

    def translate(self, segments: Sequence[Segment], source_language: str, glossary: Glossary) -> Result:
        system = SYSTEM_PROMPT.format(language=LANGUAGE_NAMES.get(source_language, "the source language"))
        terms = glossary.found_in(*(segment.text for segment in segments))
        if terms:
            system += GLOSSARY_PROMPT.format(lines="\n".join(f"- {t.source} → {t.japanese}" for t in terms))
        items = [
            {"i": number, "kind": segment.kind, "text": segment.text}
            for number, segment in enumerate(segments, 1)
        ]
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system},
            {"role": "user", "content": json.dumps({"items": items}, ensure_ascii=False)},
        ]
        content, usage = self._chat(messages)
        usage.characters = sum(len(segment.text) for segment in segments)
        try:
            return Result(parse_translations(content, len(segments)), usage)
        except BadAnswer as exc:
            exc.usage = usage
            raise

    def summarize(self, paragraphs: list[str], title: str, count: int) -> tuple[list[str], Usage]:
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": SUMMARY_PROMPT.format(count=count)},
            {
                "role": "user",
                "content": json.dumps({"title": title, "paragraphs": paragraphs}, ensure_ascii=False),
            },
        ]
        content, usage = self._chat(messages)
        usage.characters = sum(len(p) for p in paragraphs) + len(title)
        try:
            data = json.loads(_FENCE.sub("", content.strip()))
        except ValueError:
            raise BadAnswer("要約の応答がJSONではありません", usage=usage) from None
        bullets = data.get("bullets") if isinstance(data, dict) else None
        if not isinstance(bullets, list) or not all(isinstance(b, str) for b in bullets):
            raise BadAnswer("要約の応答に bullets の配列がありません", usage=usage)
        return [b.strip() for b in bullets if b.strip()], usage
