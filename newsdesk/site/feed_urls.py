import functools
import re

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import path
from django.views.decorators.cache import cache_page

from newsdesk.site.caching import reader_page
from newsdesk.site.feeds import (
    FORMATS,
    EntityFeed,
    LatestFeed,
    OutletFeed,
    PopularFeed,
    RecommendedFeed,
    StoryFeed,
    StorylineFeed,
    StorylineListFeed,
    StoryListFeed,
    TagFeed,
)
from newsdesk.site.sitemaps import SITEMAPS, NewsSitemap
from newsdesk.site.views import feeds as views

app_name = "feeds"


def cached(view, paged: bool = False):
    """A sitemap ``view`` behind the cache for FEED_CACHE_SECONDS, keyed on its path and, for a
    section (``paged``), its page number ``p``; see ``clean_query``."""
    return clean_query(cache_page(settings.NEWSDESK["FEED_CACHE_SECONDS"])(view), paged)


def clean_query(view, paged: bool = False):
    """``view``, reached only by its path and, when ``paged``, a page number ``p``.

    Caches key on the whole query string: ``?x=1``, ``?x=2``, ... would each store a copy of a
    feed or a multi-megabyte sitemap and push rate limits and view counts out of the shared cache.
    Any other parameter (a feed reader's ``?utm_source=``) is redirected away first, and a page
    number must be written plainly (``p=2``, not ``p=02``): beyond the last page is a 404, which
    is not cached.
    """
    allowed = {"p"} if paged else set()

    @functools.wraps(view)
    def clean_query_only(request, *args, **kwargs):
        pages = request.GET.getlist("p") if paged else []
        if set(request.GET) - allowed or len(pages) > 1:
            return HttpResponsePermanentRedirect(request.path + (f"?p={pages[-1]}" if pages else ""))
        if pages and not re.fullmatch(r"[1-9][0-9]*", pages[0]):
            raise Http404("ページが見つかりません")
        return view(request, *args, **kwargs)

    return clean_query_only


def feed_paths(route: str, feed_class, name: str) -> list:
    """``/feeds/<route>.rss`` and ``.atom``, named ``<name>_rss`` and ``<name>_atom``: reader
    pages, kept by the page cache until the site changes."""
    return [
        path(
            f"feeds/{route}.{format}", clean_query(reader_page()(feed_class(format))), name=f"{name}_{format}"
        )
        for format in FORMATS
    ]


urlpatterns = [
    *feed_paths("latest", LatestFeed, "latest"),
    *feed_paths("popular", PopularFeed, "popular"),
    *feed_paths("recommended", RecommendedFeed, "recommended"),
    *feed_paths("outlets/<str:domain>", OutletFeed, "outlet"),
    *feed_paths("outlets/by-id/<int:pk>", OutletFeed, "outlet_by_id"),
    *feed_paths("entities/<str:key>", EntityFeed, "entity"),
    *feed_paths("tags/<slug:slug>", TagFeed, "tag"),
    *feed_paths("stories", StoryListFeed, "stories"),
    *feed_paths("stories/<int:pk>", StoryFeed, "story"),
    *feed_paths("storylines", StorylineListFeed, "storylines"),
    *feed_paths("storylines/<int:pk>", StorylineFeed, "storyline"),
    path("sitemap.xml", cached(views.sitemap_index), name="sitemap_index"),
    path(
        "sitemap-<str:section>.xml",
        cached(sitemap, paged=True),
        {"sitemaps": SITEMAPS, "template_name": "feeds/sitemap.xml"},
        name="sitemap",
    ),
    path(
        "news-sitemap.xml",
        cached(sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "feeds/news_sitemap.xml"},
        name="news_sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
]
