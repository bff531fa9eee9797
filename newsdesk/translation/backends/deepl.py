"""DeepL through its official client, with DeepL glossaries made from ours."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

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
    import requests
    from deepl import TextResult
    from deepl.http_client import HttpClient

__all__ = ["DeepLBackend"]

DEEPL_SOURCE = {"en": "EN", "ko": "KO", "zh": "ZH", "ru": "RU"}

P = ParamSpec("P")
T = TypeVar("T")


def _deepl_http_client(
    timeout: float, before_request: Callable[[], None], local: threading.local
) -> HttpClient:
    """deepl's HTTP client with one attempt per call (the service retries); the Retry-After of the
    calling thread's last response is kept in ``local.retry_after``."""
    from deepl import http_client

    class OneAttempt(http_client.HttpClient):
        def _remember(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
            local.retry_after = response.headers.get("Retry-After")
            return response

        def request_with_backoff(
            self,
            method: str,
            url: str,
            data: dict | None,
            json: dict | None,
            headers: dict,
            stream: bool = False,
            **kwargs: Any,
        ) -> tuple[int, str | requests.Response]:
            local.retry_after = None
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
        # The client is swapped for ours: one attempt per call, Retry-After kept, rate limited.
        self.local = threading.local()
        self.translator._client.close()
        self.translator._client = _deepl_http_client(
            config["TRANSLATION_TIMEOUT"], self.wait_for_slot, self.local
        )
        self._glossaries: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def _call(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        import deepl

        try:
            return function(*args, **kwargs)
        except deepl.DeepLException as exc:
            status = exc.http_status_code
            if exc.should_retry or status == 429 or (status or 0) >= 500:
                retry_after = parse_retry_after(getattr(self.local, "retry_after", None))
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

    def translate(self, segments: Sequence[Segment], source_language: str, glossary: Glossary) -> Result:
        source_lang = DEEPL_SOURCE.get(source_language)  # None: DeepL detects it (no glossary then)
        glossary_id = self.glossary_id(glossary, source_lang) if source_lang else None
        texts = [segment.text for segment in segments]
        # A list of texts gives a list of results.
        results = cast(
            "list[TextResult]",
            self._call(
                self.translator.translate_text,
                texts,
                source_lang=source_lang,
                target_lang="JA",
                glossary=glossary_id,
                preserve_formatting=True,
            ),
        )
        if len(results) != len(texts):
            raise BadAnswer(f"段落数が一致しません（{len(texts)}件に対して{len(results)}件の訳）")
        billed = sum(result.billed_characters or 0 for result in results)
        usage = Usage(characters=billed or sum(len(text) for text in texts))
        return Result([result.text for result in results], usage)
