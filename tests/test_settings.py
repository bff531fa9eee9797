"""Every NEWSDESK_* name the code reads is declared once in newsdesk/conf.py with help text."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from newsdesk import conf

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_read_anywhere_is_declared():
    used = set()
    for path in [
        *ROOT.joinpath("newsdesk").rglob("*.py"),
        *ROOT.joinpath("tests").rglob("*.py"),
        ROOT / ".ci" / "run",
        *ROOT.joinpath("scripts").iterdir(),
    ]:
        used |= set(re.findall(r"NEWSDESK_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    assert used - set(conf.BY_NAME) == set()


def test_declarations_have_help_and_unique_names():
    assert len(conf.BY_NAME) == len(conf.SETTINGS)
    assert all(setting.help for setting in conf.SETTINGS)


def test_japanese_defaults():
    assert settings.TIME_ZONE == "Asia/Tokyo" and settings.LANGUAGE_CODE == "ja" and settings.USE_TZ


def test_sqlite_runs_in_wal_mode(tmp_path):
    from newsdesk.settings import database_config

    config = database_config(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert "journal_mode=wal" in config["OPTIONS"]["init_command"]
    assert database_config("postgres://u@127.0.0.1:5432/n")["ENGINE"] == "django.db.backends.postgresql"


def test_queue_and_cache_urls_choose_backends():
    from newsdesk.settings import cache_config, huey_config

    assert huey_config("redis://127.0.0.1:6379/1")["huey_class"] == "huey.RedisHuey"
    assert huey_config("")["huey_class"] == "huey.SqliteHuey"
    assert huey_config("immediate")["immediate"] is True
    assert cache_config("redis://127.0.0.1:6379/0")["BACKEND"].endswith("RedisCache")
    assert cache_config("locmem://")["BACKEND"].endswith("LocMemCache")
    assert cache_config("disk://")["BACKEND"] == "newsdesk.ops.cache.DiskCache"
    assert cache_config("disk:///srv/cache")["LOCATION"] == "/srv/cache"
    with pytest.raises(ImproperlyConfigured):
        cache_config("memcached://127.0.0.1")
