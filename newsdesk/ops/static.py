"""Collecting static files only when they changed, so that a restart costs no more than it must.

`collectstatic` copies every file and compresses each (gzip and Brotli, WhiteNoise's storage) even
when nothing changed. `newsdesk serve` calls ``collect_static_if_changed`` instead: a fingerprint
of the files the finders see (path, size, modification time) and of the storage is kept beside
them in STATIC_ROOT, and the collection runs only when it differs (a new release, an edited
stylesheet, a first start).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

STAMP = ".newsdesk-collected"


def fingerprint() -> str:
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static_if_changed() -> bool:
    """Runs collectstatic when the files changed since the last collection; True when it ran."""
    stamp = Path(settings.STATIC_ROOT) / STAMP
    current = fingerprint()
    if stamp.exists() and stamp.read_text() == current:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(current)
    return True
