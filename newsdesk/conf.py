"""Every setting newsdesk reads from the environment, declared once with its default and help.

``newsdesk/settings.py`` turns these into Django settings; ``newsdesk settings`` prints them; a
test fails when a ``NEWSDESK_*`` name is read anywhere without being declared here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def raw(self) -> str:
        return os.environ.get(self.name, self.default)


SETTINGS = [
    Setting("NEWSDESK_DATA_DIR", "./data", "Folder for the SQLite database, the queue, the secret key."),
    Setting(
        "NEWSDESK_DATABASE_URL",
        "",
        "Database URL; empty means sqlite in the data dir (WAL). postgres://user@host:5432/name for PostgreSQL.",
    ),
    Setting(
        "NEWSDESK_TEST_DATABASE_URL",
        "",
        "Database the test suite runs on (tests/settings.py); empty means SQLite.",
    ),
    Setting(
        "NEWSDESK_TEST_REDIS_URL",
        "",
        "Redis the test suite uses for the cache and queue tests; empty skips them.",
    ),
    Setting("NEWSDESK_SECRET_KEY", "", "Django secret key; when empty one is generated into the data dir."),
    Setting("NEWSDESK_DEBUG", "false", "Django debug mode (never in production)."),
    Setting("NEWSDESK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", "Comma-separated host names served."),
    Setting(
        "NEWSDESK_CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins trusted for CSRF (https://example.jp)."
    ),
    Setting("NEWSDESK_SECURE", "false", "Behind HTTPS: secure cookies, HSTS and the SSL redirect."),
    Setting(
        "NEWSDESK_CACHE_URL",
        "disk://",
        "Cache: disk:// (files in the data folder, shared by this machine's processes; disk:///path "
        "elsewhere), redis://host:6379/0 (several machines), locmem:// (one process) or dummy://.",
    ),
    Setting(
        "NEWSDESK_QUEUE_URL",
        "",
        "Task queue: empty means SqliteHuey in the data dir; redis://host:6379/1 for RedisHuey; "
        "immediate runs tasks in-process.",
    ),
    Setting("NEWSDESK_QUEUE_WORKERS", "2", "Worker threads per `newsdesk worker` process."),
    Setting(
        "NEWSDESK_WEB_WORKERS",
        "2",
        "granian worker processes for `newsdesk serve`, each one request at a time by default: about one per CPU core.",
    ),
    Setting(
        "NEWSDESK_ACCESS_LOG",
        "true",
        "Whether `newsdesk serve` writes an access log line per request (never the client address); "
        "turn off when the proxy in front already logs requests.",
    ),
    Setting("NEWSDESK_SITE_NAME", "KJ 東アジア+", "Site name shown on every page."),
    Setting("NEWSDESK_SITE_TAGLINE", "匿名コメント募集中", "Line shown under the site name."),
    Setting("NEWSDESK_SITE_URL", "http://127.0.0.1:8000", "Public base URL for short and share links."),
    Setting("NEWSDESK_PAGE_SIZE", "20", "Articles per page in listings."),
    Setting(
        "NEWSDESK_FEED_CACHE_SECONDS",
        "300",
        "Seconds the RSS/Atom feeds and the sitemaps are kept in the cache (0: built on every request).",
    ),
    Setting("NEWSDESK_MAX_INPUT_BYTES", "5000000", "Largest file or fetched page accepted for ingest."),
    Setting("NEWSDESK_FETCH_TIMEOUT", "15", "Seconds before a fetch gives up."),
    Setting(
        "NEWSDESK_FETCH_ALLOW_PRIVATE", "false", "Allow fetching private and loopback addresses (tests only)."
    ),
    Setting("NEWSDESK_USER_AGENT", "newsdesk/0.1 (+https://github.com/newsdesk)", "User-Agent for fetches."),
    Setting("NEWSDESK_FETCH_RETRIES", "4", "Retries of a fetch that failed for a passing network reason."),
    Setting(
        "NEWSDESK_SUMMARIZER",
        "newsdesk.japanese.backends.ExtractiveSummarizer",
        "Dotted path of the summarizer backend.",
    ),
    Setting(
        "NEWSDESK_TRANSLATOR",
        "manual",
        "Translation backend: manual, openai, deepl, ctranslate2, or a dotted path to a backend class.",
    ),
    Setting(
        "NEWSDESK_OPENAI_BASE_URL", "", "OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp or hosted)."
    ),
    Setting("NEWSDESK_OPENAI_MODEL", "", "Model name sent to the OpenAI-compatible endpoint."),
    Setting(
        "NEWSDESK_OPENAI_API_KEY",
        "",
        "API key for the OpenAI-compatible endpoint (any value for local servers).",
    ),
    Setting("NEWSDESK_DEEPL_AUTH_KEY", "", "DeepL API authentication key."),
    Setting("NEWSDESK_DEEPL_SERVER_URL", "", "DeepL server URL override (a local test server)."),
    Setting(
        "NEWSDESK_CTRANSLATE2_MODEL_DIR", "", "Folder of a CTranslate2 model with its SentencePiece model(s)."
    ),
    Setting(
        "NEWSDESK_TRANSLATION_CONCURRENCY", "8", "Requests a translation backend may have in flight at once."
    ),
    Setting("NEWSDESK_TRANSLATION_RATE_LIMIT", "20", "Requests per second at most to a translation backend."),
    Setting("NEWSDESK_TRANSLATION_TIMEOUT", "60", "Seconds before a translation request gives up."),
    Setting(
        "NEWSDESK_TRANSLATION_RETRIES", "4", "Retries of a translation request after 429, 5xx or a timeout."
    ),
    Setting(
        "NEWSDESK_TRANSLATION_BATCH_CHARS",
        "2000",
        "Most source characters sent in one translation request (paragraphs are batched up to this).",
    ),
    Setting(
        "NEWSDESK_ABSTRACTIVE_SUMMARY",
        "false",
        "With an LLM translator, write abstractive bullets (checked against the text) instead of extracting.",
    ),
    Setting(
        "NEWSDESK_SEARCH_BACKEND",
        "auto",
        "Search backend: auto (SQLite FTS5 or PostgreSQL pg_trgm, following the database) or a dotted path.",
    ),
    Setting(
        "NEWSDESK_STORY_WINDOW_DAYS", "14", "An article joins only stories active within this many days."
    ),
    Setting(
        "NEWSDESK_STORY_THRESHOLD", "0.2", "Similarity (0-1) at or above which an article joins a story."
    ),
    Setting(
        "NEWSDESK_DUPLICATE_THRESHOLD",
        "0.8",
        "Share of the shorter text found in the other (MinHash estimate) at or above which two articles are one copy.",
    ),
    Setting(
        "NEWSDESK_RANKING_DAYS",
        "7",
        "特に人気 and オススメ rank articles published (or picked by editors) within this many days; "
        "views are counted while an article can rank.",
    ),
    Setting(
        "NEWSDESK_RANKING_HALF_LIFE_HOURS",
        "24",
        "An article's popularity halves with every this many hours since it was published.",
    ),
    Setting("NEWSDESK_RANKING_COMMENT_WEIGHT", "10", "How many page views one visible comment counts as."),
    Setting(
        "NEWSDESK_RANKING_CACHE_SECONDS",
        "300",
        "How long a computed ranking is served before it is recomputed.",
    ),
    Setting(
        "NEWSDESK_VIEW_FLUSH_MINUTES",
        "5",
        "Minutes between the worker's moves of page-view counts from the cache to the database.",
    ),
    Setting("NEWSDESK_COMMENT_MAX_CHARS", "2000", "Longest comment accepted."),
    Setting("NEWSDESK_COMMENT_PAGE_SIZE", "50", "Comments per page when reading a thread."),
    Setting(
        "NEWSDESK_TRUSTED_PROXIES",
        "",
        "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is believed.",
    ),
    Setting(
        "NEWSDESK_COMMENT_RATE_THREAD", "5/60", "Posts one source may make in one thread: COUNT/SECONDS."
    ),
    Setting("NEWSDESK_COMMENT_RATE_SITE", "30/600", "Posts one source may make site-wide: COUNT/SECONDS."),
    Setting("NEWSDESK_COMMENT_MAX_LINKS", "3", "Most links one comment may carry."),
    Setting(
        "NEWSDESK_COMMENT_DUPLICATE_SECONDS",
        "600",
        "A source posting the same text again within this is refused (among its latest 50 posts).",
    ),
    Setting("NEWSDESK_COMMENT_DELETE_SECONDS", "1800", "How long a poster may delete their own comment."),
    Setting(
        "NEWSDESK_SPAM_SCORER",
        "newsdesk.comments.spam.RuleScorer",
        "Dotted path of the spam/toxicity scorer.",
    ),
    Setting("NEWSDESK_SPAM_THRESHOLD", "0.7", "Score (0-1) at or above which a comment is held for review."),
]

BY_NAME = {setting.name: setting for setting in SETTINGS}


def get(name: str) -> str:
    return BY_NAME[name].raw()


def get_bool(name: str) -> bool:
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def get_int(name: str) -> int:
    return int(get(name))


def get_list(name: str) -> list[str]:
    return [item.strip() for item in get(name).split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(get("NEWSDESK_DATA_DIR")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
