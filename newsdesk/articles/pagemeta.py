"""What a reader page tells search engines and social sites about itself: its description,
canonical address, and OpenGraph / X card tags.

A view puts a ``PageMeta`` in its context as ``meta``; ``newsdesk/base.html`` writes the tags
(``newsdesk/_page_meta.html``), so every page gets the same complete set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class PageMeta:
    title: str  # og:title: the page's own title, without the site name
    description: str
    path: str  # made absolute with SITE_URL: a page reached through a proxy names the public site
    page_number: int = 1  # page 2 onwards of a listing is its own canonical page
    image: str = ""
    type: str = "website"

    @property
    def url(self) -> str:
        url = settings.NEWSDESK["SITE_URL"] + self.path
        return f"{url}?page={self.page_number}" if self.page_number > 1 else url
