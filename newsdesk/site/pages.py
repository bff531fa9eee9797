"""What every reader page shares: the site's settings in the template context, pagination, and
what a page tells search engines and social sites about itself (its description, canonical
address, and OpenGraph / X card tags).

A view puts a ``PageMeta`` in its context as ``meta``; ``newsdesk/base.html`` writes the tags
(``newsdesk/_page_meta.html``), so every page gets the same complete set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.functional import cached_property

from newsdesk.articles.models import Article
from newsdesk.images.service import shown_image


def site_url(path: str) -> str:
    """``path`` on the public site (SITE_URL), whatever host the request came in on: pages, feeds
    and sitemaps fetched through a proxy or another host name still point at the public site."""
    return settings.NEWSDESK["SITE_URL"] + path


def image_url(article: Article) -> str:
    """The absolute address of the article's stored page-width image, or "" when it has none:
    previews, feeds and JSON-LD never point at the source's own image."""
    image = shown_image(article)
    return site_url(image.page_url) if image else ""


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


def published_articles():
    return Article.objects.published().select_related("outlet")


class CountedPaginator(Paginator):
    """A paginator told how many items there are (newsdesk/site/listings.py keeps the count)."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def paginate(request, queryset, count: int | None = None) -> Page:
    """The requested page of ``queryset``, of ``count`` items in all (counted when not given); a
    page that is not a number or out of range is a 404."""
    if count is None:
        paginator = Paginator(queryset, settings.NEWSDESK["PAGE_SIZE"])
    else:
        paginator = CountedPaginator(queryset, settings.NEWSDESK["PAGE_SIZE"], count)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("ページが見つかりません") from exc


def site_context(request) -> dict:
    """Context processor: the site's name, tagline and other settings for every template."""
    return {"site": settings.NEWSDESK}
