"""Translation backends, chosen by ``settings.NEWSDESK["TRANSLATOR"]``: manual, openai, deepl,
ctranslate2, or the dotted path of a ``Backend`` subclass.

Each backend lives in its own module and is imported only when chosen, so the clients of the others
(openai, deepl, ctranslate2) need not be installed. See :mod:`.base` for the interface.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.utils.module_loading import import_string

from newsdesk.translation.backends.base import (
    Backend,
    BadAnswer,
    Result,
    Segment,
    TransientError,
    TranslationError,
    Usage,
)

__all__ = [
    "BACKENDS",
    "Backend",
    "BadAnswer",
    "Result",
    "Segment",
    "TransientError",
    "TranslationError",
    "Usage",
    "get_backend",
]

BACKENDS = {
    "manual": "newsdesk.translation.backends.manual.ManualBackend",
    "openai": "newsdesk.translation.backends.openai.OpenAIBackend",
    "deepl": "newsdesk.translation.backends.deepl.DeepLBackend",
    "ctranslate2": "newsdesk.translation.backends.ctranslate2.CTranslate2Backend",
}
# The settings a backend's client is built from: a change makes a new instance.
_CLIENT_SETTINGS = (
    "OPENAI_BASE_URL",
    "OPENAI_MODEL",
    "OPENAI_API_KEY",
    "DEEPL_AUTH_KEY",
    "DEEPL_SERVER_URL",
    "CTRANSLATE2_MODEL_DIR",
    "TRANSLATION_TIMEOUT",
)

_cache: dict[tuple[object, ...], Backend] = {}
_cache_lock = threading.Lock()


def get_backend() -> Backend:
    """The configured backend, one instance per configuration (clients are reused)."""
    config = settings.NEWSDESK
    name: str = config["TRANSLATOR"]
    key = (name, *(config[setting] for setting in _CLIENT_SETTINGS))
    with _cache_lock:
        if key not in _cache:
            cls: type[Backend] = import_string(BACKENDS.get(name, name))
            _cache[key] = cls()
        return _cache[key]
