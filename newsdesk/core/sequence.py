"""A count the processes of one machine share through a memory-mapped file: reading it costs a
memory read, no system call, so a process can ask on every request whether anything it keeps a
copy of has changed since it last looked.

The page cache (newsdesk/site/pagecache.py) keeps the numbers its pages are stored under
(newsdesk/site/versions.py), and versions adds one to the count beside the disk cache after every
number it moves: while the count stays the same, the numbers a process read are current, and a
page-cache hit reads nothing from the cache at all. The file lies in the disk cache's own folder,
which only processes of the same machine share.

A writer takes the file's lock, so that no addition is lost; a reader takes none. A read made
while another process writes sees the count before or after the write (eight aligned bytes), and
a process that sees the count before it reads the cache afterwards anyway on its next request.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import mmap
import os
import threading
from collections.abc import Iterator

logger = logging.getLogger(__name__)

FILE_NAME = "moves.count"
_SIZE = 8

_lock = threading.Lock()
# Per process: a file lock belongs to the open file, which a forked child would share.
_beside: dict[tuple[str, int], Sequence | None] = {}


class Sequence:
    def __init__(self, path: str) -> None:
        # Made as the disk cache makes its own files (the umask decides): every process that may
        # write the cache must be able to move the count too, or the others would miss its moves.
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        self._writing = threading.Lock()  # the file lock does not keep this process's threads apart
        try:
            with self._locked():
                if os.fstat(self._fd).st_size < _SIZE:
                    os.ftruncate(self._fd, _SIZE)  # a new count starts at 0
            self._map = mmap.mmap(self._fd, _SIZE)
        except BaseException:
            os.close(self._fd)
            raise

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._writing:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def read(self) -> int:
        return int.from_bytes(self._map[:_SIZE], "little")

    def advance(self) -> None:
        with self._locked():
            self._map[:_SIZE] = (self.read() + 1).to_bytes(_SIZE, "little")


def beside(folder: str) -> Sequence | None:
    """The count kept in ``folder`` (one per folder and process); None when the file cannot be
    made or mapped there, and then every caller reads the cache each time."""
    key = (folder, os.getpid())
    if key in _beside:  # every page-cache hit asks: no lock once it is there
        return _beside[key]
    with _lock:
        if key not in _beside:
            try:
                _beside[key] = Sequence(os.path.join(folder, FILE_NAME))
            except OSError as exc:
                # This process's moves reach no other process through the count: they keep their
                # pages until the next move they see, or NEWSDESK_PAGE_CACHE_SECONDS.
                logger.warning("no count of moves in %s (%s): pages may show changes late", folder, exc)
                _beside[key] = None
        return _beside[key]
