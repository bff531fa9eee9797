"""Every NEWSDESK_* name the code reads is declared once in newsdesk/conf.py with help text."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from newsdesk import conf
from tests.processes import newsdesk_env

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
    # Django settings of that name (NEWSDESK_PIPELINE, like MIDDLEWARE) are not environment variables.
    django_settings = {name for name in used if hasattr(settings, name) and name not in conf.BY_NAME}
    assert used - django_settings - set(conf.BY_NAME) == set()


def test_declarations_have_help_and_unique_names():
    assert len(conf.BY_NAME) == len(conf.SETTINGS)
    assert all(setting.help for setting in conf.SETTINGS)


@pytest.mark.parametrize("setting", conf.SETTINGS, ids=lambda setting: setting.name)
def test_every_default_has_its_declared_type(setting):
    assert setting.type in (str, int, float, bool, list)
    assert type(setting.default) is setting.type
    if setting.type is list:
        assert all(type(item) is str for item in setting.default)
        text = ",".join(setting.default)
    elif setting.type is bool:
        text = "true" if setting.default else "false"
    else:
        text = str(setting.default)
    assert setting.parse(text) == setting.default  # the default written in the environment reads back


def test_newsdesk_holds_every_declared_key_parsed():
    keys = {setting.key for setting in conf.SETTINGS if setting.in_newsdesk}
    assert set(settings.NEWSDESK) == keys
    assert "SECRET_KEY" not in settings.NEWSDESK and "DATABASE_URL" not in settings.NEWSDESK
    for setting in conf.SETTINGS:
        if setting.in_newsdesk:
            assert type(settings.NEWSDESK[setting.key]) is setting.type, setting.name


@pytest.mark.parametrize(
    ("name", "raw", "expects"),
    [
        ("NEWSDESK_PAGE_SIZE", "abc", "a whole number"),
        ("NEWSDESK_PAGE_SIZE", "2.5", "a whole number"),
        ("NEWSDESK_STORY_THRESHOLD", "high", "a number"),
        ("NEWSDESK_DEBUG", "maybe", "true or false"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_expects(monkeypatch, name, raw, expects):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured) as caught:
        conf.get(name)
    message = str(caught.value)
    assert name in message and expects in message and repr(raw) in message


def test_values_parse_to_their_types(monkeypatch):
    monkeypatch.setenv("NEWSDESK_PAGE_SIZE", " 30 ")
    monkeypatch.setenv("NEWSDESK_FETCH_TIMEOUT", "2.5")
    monkeypatch.setenv("NEWSDESK_DEBUG", "Yes")
    monkeypatch.setenv("NEWSDESK_SECURE", "")
    monkeypatch.setenv("NEWSDESK_TRUSTED_PROXIES", " 10.0.0.0/8, ,127.0.0.1 ")
    monkeypatch.setenv("NEWSDESK_SITE_URL", "https://kj.example.jp/")
    monkeypatch.setenv("NEWSDESK_SEARCH_BACKEND", "")
    values = conf.newsdesk_settings()
    assert values["PAGE_SIZE"] == 30 and values["FETCH_TIMEOUT"] == 2.5
    assert conf.get("NEWSDESK_DEBUG") is True and conf.get("NEWSDESK_SECURE") is False
    assert values["TRUSTED_PROXIES"] == ["10.0.0.0/8", "127.0.0.1"]
    assert values["SITE_URL"] == "https://kj.example.jp"
    assert values["SEARCH_BACKEND"] == "auto"


@pytest.mark.slow
def test_the_command_reports_a_bad_value_without_a_traceback(tmp_path):
    env = newsdesk_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"), NEWSDESK_PAGE_SIZE="abc")
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "NEWSDESK_PAGE_SIZE must be a whole number, not 'abc'" in result.stderr
    assert "Traceback" not in result.stderr


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
