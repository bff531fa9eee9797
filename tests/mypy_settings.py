"""Settings for mypy's Django plugin (pyproject.toml): the real settings, no database opened.

mypy ends its process without running atexit handlers, so ``tests.settings`` would leave a new
temporary data folder (with a secret key) behind on every run; this one keeps a single data folder
inside mypy's own cache.
"""

import os
from pathlib import Path

os.environ["NEWSDESK_DATA_DIR"] = str(
    Path(__file__).resolve().parent.parent / ".mypy_cache" / "newsdesk-data"
)
os.environ["NEWSDESK_QUEUE_URL"] = "immediate"

from newsdesk.settings import *  # noqa: E402,F403
