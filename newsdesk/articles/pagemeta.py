"""What a reader page tells search engines and social sites about itself: its description,
canonical address, and OpenGraph / X card tags.

A view puts a ``PageMeta`` in its context as ``meta``; ``newsdesk/base.html`` writes the tags
(``newsdesk/_page_meta.html``), so every page gets the same complete set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


def site_url(path: str) -> str:
    """``path`` on the public site (SITE_URL), whatever host the request came in on: pages, feeds
    and sitemaps fetched through a proxy or another host name still point at the public site."""
    return settings.NEWSDESK["SITE_URL"] + path


@dataclass(frozen=True)
class PageMeta:
    title: str  # og:title: the page's own title, without the site name
    description: str
    path: str
    page_number: int = 1  # page 2 onwards of a listing is its own canonical page
    image: str = ""
    type: str = "website"

    @property
    def url(self) -> str:
        url = site_url(self.path)
        return f"{url}?page={self.page_number}" if self.page_number > 1 else url
