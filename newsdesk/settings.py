"""Django settings, all derived from the declared settings in ``newsdesk.conf``."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from newsdesk import conf

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()


def _secret_key() -> str:
    if key := conf.get("NEWSDESK_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def database_config(url: str) -> dict:
    # Connections are kept between requests (opening one and setting its pragmas cost ~2.5 ms of
    # every request); health checks drop a broken one before it is used.
    config = dj_database_url.parse(
        url or f"sqlite:///{DATA_DIR / 'newsdesk.sqlite3'}", conn_max_age=None, conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while the worker writes; IMMEDIATE avoids lock upgrades failing.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=wal; PRAGMA synchronous=normal; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


def cache_config(url: str) -> dict:
    url = url or "disk://"
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "newsdesk"}
    if url.startswith("disk://"):
        # One cache for every process of this machine (diskcache: SQLite files, atomic incr), so
        # comment rate limits and the NG-word list agree between web workers without Redis.
        return {
            "BACKEND": "newsdesk.ops.cache.DiskCache",
            "LOCATION": url.removeprefix("disk://") or str(DATA_DIR / "cache"),
        }
    raise ImproperlyConfigured(
        f"NEWSDESK_CACHE_URL must start disk://, redis://, locmem:// or dummy://, not {url!r}"
    )


def huey_config(url: str) -> dict:
    consumer = {"workers": conf.get_int("NEWSDESK_QUEUE_WORKERS"), "worker_type": "thread"}
    if url == "immediate":
        return {"huey_class": "huey.MemoryHuey", "name": "newsdesk", "immediate": True, "consumer": consumer}
    if url.startswith(("redis://", "rediss://")):
        return {
            "huey_class": "huey.RedisHuey",
            "name": "newsdesk",
            "url": url,
            "immediate": False,
            "consumer": consumer,
        }
    return {
        "huey_class": "huey.SqliteHuey",
        "name": "newsdesk",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": False,
        "consumer": consumer,
    }


SECRET_KEY = _secret_key()
DEBUG = conf.get_bool("NEWSDESK_DEBUG")
ALLOWED_HOSTS = conf.get_list("NEWSDESK_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = conf.get_list("NEWSDESK_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "huey.contrib.djhuey",
    "newsdesk.sources",
    "newsdesk.articles",
    "newsdesk.ingest",
    "newsdesk.translation",
    "newsdesk.entities",
    "newsdesk.stories",
    "newsdesk.tags",
    "newsdesk.search",
    "newsdesk.comments",
    "newsdesk.editorial",
    "newsdesk.feeds",
    "newsdesk.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsdesk.articles.context.site",
            ],
        },
    },
]

DATABASES = {"default": database_config(conf.get("NEWSDESK_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": cache_config(conf.get("NEWSDESK_CACHE_URL"))}
HUEY = huey_config(conf.get("NEWSDESK_QUEUE_URL"))

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SECURE = conf.get_bool("NEWSDESK_SECURE")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "newsdesk": {"handlers": ["console"], "level": "INFO"},
        "huey": {"handlers": ["console"], "level": "WARNING"},
    },
}

NEWSDESK = {
    "SITE_NAME": conf.get("NEWSDESK_SITE_NAME"),
    "SITE_TAGLINE": conf.get("NEWSDESK_SITE_TAGLINE"),
    "SITE_URL": conf.get("NEWSDESK_SITE_URL").rstrip("/"),
    "PAGE_SIZE": conf.get_int("NEWSDESK_PAGE_SIZE"),
    "FEED_CACHE_SECONDS": conf.get_int("NEWSDESK_FEED_CACHE_SECONDS"),
    "MAX_INPUT_BYTES": conf.get_int("NEWSDESK_MAX_INPUT_BYTES"),
    "FETCH_TIMEOUT": float(conf.get("NEWSDESK_FETCH_TIMEOUT")),
    "FETCH_ALLOW_PRIVATE": conf.get_bool("NEWSDESK_FETCH_ALLOW_PRIVATE"),
    "FETCH_RETRIES": conf.get_int("NEWSDESK_FETCH_RETRIES"),
    "USER_AGENT": conf.get("NEWSDESK_USER_AGENT"),
    "SUMMARIZER": conf.get("NEWSDESK_SUMMARIZER"),
    "COMMENT_MAX_CHARS": conf.get_int("NEWSDESK_COMMENT_MAX_CHARS"),
    "COMMENT_PAGE_SIZE": conf.get_int("NEWSDESK_COMMENT_PAGE_SIZE"),
    "TRUSTED_PROXIES": conf.get_list("NEWSDESK_TRUSTED_PROXIES"),
    "COMMENT_RATE_THREAD": conf.get("NEWSDESK_COMMENT_RATE_THREAD"),
    "COMMENT_RATE_SITE": conf.get("NEWSDESK_COMMENT_RATE_SITE"),
    "COMMENT_MAX_LINKS": conf.get_int("NEWSDESK_COMMENT_MAX_LINKS"),
    "COMMENT_DUPLICATE_SECONDS": conf.get_int("NEWSDESK_COMMENT_DUPLICATE_SECONDS"),
    "COMMENT_DELETE_SECONDS": conf.get_int("NEWSDESK_COMMENT_DELETE_SECONDS"),
    "SPAM_SCORER": conf.get("NEWSDESK_SPAM_SCORER"),
    "SPAM_THRESHOLD": float(conf.get("NEWSDESK_SPAM_THRESHOLD")),
    "TRANSLATOR": conf.get("NEWSDESK_TRANSLATOR"),
    "OPENAI_BASE_URL": conf.get("NEWSDESK_OPENAI_BASE_URL"),
    "OPENAI_MODEL": conf.get("NEWSDESK_OPENAI_MODEL"),
    "OPENAI_API_KEY": conf.get("NEWSDESK_OPENAI_API_KEY"),
    "DEEPL_AUTH_KEY": conf.get("NEWSDESK_DEEPL_AUTH_KEY"),
    "DEEPL_SERVER_URL": conf.get("NEWSDESK_DEEPL_SERVER_URL"),
    "CTRANSLATE2_MODEL_DIR": conf.get("NEWSDESK_CTRANSLATE2_MODEL_DIR"),
    "TRANSLATION_CONCURRENCY": conf.get_int("NEWSDESK_TRANSLATION_CONCURRENCY"),
    "TRANSLATION_RATE_LIMIT": float(conf.get("NEWSDESK_TRANSLATION_RATE_LIMIT")),
    "TRANSLATION_TIMEOUT": float(conf.get("NEWSDESK_TRANSLATION_TIMEOUT")),
    "TRANSLATION_RETRIES": conf.get_int("NEWSDESK_TRANSLATION_RETRIES"),
    "TRANSLATION_BATCH_CHARS": conf.get_int("NEWSDESK_TRANSLATION_BATCH_CHARS"),
    "ABSTRACTIVE_SUMMARY": conf.get_bool("NEWSDESK_ABSTRACTIVE_SUMMARY"),
    "SEARCH_BACKEND": conf.get("NEWSDESK_SEARCH_BACKEND"),
    "STORY_WINDOW_DAYS": conf.get_int("NEWSDESK_STORY_WINDOW_DAYS"),
    "STORY_THRESHOLD": float(conf.get("NEWSDESK_STORY_THRESHOLD")),
    "DUPLICATE_THRESHOLD": float(conf.get("NEWSDESK_DUPLICATE_THRESHOLD")),
    "RANKING_DAYS": conf.get_int("NEWSDESK_RANKING_DAYS"),
    "RANKING_HALF_LIFE_HOURS": float(conf.get("NEWSDESK_RANKING_HALF_LIFE_HOURS")),
    "RANKING_COMMENT_WEIGHT": float(conf.get("NEWSDESK_RANKING_COMMENT_WEIGHT")),
    "RANKING_CACHE_SECONDS": conf.get_int("NEWSDESK_RANKING_CACHE_SECONDS"),
    "VIEW_FLUSH_MINUTES": conf.get_int("NEWSDESK_VIEW_FLUSH_MINUTES"),
    "WEB_WORKERS": conf.get_int("NEWSDESK_WEB_WORKERS"),
    "ACCESS_LOG": conf.get_bool("NEWSDESK_ACCESS_LOG"),
}
