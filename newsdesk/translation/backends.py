"""Translation backends, chosen by NEWSDESK_TRANSLATOR: manual, openai, deepl, ctranslate2 or a path.

One interface: ``translate(segments, source_language, glossary)`` takes a batch of segments (the
headline, lead, caption and paragraphs of one article, each a ``Segment``) and returns a
``Result``: one Japanese string per segment, in the same order, and the usage of that one request.

A backend raises ``TransientError`` for what may pass (timeouts, 429 with its Retry-After, 5xx, an
LLM answer that is not the JSON asked for or has the wrong number of paragraphs): the service
retries those with backoff under the shared rate limiter. ``TranslationError`` is final.
"""

from __future__ import annotations

import email.utils
import json
import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from newsdesk.translation.glossary import Glossary
from newsdesk.translation.ratelimit import limiter_for

logger = logging.getLogger(__name__)

LANGUAGE_NAMES = {"en": "English", "ko": "Korean", "zh": "Chinese", "ru": "Russian"}
KIND_NAMES = {"headline": "見出し", "lead": "リード", "caption": "キャプション", "paragraph": "段落"}


@dataclass(frozen=True)
class Segment:
    kind: str  # headline, lead, caption or paragraph
    text: str
    index: int = 0  # 1-based paragraph number; 0 for the others

    @property
    def label(self) -> str:
        return f"第{self.index}段落" if self.kind == "paragraph" else KIND_NAMES[self.kind]


@dataclass
class Usage:
    requests: int = 0
    characters: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def add(self, other: Usage) -> Usage:
        self.requests += other.requests
        self.characters += other.characters
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        return self


@dataclass
class Result:
    texts: list[str]
    usage: Usage = field(default_factory=Usage)


class TranslationError(Exception):
    """A translation that failed for good (after the retries, or for a reason retrying can't fix)."""

    retryable = False

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()


class TransientError(Exception):
    """A failure worth retrying; ``retry_after`` is the server's Retry-After in seconds, if any."""

    def __init__(self, message: str, retry_after: float | None = None, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.usage = usage or Usage()


class BadAnswer(TransientError):
    """An LLM answer that is not one translation per paragraph; retried, then final."""


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


class Backend:
    id = ""  # the memory key: a different model is a different backend
    label = ""  # shown as the article's translator
    manual = False
    is_llm = False  # can also write abstractive summaries
    rate_limited = True  # local models are not rate limited
    max_segments = 10

    def translate(self, segments: Sequence[Segment], source_language: str, glossary: Glossary) -> Result:
        raise NotImplementedError

    def wait_for_slot(self, *args) -> None:
        """Blocks until the shared rate limiter lets one more request go; called just before sending.

        HTTP backends call it from their HTTP client right before the bytes go out, so what the
        server counts per second is what the limiter allowed (not delayed by building the request).
        """
        if self.rate_limited:
            limiter_for(self.id, settings.NEWSDESK["TRANSLATION_RATE_LIMIT"]).acquire()

    def summarize(self, paragraphs: list[str], title: str, count: int) -> tuple[list[str], Usage]:
        raise TranslationError(f"{self.label}は要約を書けません")


class ManualBackend(Backend):
    """The editor's own translation in the admin: machine translation does nothing."""

    id = "manual"
    label = "編集者"
    manual = True

    def translate(self, segments, source_language, glossary):
        raise TranslationError("翻訳エンジンが manual（編集者の翻訳）です")


# OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp server ...)

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
- 各項目は「。」で終わる一文。
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
            number = int(item.get("i"))
        except (TypeError, ValueError):
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
        self.model = config["OPENAI_MODEL"]
        self.id = f"openai:{self.model}"
        self.label = f"機械翻訳（{self.model}）"
        self.client = openai.OpenAI(
            http_client=openai.DefaultHttpxClient(event_hooks={"request": [self.wait_for_slot]}),
            base_url=config["OPENAI_BASE_URL"] or None,
            api_key=config["OPENAI_API_KEY"] or "unused",  # local servers want any value
            timeout=config["TRANSLATION_TIMEOUT"],
            max_retries=0,  # the service retries, under the shared rate limiter
        )

    def _chat(self, messages: list[dict]) -> tuple[str, Usage]:
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

    def translate(self, segments, source_language, glossary):
        system = SYSTEM_PROMPT.format(language=LANGUAGE_NAMES.get(source_language, "the source language"))
        terms = glossary.found_in(*(segment.text for segment in segments))
        if terms:
            system += GLOSSARY_PROMPT.format(lines="\n".join(f"- {t.source} → {t.japanese}" for t in terms))
        items = [
            {"i": number, "kind": segment.kind, "text": segment.text}
            for number, segment in enumerate(segments, 1)
        ]
        messages = [
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

    def summarize(self, paragraphs, title, count):
        messages = [
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


# DeepL (official client), with DeepL glossaries

DEEPL_SOURCE = {"en": "EN", "ko": "KO", "zh": "ZH", "ru": "RU"}


def _deepl_http_client(timeout: float, before_request):
    """deepl's HTTP client with one attempt per call (the service retries) and Retry-After kept."""
    from deepl import http_client

    class OneAttempt(http_client.HttpClient):
        def __init__(self) -> None:
            super().__init__()
            self.local = threading.local()

        def _remember(self, response, *args, **kwargs):
            self.local.retry_after = response.headers.get("Retry-After")
            return response

        def request_with_backoff(self, method, url, data, json, headers, stream=False, **kwargs):
            self.local.retry_after = None
            request = self._prepare_request(method, url, data, json, headers, **kwargs)
            request.register_hook("response", self._remember)
            before_request()
            return self._internal_request(request, stream=stream, timeout=timeout)

    return OneAttempt()


class DeepLBackend(Backend):
    id = "deepl"
    label = "機械翻訳（DeepL）"
    max_segments = 50

    def __init__(self) -> None:
        import deepl

        config = settings.NEWSDESK
        if not config["DEEPL_AUTH_KEY"]:
            raise ImproperlyConfigured("NEWSDESK_DEEPL_AUTH_KEY を設定してください")
        self.translator = deepl.Translator(
            config["DEEPL_AUTH_KEY"], server_url=config["DEEPL_SERVER_URL"] or None, send_platform_info=False
        )
        self.translator._client.close()
        self.translator._client = self.http = _deepl_http_client(
            config["TRANSLATION_TIMEOUT"], self.wait_for_slot
        )
        self._glossaries: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def _call(self, function, *args, **kwargs):
        import deepl

        try:
            return function(*args, **kwargs)
        except deepl.DeepLException as exc:
            status = exc.http_status_code
            if exc.should_retry or status == 429 or (status or 0) >= 500:
                retry_after = parse_retry_after(getattr(self.http.local, "retry_after", None))
                raise TransientError(f"DeepL: {exc}", retry_after) from None
            raise TranslationError(f"DeepL: {exc}") from None

    def glossary_id(self, glossary: Glossary, source_lang: str) -> str | None:
        """The DeepL glossary for this glossary version and language pair, created once."""
        if not glossary:
            return None
        key = (glossary.version, source_lang)
        with self._lock:
            if key in self._glossaries:
                return self._glossaries[key]
            name = f"newsdesk {glossary.version} {source_lang}-JA"
            existing = [
                info
                for info in self._call(self.translator.list_glossaries)
                if info.name == name and info.source_lang == source_lang and info.target_lang == "JA"
            ]
            if existing:
                glossary_id = existing[0].glossary_id
            else:
                info = self._call(
                    self.translator.create_glossary, name, source_lang, "JA", glossary.as_dict()
                )
                glossary_id = info.glossary_id
            self._glossaries[key] = glossary_id
            return glossary_id

    def translate(self, segments, source_language, glossary):
        source_lang = DEEPL_SOURCE.get(source_language)  # None: DeepL detects it (no glossary then)
        glossary_id = self.glossary_id(glossary, source_lang) if source_lang else None
        texts = [segment.text for segment in segments]
        results = self._call(
            self.translator.translate_text,
            texts,
            source_lang=source_lang,
            target_lang="JA",
            glossary=glossary_id,
            preserve_formatting=True,
        )
        if len(results) != len(texts):
            raise BadAnswer(f"段落数が一致しません（{len(texts)}件に対して{len(results)}件の訳）")
        billed = sum(result.billed_characters or 0 for result in results)
        usage = Usage(characters=billed or sum(len(text) for text in texts))
        return Result([result.text for result in results], usage)


# A local CTranslate2 model (Marian / OPUS-MT, M2M100 or NLLB style) with its SentencePiece model(s)

SPM_NAMES = ("sentencepiece.bpe.model", "spm.model", "sentencepiece.model")
NLLB_CODES = {"en": "eng_Latn", "ko": "kor_Hang", "zh": "zho_Hans", "ru": "rus_Cyrl", "ja": "jpn_Jpan"}


@dataclass
class _LoadedModel:
    translator: object
    source_spm: object
    target_spm: object
    style: str  # marian, m2m100 or nllb


_models: dict[str, _LoadedModel] = {}
_models_lock = threading.Lock()


def _load_model(directory: Path) -> _LoadedModel:
    import ctranslate2
    import sentencepiece

    def spm(*names):
        for name in names:
            if (directory / name).exists():
                return sentencepiece.SentencePieceProcessor(model_file=str(directory / name))
        raise ImproperlyConfigured(f"{directory} に SentencePiece モデル（{' / '.join(names)}）がありません")

    vocabulary = " ".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in directory.glob("*vocabulary*")
        if "source" not in path.name
    )
    style = "nllb" if "jpn_Jpan" in vocabulary else "m2m100" if "__ja__" in vocabulary else "marian"
    return _LoadedModel(
        translator=ctranslate2.Translator(str(directory), device="auto"),
        source_spm=spm("source.spm", *SPM_NAMES),
        target_spm=spm("target.spm", *SPM_NAMES),
        style=style,
    )


class CTranslate2Backend(Backend):
    rate_limited = False
    max_segments = 16

    def __init__(self, model_dir: str | None = None) -> None:
        self.model_dir = model_dir or settings.NEWSDESK["CTRANSLATE2_MODEL_DIR"]
        if not self.model_dir:
            raise ImproperlyConfigured("NEWSDESK_CTRANSLATE2_MODEL_DIR を設定してください")
        self.id = f"ctranslate2:{Path(self.model_dir.replace('{lang}', 'xx')).name}"
        self.label = f"機械翻訳（{Path(self.model_dir).name}）"

    def model(self, source_language: str) -> _LoadedModel:
        """The model for a language; ``{lang}`` in the folder name picks one per language (OPUS-MT)."""
        directory = Path(self.model_dir.replace("{lang}", source_language)).expanduser()
        with _models_lock:
            if str(directory) not in _models:
                if not (directory / "model.bin").exists():
                    raise TranslationError(f"CTranslate2 モデルがありません: {directory}")
                _models[str(directory)] = _load_model(directory)
            return _models[str(directory)]

    def translate(self, segments, source_language, glossary):
        model = self.model(source_language)
        protected = [glossary.protect(segment.text) for segment in segments]
        sources, prefix = [], None
        for text, _mapping in protected:
            tokens = model.source_spm.encode(text, out_type=str)
            if model.style == "m2m100":
                tokens, prefix = [f"__{source_language}__", *tokens], ["__ja__"]
            elif model.style == "nllb":
                if source_language not in NLLB_CODES:
                    raise TranslationError(f"NLLB モデルが知らない言語です: {source_language}")
                tokens, prefix = [NLLB_CODES[source_language], *tokens], ["jpn_Jpan"]
            sources.append([*tokens, "</s>"])
        results = model.translator.translate_batch(
            sources,
            target_prefix=[prefix] * len(sources) if prefix else None,
            beam_size=2,
            max_decoding_length=512,
        )
        texts, output_tokens = [], 0
        for result, (_text, mapping) in zip(results, protected, strict=True):
            tokens = result.hypotheses[0]
            if prefix and tokens[: len(prefix)] == prefix:
                tokens = tokens[len(prefix) :]
            output_tokens += len(tokens)
            texts.append(Glossary.restore(model.target_spm.decode(tokens), mapping).strip())
        usage = Usage(
            characters=sum(len(segment.text) for segment in segments),
            input_tokens=sum(len(tokens) for tokens in sources),
            output_tokens=output_tokens,
        )
        return Result(texts, usage)


BACKENDS = {
    "manual": ManualBackend,
    "openai": OpenAIBackend,
    "deepl": DeepLBackend,
    "ctranslate2": CTranslate2Backend,
}

_cache: dict[tuple, Backend] = {}
_cache_lock = threading.Lock()


def get_backend() -> Backend:
    """The configured backend, one instance per configuration (clients are reused)."""
    config = settings.NEWSDESK
    name = config.get("TRANSLATOR") or "manual"
    key = (
        name,
        *(
            config.get(k)
            for k in (
                "OPENAI_BASE_URL",
                "OPENAI_MODEL",
                "OPENAI_API_KEY",
                "DEEPL_AUTH_KEY",
                "DEEPL_SERVER_URL",
                "CTRANSLATE2_MODEL_DIR",
                "TRANSLATION_TIMEOUT",
            )
        ),
    )
    with _cache_lock:
        if key not in _cache:
            cls = BACKENDS.get(name) or import_string(name)
            _cache[key] = cls()
        return _cache[key]
