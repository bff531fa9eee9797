"""The default cache backend: diskcache's, kept open between requests.

Django closes every cache when a request ends (``close_caches`` on ``request_finished``), which
for diskcache means closing its SQLite connections and opening and configuring them again on the
next request: ~20 ms a request, measured. Its connections are per thread and safe to keep, as
Django's Redis backend keeps its connection pool.
"""

from diskcache import DjangoCache
from django.core.exceptions import ImproperlyConfigured

from newsdesk.core import sequence


class DiskCache(DjangoCache):
    def __init__(self, directory, params):
        try:
            super().__init__(directory, params)
        except OSError as exc:  # the folder can't be made or written: say so, once, at start
            raise ImproperlyConfigured(f"キャッシュに書き込めません（NEWSDESK_CACHE_URL）: {exc}") from exc

    def close(self, **kwargs):
        pass

    def clear(self):
        # The page cache's numbers go with everything else: every process must read them again
        # (newsdesk/site/versions.py, moves).
        result = super().clear()
        if (count := sequence.beside(self.directory)) is not None:
            count.advance()
        return result
