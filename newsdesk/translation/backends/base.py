"""What every translation backend shares: segments, results, usage, errors and the base class.

A backend's ``translate(segments, source_language, glossary)`` takes a batch of segments (the
headline, lead, caption and paragraphs of one article) and returns a ``Result``: one Japanese
string per segment, in the same order, and the usage of that one request.

It raises ``TransientError`` for what may pass (timeouts, 429 with its Retry-After, 5xx, an LLM
answer that is not the JSON asked for or has the wrong number of paragraphs): the service retries
those with backoff under the shared rate limiter. ``TranslationError`` is final.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

from newsdesk.translation.glossary import Glossary
from newsdesk.translation.ratelimit import limiter_for

__all__ = [
    "Backend",
    "BadAnswer",
    "Result",
    "Segment",
    "TransientError",
    "TranslationError",
    "Usage",
]

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


class Backend:
    id = ""  # the memory key: a different model is a different backend
    label = ""  # shown as the article's translator
    manual = False
    is_llm = False  # can also write abstractive summaries
    rate_limited = True  # local models are not rate limited
    max_segments = 10

    def translate(self, segments: Sequence[Segment], source_language: str, glossary: Glossary) -> Result:
        raise NotImplementedError

    def wait_for_slot(self, *args: object) -> None:
        """Blocks until the shared rate limiter lets one more request go; called just before sending.

        HTTP backends call it from their HTTP client right before the bytes go out (hence the
        client's arguments, ignored), so what the server counts per second is what the limiter
        allowed (not delayed by building the request).
        """
        if self.rate_limited:
            limiter_for(self.id, settings.NEWSDESK["TRANSLATION_RATE_LIMIT"]).acquire()

    def summarize(self, paragraphs: list[str], title: str, count: int) -> tuple[list[str], Usage]:
        raise TranslationError(f"{self.label}は要約を書けません")
