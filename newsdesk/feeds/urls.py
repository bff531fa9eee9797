from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.cache import cache_page

from newsdesk.feeds import views
from newsdesk.feeds.feeds import (
    FORMATS,
    EntityFeed,
    LatestFeed,
    OutletFeed,
    PopularFeed,
    RecommendedFeed,
    StoryFeed,
    StoryListFeed,
    TagFeed,
)
from newsdesk.feeds.sitemaps import SITEMAPS, NewsSitemap

app_name = "feeds"

cached = cache_page(settings.NEWSDESK["FEED_CACHE_SECONDS"])


def feed_paths(route: str, feed_class, name: str) -> list:
    """``/feeds/<route>.rss`` and ``.atom``, named ``<name>_rss`` and ``<name>_atom``."""
    return [
        path(f"feeds/{route}.{format}", cached(feed_class(format)), name=f"{name}_{format}")
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
    path("sitemap.xml", cached(views.sitemap_index), name="sitemap_index"),
    path(
        "sitemap-<str:section>.xml",
        cached(sitemap),
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
]
