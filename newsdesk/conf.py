"""Every setting newsdesk reads from the environment, declared once with its type, default and help.

Each declaration parses its own variable: a value that does not parse raises ImproperlyConfigured
naming the variable and what it expects (the ``newsdesk`` command prints it without a traceback).
``newsdesk/settings.py`` turns the declarations into Django settings and ``settings.NEWSDESK``; a
test fails when a ``NEWSDESK_*`` name is read anywhere without being declared here.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})
EXPECTS = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false (also 1/0, yes/no, on/off)",
    list: "comma-separated values",
}


def _policy_source(name: str) -> Callable[[str], str]:
    """A value written into a policy header as one source: no white space, ``;`` or ``,``."""

    def clean(value: str) -> str:
        if any(char.isspace() or char in ";," for char in value):
            raise ImproperlyConfigured(f"{name} must be one address, without spaces, ';' or ',': {value!r}")
        return value

    return clean


def _at_least_one(name: str) -> Callable[[int], int]:
    def clean(value: int) -> int:
        if value < 1:
            raise ImproperlyConfigured(f"{name} must be 1 or more, not {value}")
        return value

    return clean


@dataclass(frozen=True)
class Setting:
    """One ``NEWSDESK_*`` environment variable.

    ``type`` is str, int, float, bool or list (of str, comma-separated in the environment) and
    ``default`` a value of that type. ``settings.NEWSDESK[key]`` holds the parsed value unless
    ``in_newsdesk`` is false: those become Django's own settings or serve the test suite, and are
    read with ``get``. ``clean`` adjusts a value (parsed or default) before it is used.
    """

    name: str
    type: type
    default: Any
    help: str
    in_newsdesk: bool = True
    clean: Callable[[Any], Any] | None = None
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.name.removeprefix("NEWSDESK_")

    def parse(self, raw: str) -> Any:
        try:
            if self.type is bool:
                flag = raw.strip().lower()
                if flag in TRUE | FALSE:
                    return flag in TRUE
                raise ValueError(raw)
            if self.type is list:
                return [item.strip() for item in raw.split(",") if item.strip()]
            return self.type(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{self.name} must be {EXPECTS[self.type]}, not {raw!r}") from None

    def value(self) -> Any:
        raw = os.environ.get(self.name)
        value = copy.copy(self.default) if raw is None else self.parse(raw)
        if self.choices and value not in self.choices:
            raise ImproperlyConfigured(f"{self.name} must be one of {', '.join(self.choices)}, not {raw!r}")
        return self.clean(value) if self.clean else value


SETTINGS = [
    Setting(
        "NEWSDESK_DATA_DIR",
        str,
        "",
        "Folder for the SQLite database, the queue, the cache, the secret key; empty means this user's "
        "data folder, $XDG_DATA_HOME/newsdesk (~/.local/share/newsdesk), the same whichever folder a "
        "command runs in.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_DATABASE_URL",
        str,
        "",
        "Database URL; empty means sqlite in the data dir (WAL). postgres://user@host:5432/name for PostgreSQL.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_TEST_DATABASE_URL",
        str,
        "",
        "Database the test suite runs on (tests/settings.py); empty means SQLite.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_FUZZ",
        str,
        "ci",
        "The fuzz tests' profile (tests/fuzz): ci, a short derandomized run in every test run; long, a "
        "campaign of NEWSDESK_FUZZ_SECONDS per parser.",
        in_newsdesk=False,
        choices=("ci", "long"),
    ),
    Setting(
        "NEWSDESK_FUZZ_SECONDS",
        float,
        600.0,
        "How long a long fuzz campaign runs per test.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_FUZZ_REPORT",
        str,
        "",
        "A file the long fuzz campaign appends its figures to (one JSON object a line); empty: none.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_TEST_REDIS_URL",
        str,
        "",
        "Redis the test suite uses for the cache and queue tests; empty skips them.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_SECRET_KEY",
        str,
        "",
        "Django secret key; when empty one is generated into the data dir.",
        in_newsdesk=False,
    ),
    Setting("NEWSDESK_DEBUG", bool, False, "Django debug mode (never in production).", in_newsdesk=False),
    Setting(
        "NEWSDESK_ALLOWED_HOSTS",
        list,
        ["localhost", "127.0.0.1", "[::1]"],
        "Comma-separated host names served.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_CSRF_TRUSTED_ORIGINS",
        list,
        [],
        "Comma-separated origins trusted for CSRF (https://example.jp).",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_SECURE",
        bool,
        False,
        "Behind HTTPS: secure cookies, HSTS and the SSL redirect.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_CSP_REPORT_ONLY",
        bool,
        False,
        "Send the Content-Security-Policy as Content-Security-Policy-Report-Only: browsers report "
        "what it would block (in their console, and to NEWSDESK_CSP_REPORT_URI) and block nothing.",
    ),
    Setting(
        "NEWSDESK_CSP_REPORT_URI",
        str,
        "",
        "Address browsers send Content-Security-Policy violation reports to (report-uri); empty sends none.",
        clean=_policy_source("NEWSDESK_CSP_REPORT_URI"),
    ),
    Setting(
        "NEWSDESK_CACHE_URL",
        str,
        "disk://",
        "Cache: disk:// (files in the data folder, shared by this machine's processes; disk:///path "
        "elsewhere), redis://host:6379/0 (several machines), locmem:// (one process; no page cache) or "
        "dummy://.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_QUEUE_URL",
        str,
        "",
        "Task queue: empty means SqliteHuey in the data dir; redis://host:6379/1 for RedisHuey; "
        "immediate runs tasks in-process.",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_QUEUE_WORKERS", int, 2, "Worker threads per `newsdesk worker` process.", in_newsdesk=False
    ),
    Setting(
        "NEWSDESK_WORKER_WARM_UP",
        bool,
        True,
        "Each worker thread does the one-off work of a first article (dictionaries, extraction tables, "
        "scikit-learn's import; a few seconds) when it starts, so that no queued article waits for it.",
    ),
    Setting(
        "NEWSDESK_WEB_WORKERS",
        int,
        2,
        "granian worker processes for `newsdesk serve`, each one request at a time by default: about one per CPU core.",
    ),
    Setting(
        "NEWSDESK_ACCESS_LOG",
        bool,
        True,
        "Whether `newsdesk serve` writes an access log line per request (never the client address); "
        "turn off when the proxy in front already logs requests.",
    ),
    Setting(
        "NEWSDESK_LOGIN_FAILURE_LIMIT",
        int,
        5,
        "Failed admin logins from one source (an IPv4 address or IPv6 /64), or for one account, after "
        "which logins from that source or to that account are refused (django-axes).",
        in_newsdesk=False,
        clean=_at_least_one("NEWSDESK_LOGIN_FAILURE_LIMIT"),
    ),
    Setting(
        "NEWSDESK_LOGIN_COOLOFF_MINUTES",
        int,
        15,
        "Minutes a source or account stays locked out after its last failed login (a try meanwhile "
        "starts the wait again).",
        in_newsdesk=False,
        clean=_at_least_one("NEWSDESK_LOGIN_COOLOFF_MINUTES"),
    ),
    Setting(
        "NEWSDESK_LOGIN_CONCURRENCY",
        int,
        1,
        "Password checks (~0.4 s of hashing each) one web process runs at once; a login beyond them "
        "is answered 「しばらくしてから」 (503), so the process's other threads go on serving readers.",
        clean=_at_least_one("NEWSDESK_LOGIN_CONCURRENCY"),
    ),
    Setting(
        "NEWSDESK_LOGIN_WAIT",
        float,
        0.0,
        "Seconds a login waits for a place among NEWSDESK_LOGIN_CONCURRENCY before it is refused; "
        "a waiting login holds a thread that could serve readers.",
    ),
    Setting("NEWSDESK_SITE_NAME", str, "KJ 東アジア+", "Site name shown on every page."),
    Setting("NEWSDESK_SITE_TAGLINE", str, "匿名コメント募集中", "Line shown under the site name."),
    Setting(
        "NEWSDESK_SITE_URL",
        str,
        "http://127.0.0.1:8000",
        "Public base URL for short and share links.",
        clean=lambda url: url.rstrip("/"),
    ),
    Setting("NEWSDESK_PAGE_SIZE", int, 20, "Articles per page in listings."),
    Setting(
        "NEWSDESK_STALE_DAYS",
        int,
        7,
        "An article whose original appeared more than this many days (JST calendar days) before we "
        "published it carries the label 「YYYY年M月の記事」 on its page and in listings.",
    ),
    Setting(
        "NEWSDESK_DEFAULT_REUSE_POLICY",
        str,
        "summary",
        "Reuse policy of an outlet no editor has reviewed: full (full translation), summary "
        "(summary and excerpt) or link (link only).",
        choices=("full", "summary", "link"),
    ),
    Setting(
        "NEWSDESK_FEED_CACHE_SECONDS",
        int,
        300,
        "Seconds the sitemaps are kept in the cache (0: built on every request); feeds are reader "
        "pages, in the page cache.",
    ),
    Setting(
        "NEWSDESK_PAGE_MAX_AGE",
        int,
        0,
        "Seconds a browser may show a reader page again without asking (Cache-Control max-age); 0: it "
        "asks every time and gets a 304 while the page has not changed.",
    ),
    Setting(
        "NEWSDESK_PAGE_SHARED_MAX_AGE",
        int,
        60,
        "Seconds a shared cache in front (nginx, a CDN) may serve a reader page without asking "
        "(Cache-Control s-maxage); it sees no change before then unless it is purged.",
    ),
    Setting(
        "NEWSDESK_PAGE_CACHE_SECONDS",
        int,
        600,
        "Seconds newsdesk's own page cache keeps a rendered reader page for anonymous readers (0: "
        "off). Every change to the site shows at once regardless; this bounds only what time alone "
        "changes (dates shown without the year).",
    ),
    Setting(
        "NEWSDESK_PAGE_FILL_WAIT",
        float,
        2.0,
        "Seconds a request for a page that another process is rendering waits for that render "
        "before rendering the page itself.",
    ),
    Setting(
        "NEWSDESK_FRONTEND_CACHE_BACKEND",
        str,
        "",
        "Dotted path of the purge backend for a shared cache in front (docs/deploy.md): "
        "newsdesk.site.purge.NginxPurge for the documented nginx; empty: none. On every change "
        "newsdesk purges each page it answered since the change before.",
    ),
    Setting(
        "NEWSDESK_FRONTEND_CACHE_PURGE_URL",
        str,
        "",
        "Where the purge backend sends purges: nginx's purge location, e.g. http://127.0.0.1:8081/purge.",
        clean=lambda url: url.rstrip("/"),
    ),
    Setting(
        "NEWSDESK_FRONTEND_CACHE_MAX_URLS",
        int,
        10_000,
        "Most page addresses recorded for purging between two changes; a page beyond them is "
        "left to the shared cache's expiry (NEWSDESK_PAGE_SHARED_MAX_AGE).",
        clean=_at_least_one("NEWSDESK_FRONTEND_CACHE_MAX_URLS"),
    ),
    Setting("NEWSDESK_MAX_INPUT_BYTES", int, 5_000_000, "Largest file or fetched page accepted for ingest."),
    Setting(
        "NEWSDESK_FETCH_TIMEOUT",
        float,
        15.0,
        "Seconds one fetch may take in all (robots.txt, every redirect, the headers and the body), "
        "however slowly the server sends; then it gives up.",
    ),
    Setting(
        "NEWSDESK_FEED_MAX_ENTRIES",
        int,
        200,
        "Most entries of one feed taken in one go; those after them are reported (a failure for "
        "`newsdesk ingest`, a note on the polled feed, whose next poll takes the next ones).",
    ),
    Setting(
        "NEWSDESK_RESUME_AFTER_SECONDS",
        int,
        1800,
        "Seconds without progress after which the worker takes an article's unfinished stages, or an "
        "ingest item left 処理中, as interrupted (a killed process) and resumes them.",
    ),
    Setting(
        "NEWSDESK_FETCH_ALLOW_PRIVATE",
        bool,
        False,
        "Allow fetching private and loopback addresses (tests only).",
    ),
    Setting(
        "NEWSDESK_USER_AGENT", str, "newsdesk/0.1 (+https://github.com/newsdesk)", "User-Agent for fetches."
    ),
    Setting("NEWSDESK_FETCH_RETRIES", int, 4, "Retries of a fetch that failed for a passing network reason."),
    Setting(
        "NEWSDESK_IMAGES",
        bool,
        True,
        "Fetch each article's lead image (the images stage) and store a page-width copy and a "
        "thumbnail; false fetches none, and pages show captions without images.",
    ),
    Setting("NEWSDESK_IMAGE_MAX_BYTES", int, 4_000_000, "Largest lead image fetched (bytes)."),
    Setting(
        "NEWSDESK_IMAGE_MAX_PIXELS",
        int,
        25_000_000,
        "Largest lead image decoded (width x height); bigger ones (decompression bombs) are refused unread.",
    ),
    Setting(
        "NEWSDESK_MEDIA_DIR",
        str,
        "",
        "Folder of the stored images; empty means media/ in the data dir. Several machines need one "
        "shared folder here (or an S3-like storage in STORAGES).",
        in_newsdesk=False,
    ),
    Setting(
        "NEWSDESK_SUMMARIZER",
        str,
        "newsdesk.summaries.backends.ExtractiveSummarizer",
        "Dotted path of the summarizer backend; newsdesk.summaries.llm.LLMSummarizer has the LLM "
        "translation backend write the bullets (checked against the text, else extracted).",
    ),
    Setting(
        "NEWSDESK_TRANSLATOR",
        str,
        "manual",
        "Translation backend: manual, openai, deepl, ctranslate2, or a dotted path to a backend class.",
        clean=lambda name: name or "manual",
    ),
    Setting(
        "NEWSDESK_OPENAI_BASE_URL", str, "", "OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp or hosted)."
    ),
    Setting("NEWSDESK_OPENAI_MODEL", str, "", "Model name sent to the OpenAI-compatible endpoint."),
    Setting(
        "NEWSDESK_OPENAI_API_KEY",
        str,
        "",
        "API key for the OpenAI-compatible endpoint (any value for local servers).",
    ),
    Setting("NEWSDESK_DEEPL_AUTH_KEY", str, "", "DeepL API authentication key."),
    Setting("NEWSDESK_DEEPL_SERVER_URL", str, "", "DeepL server URL override (a local test server)."),
    Setting(
        "NEWSDESK_CTRANSLATE2_MODEL_DIR",
        str,
        "",
        "Folder of a CTranslate2 model with its SentencePiece model(s).",
    ),
    Setting(
        "NEWSDESK_TRANSLATION_CONCURRENCY",
        int,
        8,
        "Requests a translation backend may have in flight at once.",
    ),
    Setting(
        "NEWSDESK_TRANSLATION_RATE_LIMIT",
        float,
        20.0,
        "Requests per second at most to a translation backend.",
    ),
    Setting("NEWSDESK_TRANSLATION_TIMEOUT", float, 60.0, "Seconds before a translation request gives up."),
    Setting(
        "NEWSDESK_TRANSLATION_RETRIES",
        int,
        4,
        "Retries of a translation request after 429, 5xx or a timeout.",
    ),
    Setting(
        "NEWSDESK_TRANSLATION_BATCH_CHARS",
        int,
        2000,
        "Most source characters sent in one translation request (paragraphs are batched up to this).",
    ),
    Setting(
        "NEWSDESK_SEARCH_BACKEND",
        str,
        "auto",
        "Search backend: auto (SQLite FTS5 or PostgreSQL pg_trgm, following the database) or a dotted path.",
        clean=lambda path: path or "auto",
    ),
    Setting(
        "NEWSDESK_STORY_WINDOW_DAYS",
        int,
        14,
        "Stories active within this many days of an article are compared with it (beside those naming its "
        "rarest entities); no wall: the similarity decays with the gap in time.",
    ),
    Setting(
        "NEWSDESK_STORY_THRESHOLD", float, 0.2, "Similarity (0-1) at or above which an article joins a story."
    ),
    Setting(
        "NEWSDESK_STORY_ENTITY_WEIGHT",
        float,
        0.3,
        "Share (0-1) of an article's similarity to a story given to the entities they share (the rest is "
        "their text), when both name entities.",
    ),
    Setting(
        "NEWSDESK_STORY_GRACE_DAYS",
        float,
        3.0,
        "Days around a story's span within which its similarity to an article does not decay.",
    ),
    Setting(
        "NEWSDESK_STORY_DECAY_DAYS",
        float,
        21.0,
        "Beyond the grace, an article's similarity to a story falls by e every this many days of gap.",
    ),
    Setting(
        "NEWSDESK_STORY_EVENT_GRACE_DAYS",
        int,
        1,
        "Days between the event an article's lead reports and those its candidate story's leads report "
        "within which its similarity to the story is kept whole (a next-day announcement joins).",
    ),
    Setting(
        "NEWSDESK_STORY_EVENT_DECAY_DAYS",
        float,
        2.0,
        "Past that grace, the similarity falls by e every this many days: two votes a week apart are two stories.",
    ),
    Setting(
        "NEWSDESK_STORY_RELATED_FLOOR",
        float,
        0.5,
        "A story is listed as related to an article's when its similarity reaches this share of the joining "
        "threshold.",
    ),
    Setting(
        "NEWSDESK_STORYLINE_WINDOW_DAYS",
        int,
        730,
        "A story is compared with the stories (and their storylines) within this many days of it.",
    ),
    Setting(
        "NEWSDESK_STORYLINE_DECAY_DAYS",
        float,
        540.0,
        "The likeness of two stories falls by e every this many days between them.",
    ),
    Setting(
        "NEWSDESK_STORYLINE_TEXT_WEIGHT",
        float,
        0.3,
        "Share of the text in the likeness of two stories; the rest is their entities (weighted by IDF squared).",
    ),
    Setting(
        "NEWSDESK_STORYLINE_THRESHOLD",
        float,
        0.31,
        "Likeness (0-1: text and entities, decayed with the gap in time) at or above which a story joins a "
        "storyline, scored by its two stories most like the story (0.7 x the first + 0.3 x the second).",
    ),
    Setting(
        "NEWSDESK_STORYLINE_TEXT_THRESHOLD",
        float,
        0.45,
        "Text likeness alone (0-1, decayed likewise) at or above which a story joins a storyline whatever "
        "the entities: the way in for a story that names none.",
    ),
    Setting(
        "NEWSDESK_STORYLINE_PLACE_UNTIL",
        int,
        3,
        "A story's storyline is reconsidered while it has at most this many articles (or none yet).",
    ),
    Setting(
        "NEWSDESK_DUPLICATE_THRESHOLD",
        float,
        0.8,
        "Share of the shorter text found in the other (MinHash estimate) at or above which two articles are one copy.",
    ),
    Setting(
        "NEWSDESK_RANKING_DAYS",
        int,
        7,
        "特に人気 and オススメ rank articles published (or picked by editors) within this many days; "
        "views are counted while an article can rank.",
    ),
    Setting(
        "NEWSDESK_RANKING_HALF_LIFE_HOURS",
        float,
        24.0,
        "An article's popularity halves with every this many hours since it was published.",
    ),
    Setting(
        "NEWSDESK_RANKING_COMMENT_WEIGHT", float, 10.0, "How many page views one visible comment counts as."
    ),
    Setting(
        "NEWSDESK_RANKING_CACHE_SECONDS",
        int,
        300,
        "How long a computed ranking is served before it is recomputed.",
    ),
    Setting(
        "NEWSDESK_VIEW_FLUSH_MINUTES",
        int,
        5,
        "Minutes between the worker's moves of page-view counts from the cache to the database.",
    ),
    Setting("NEWSDESK_COMMENT_MAX_CHARS", int, 2000, "Longest comment accepted."),
    Setting("NEWSDESK_COMMENT_PAGE_SIZE", int, 50, "Comments per page when reading a thread."),
    Setting(
        "NEWSDESK_TRUSTED_PROXIES",
        list,
        [],
        "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is believed.",
    ),
    Setting(
        "NEWSDESK_COMMENT_RATE_THREAD", str, "5/60", "Posts one source may make in one thread: COUNT/SECONDS."
    ),
    Setting(
        "NEWSDESK_COMMENT_RATE_SITE", str, "30/600", "Posts one source may make site-wide: COUNT/SECONDS."
    ),
    Setting("NEWSDESK_COMMENT_MAX_LINKS", int, 3, "Most links one comment may carry."),
    Setting(
        "NEWSDESK_COMMENT_DUPLICATE_SECONDS",
        int,
        600,
        "A source posting the same text again within this is refused (among its latest 50 posts).",
    ),
    Setting("NEWSDESK_COMMENT_DELETE_SECONDS", int, 1800, "How long a poster may delete their own comment."),
    Setting(
        "NEWSDESK_SPAM_SCORER",
        str,
        "newsdesk.comments.spam.RuleScorer",
        "Dotted path of the spam/toxicity scorer.",
    ),
    Setting(
        "NEWSDESK_SPAM_THRESHOLD", float, 0.7, "Score (0-1) at or above which a comment is held for review."
    ),
]

BY_NAME = {setting.name: setting for setting in SETTINGS}


def get(name: str) -> Any:
    """The parsed value of the declared setting ``name`` (a ``NEWSDESK_*`` variable)."""
    return BY_NAME[name].value()


def newsdesk_settings() -> dict[str, Any]:
    """``settings.NEWSDESK``: every declaration that belongs there, by key, parsed."""
    return {setting.key: setting.value() for setting in SETTINGS if setting.in_newsdesk}


def user_data_dir() -> Path:
    """This user's folder for newsdesk: ``$XDG_DATA_HOME/newsdesk``, by default
    ``~/.local/share/newsdesk`` (the XDG Base Directory specification, which says to ignore a
    relative XDG_DATA_HOME). One site per user, whichever folder a command runs in."""
    base = os.environ.get("XDG_DATA_HOME", "")
    if base and Path(base).is_absolute():
        return Path(base) / "newsdesk"
    try:
        home = Path.home()
    except RuntimeError:  # no HOME and no entry in the password database
        raise ImproperlyConfigured(
            "データを置くホームフォルダが分かりません。NEWSDESK_DATA_DIR（または HOME）を設定してください"
        ) from None
    return home / ".local" / "share" / "newsdesk"


def data_dir() -> Path:
    """The data folder (NEWSDESK_DATA_DIR, else :func:`user_data_dir`), created if missing."""
    path = Path(get("NEWSDESK_DATA_DIR") or user_data_dir()).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
