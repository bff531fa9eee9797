"""The sections of /sitemap.xml, and the Google News sitemap of the news of the last two days."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from newsdesk.articles.models import Article, published_q
from newsdesk.entities.models import Entity
from newsdesk.site import freshness
from newsdesk.sources.models import Outlet
from newsdesk.stories import queries
from newsdesk.stories.models import StoryMembership
from newsdesk.tags.models import ArticleTag, Tag

NEWS_DAYS = 2  # Google News reads only articles published within the last two days
NEWS_LIMIT = 1000  # and at most this many per sitemap


class SiteSitemap(Sitemap):
    """URLs absolute from SITE_URL, like the pages' canonical URLs, whatever host the request named."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.NEWSDESK["SITE_URL"]).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.NEWSDESK["SITE_URL"]).netloc


class ListingSitemap(SiteSitemap):
    """Pages that list published articles: such a page last changed when its newest article appeared."""

    def lastmod(self, item):
        return item.last_article

    def get_latest_lastmod(self):
        return self.items().order_by("-last_article").values_list("last_article", flat=True).first()


class StaticSitemap(SiteSitemap):
    def items(self) -> list[str]:
        return [
            "articles:latest",
            "articles:popular",
            "articles:recommended",
            "stories:list",
            "stories:storylines",
            "tags:index",
        ]

    def location(self, url_name: str) -> str:
        return reverse(url_name)


class ArticleSitemap(SiteSitemap):
    def items(self):
        # By id, so that each page of a long sitemap keeps its articles as new ones are published.
        return Article.objects.published().only("pk", "updated_at").order_by("pk")

    def lastmod(self, article: Article):
        return article.updated_at

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


def last_published(path: str) -> Subquery:
    """When the newest published article of the story or storyline appeared (``path``: from a
    story membership to the row)."""
    members = StoryMembership.objects.filter(published_q("article__"), **{path: OuterRef("pk")})
    return Subquery(members.values(path).annotate(last=Max("article__site_published_at")).values("last"))


class StorySitemap(ListingSitemap):
    def items(self):
        return queries.published_stories().annotate(last_article=last_published("story")).order_by("pk")


class StorylineSitemap(ListingSitemap):
    def items(self):
        lines = queries.published_storylines()
        return lines.annotate(last_article=last_published("story__storyline")).order_by("pk")


class EntitySitemap(ListingSitemap):
    def items(self):
        return (
            Entity.objects.filter(mentions__article__in=Article.objects.published())
            .annotate(last_article=Max("mentions__article__site_published_at"))
            .order_by("pk")
        )


class OutletSitemap(ListingSitemap):
    def items(self):
        return (
            Outlet.objects.filter(articles__in=Article.objects.published())
            .annotate(last_article=Max("articles__site_published_at"))
            .order_by("pk")
        )


class TagSitemap(ListingSitemap):
    def items(self):
        # One filter(): the links it keeps (shown, to published articles) are those the maximum reads.
        return (
            Tag.objects.filter(
                article_links__in=ArticleTag.objects.shown(),
                article_links__article__in=Article.objects.published(),
            )
            .annotate(last_article=Max("article_links__article__site_published_at"))
            .order_by("pk")
        )


# The sections of the sitemap index, each at /sitemap-<section>.xml.
SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "stories": StorySitemap,
    "storylines": StorylineSitemap,
    "entities": EntitySitemap,
    "outlets": OutletSitemap,
    "tags": TagSitemap,
}


class NewsSitemap(SiteSitemap):
    limit = NEWS_LIMIT

    def items(self):
        # Published by us within the window, and news within it too: an old original published
        # today is not today's news (its date, ours where unknown; see site/freshness.py).
        since = timezone.now() - dt.timedelta(days=NEWS_DAYS)
        return (
            Article.objects.published()
            .filter(freshness.fresh_since(since), site_published_at__gte=since)
            .only("pk", "title", "original_title", "site_published_at")
            .order_by("-site_published_at", "-pk")[:NEWS_LIMIT]
        )
