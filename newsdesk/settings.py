"""Django settings, all derived from the declared settings in ``newsdesk.conf``."""

from __future__ import annotations

import secrets
from datetime import timedelta
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
    consumer = {"workers": conf.get("NEWSDESK_QUEUE_WORKERS"), "worker_type": "thread"}
    # No task's return value is ever read: kept, every fetch's list of article ids (and every
    # final error) stayed in the queue's result store for good (bench/cluster.py found 1,061 after
    # one run).
    if url == "immediate":
        return {"huey_class": "huey.MemoryHuey", "name": "newsdesk", "immediate": True, "consumer": consumer}
    if url.startswith(("redis://", "rediss://")):
        return {
            "huey_class": "huey.RedisHuey",
            "name": "newsdesk",
            "url": url,
            "immediate": False,
            "results": False,
            "consumer": consumer,
        }
    return {
        "huey_class": "huey.SqliteHuey",
        "name": "newsdesk",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": False,
        "results": False,
        "consumer": consumer,
    }


def content_security_policy(report_uri: str = "", secure: bool = False) -> dict:
    """django-csp's policy: scripts, styles, images, fonts and fetches from the site itself only,
    no inline script or style, no plugins, never framed. No nonce: a reader page is the same
    bytes, headers included, for every reader."""
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": ["'self'"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
            "upgrade-insecure-requests": secure,  # behind HTTPS: no http:// load by mistake
            "report-uri": [report_uri] if report_uri else None,
        }
    }


SECRET_KEY = _secret_key()
DEBUG = conf.get("NEWSDESK_DEBUG")
ALLOWED_HOSTS = conf.get("NEWSDESK_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = conf.get("NEWSDESK_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsdesk.editorial.site.NewsdeskAdminConfig",  # Django's admin with the editors' site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "huey.contrib.djhuey",
    "reversion",  # article revisions (newsdesk.editorial.revisions)
    "newsdesk.editorial.lockouts.LoginLockoutsConfig",  # axes: failed-login lockouts (editorial.login)
    "csp",  # Content-Security-Policy (its system checks; the policy is CONTENT_SECURITY_POLICY below)
    "newsdesk.sources",
    "newsdesk.articles",
    "newsdesk.ingest",
    "newsdesk.translation",
    "newsdesk.entities",
    "newsdesk.stories",
    "newsdesk.tags",
    "newsdesk.search",
    "newsdesk.comments",
    "newsdesk.images",
    "newsdesk.pipeline",
    "newsdesk.editorial",
    "newsdesk.site",
    "newsdesk.ops",
]

# The pipeline's stages after extraction, in the order they run (see newsdesk.pipeline.stages).
NEWSDESK_PIPELINE = [
    "newsdesk.ingest.stage.LanguageStage",
    "newsdesk.images.stage.ImageStage",
    "newsdesk.translation.stage.TranslateStage",
    "newsdesk.summaries.stage.SummarizeStage",
    "newsdesk.entities.stage.EntitiesStage",
    "newsdesk.tags.stage.TagsStage",
    "newsdesk.stories.stage.StoriesStage",
    "newsdesk.search.stage.IndexStage",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost after it: every answer gets the policies, static files and 304s included.
    "csp.middleware.CSPMiddleware",
    "newsdesk.core.headers.PermissionsPolicyMiddleware",
    # Outside the session, CSRF and messages middleware: it sees what they add to a reader page.
    "newsdesk.site.caching.ReaderPageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: the site has one language (LANGUAGE_CODE), and its only effect was
    # "Vary: Accept-Language" on every page, so a cache in front kept one copy per browser
    # language, which a purge does not reach (docs/deploy.md).
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: it turns a login it locked out into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "newsdesk.site.pages.site_context",
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
LOCALE_PATHS = [BASE_DIR / "locale"]  # Japanese for django-axes, which ships none
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Lead images (newsdesk.images), served by the site from the ArticleImage rows, never by path.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(conf.get("NEWSDESK_MEDIA_DIR") or DATA_DIR / "media").expanduser().resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SECURE = conf.get("NEWSDESK_SECURE")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp; docs/decisions.md "Security headers"), enforced or, with
# NEWSDESK_CSP_REPORT_ONLY, only reported.
if conf.get("NEWSDESK_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = content_security_policy(conf.get("NEWSDESK_CSP_REPORT_URI"), SECURE)
else:
    CONTENT_SECURITY_POLICY = content_security_policy(conf.get("NEWSDESK_CSP_REPORT_URI"), SECURE)
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
# Permissions-Policy (newsdesk.core.headers): browser features no page uses, off for the page and
# anything it might frame. The copy button's clipboard stays (the browser's default, this site).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in [
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# Admin logins (newsdesk/editorial/login.py, docs/decisions.md "Login throttling"): axes refuses a
# source or an account for the cooloff after too many failures, before any password is hashed;
# only then does the gated ModelBackend check the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "newsdesk.editorial.login.GatedModelBackend",
]
AXES_FAILURE_LIMIT = conf.get("NEWSDESK_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=conf.get("NEWSDESK_LOGIN_COOLOFF_MINUTES"))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # each alone: per source and per account
# No raw address at rest: axes stores this keyed hash as the "IP address", and no log of logins.
AXES_CLIENT_IP_CALLABLE = "newsdesk.editorial.login.source_address"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_LOCKOUT_CALLABLE = "newsdesk.editorial.login.lockout_response"

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

NEWSDESK = conf.newsdesk_settings()  # every declared setting with its key, parsed to its type
