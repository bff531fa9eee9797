"""RSS 2.0 and Atom 1.0 feeds of the reader site's listings: each feed lists what its page lists.

A listing gets feeds from a subclass of ``ArticleFeed`` that says which articles its page shows
(a queryset or a plain list, in the page's order), an entry in ``FEEDS`` for the autodiscovery tags, and
a ``feed_paths(...)`` line in ``newsdesk/site/feed_urls.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape, format_html, format_html_join

from newsdesk.articles.models import Article
from newsdesk.editorial import corrections
from newsdesk.entities import service as entities
from newsdesk.entities.models import Entity
from newsdesk.images.models import content_type
from newsdesk.images.service import attach_images, shown_image
from newsdesk.site import freshness, rankings
from newsdesk.site.pages import published_articles
from newsdesk.site.pages import site_url as absolute
from newsdesk.sources.models import Outlet
from newsdesk.stories import queries
from newsdesk.stories.models import Story, Storyline
from newsdesk.tags import service as tags
from newsdesk.tags.models import Tag


class Rss201rev2FeedWithUpdated(Rss201rev2Feed):
    """RSS 2.0 plus each item's ``atom:updated`` (RSS has only the date of publication)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("updateddate") is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))


FORMATS = {"rss": Rss201rev2FeedWithUpdated, "atom": Atom1Feed}


def site_name() -> str:
    return settings.NEWSDESK["SITE_NAME"]


class SiteFeed(Feed):
    """One listing's feed in one of ``FORMATS``; its addresses are named ``feeds:<url_name>_<format>``.

    Links are absolute from SITE_URL, like the pages' canonical URLs, so a feed fetched through a
    proxy or under another host name still points readers at the public site.
    """

    language = "ja"
    url_name = ""
    item_guid_is_permalink = True

    def __init__(self, format: str = "rss"):
        self.format = format
        self.feed_type = FORMATS[format]

    def url_args(self, obj) -> list:
        return []

    def path(self, obj, format: str) -> str:
        return reverse(f"feeds:{self.url_name}_{format}", args=self.url_args(obj))

    def page_path(self, obj) -> str:
        raise NotImplementedError

    def link(self, obj) -> str:
        return absolute(self.page_path(obj))

    def feed_url(self, obj) -> str:
        return absolute(self.path(obj, self.format))

    def subtitle(self, obj) -> str:
        return self.description(obj)

    def item_link(self, item) -> str:
        return absolute(item.get_absolute_url())


class ArticleFeed(SiteFeed):
    """A feed of published articles: subclasses give ``articles(obj)`` in their page's order."""

    def articles(self, obj):
        raise NotImplementedError

    def items(self, obj) -> list[Article]:
        # Slicing works on a queryset (one LIMIT query) and on a list alike.
        articles = list(self.articles(obj)[: settings.NEWSDESK["PAGE_SIZE"]])
        corrections.attach_latest(articles)
        attach_images(articles)
        return articles

    def item_title(self, article: Article) -> str:
        # Not Django's default double escaping: readers take titles as text (Atom's type="text"),
        # so "<" and "&" in a headline must reach them escaped once, as on the page.
        return article.headline

    def item_description(self, article: Article) -> str:
        bullets = [bullet for bullet in article.summary or [] if isinstance(bullet, str) and bullet.strip()]
        if bullets:
            return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((b,) for b in bullets)))
        return escape(article.standfirst)

    def item_enclosures(self, article: Article) -> list[Enclosure]:
        """Our stored page-width copy of the lead image, never the source's."""
        image = shown_image(article)
        if image is None:
            return []
        return [
            Enclosure(absolute(image.page_url), str(image.page_bytes), content_type(image.page_file.name))
        ]

    def item_author_name(self, article: Article) -> str:
        outlet = str(article.outlet)
        return f"{article.author}（{outlet}）" if article.author else outlet

    def item_pubdate(self, article: Article):  # the original's date, ours where unknown
        return timezone.localtime(freshness.news_time(article))

    def item_updateddate(self, article: Article):  # the latest 訂正・更新, if any
        return timezone.localtime(corrections.modified_at(article))


class LatestFeed(ArticleFeed):
    url_name = "latest"

    def title(self, obj) -> str:
        return f"最新記事 | {site_name()}"

    def description(self, obj) -> str:
        return f"{site_name()}：海外メディアが伝える東アジアのニュースを日本語で。"

    def page_path(self, obj) -> str:
        return reverse("articles:latest")

    def articles(self, obj):
        return queries.collapse_copies(published_articles())


class PopularFeed(ArticleFeed):
    url_name = "popular"

    def title(self, obj) -> str:
        return f"特に人気 | {site_name()}"

    def description(self, obj) -> str:
        return f"{site_name()}でいま特に読まれている記事。"

    def page_path(self, obj) -> str:
        return reverse("articles:popular")

    def articles(self, obj) -> list[Article]:
        return rankings.popular_articles(settings.NEWSDESK["PAGE_SIZE"])


class RecommendedFeed(ArticleFeed):
    url_name = "recommended"

    def title(self, obj) -> str:
        return f"オススメ | {site_name()}"

    def description(self, obj) -> str:
        return f"{site_name()}編集部のオススメ記事と、いま読まれている記事、さまざまな媒体の記事。"

    def page_path(self, obj) -> str:
        return reverse("articles:recommended")

    def articles(self, obj) -> list[Article]:
        return rankings.recommended_articles(settings.NEWSDESK["PAGE_SIZE"])


class OutletFeed(ArticleFeed):
    def get_object(self, request, domain: str | None = None, pk: int | None = None) -> Outlet:
        # Outlets known only by name are addressed by id, as their pages are.
        if domain is not None:
            return get_object_or_404(Outlet, domain=domain)
        return get_object_or_404(Outlet, pk=pk, domain="")

    def path(self, outlet: Outlet, format: str) -> str:
        if outlet.domain:
            return reverse(f"feeds:outlet_{format}", args=[outlet.domain])
        return reverse(f"feeds:outlet_by_id_{format}", args=[outlet.pk])

    def title(self, outlet: Outlet) -> str:
        return f"{outlet}の記事 | {site_name()}"

    def description(self, outlet: Outlet) -> str:
        return f"{outlet}が伝えたニュースを日本語の要約と翻訳で。"

    def page_path(self, outlet: Outlet) -> str:
        return outlet.get_absolute_url()

    def articles(self, outlet: Outlet):
        return queries.collapse_copies(published_articles().filter(outlet=outlet))


class EntityFeed(ArticleFeed):
    url_name = "entity"

    def get_object(self, request, key: str) -> Entity:
        if key.isascii() and key.isdecimal():
            return get_object_or_404(Entity, pk=int(key))
        return get_object_or_404(Entity, slug=key)

    def url_args(self, entity: Entity) -> list:
        return [entity.slug or str(entity.pk)]

    def title(self, entity: Entity) -> str:
        return f"{entity.name}に関する記事 | {site_name()}"

    def description(self, entity: Entity) -> str:
        return f"{entity.name}が登場する記事を日本語の要約と翻訳で。"

    def page_path(self, entity: Entity) -> str:
        return entity.get_absolute_url()

    def articles(self, entity: Entity):
        return entities.articles_of(entity)


class TagFeed(ArticleFeed):
    url_name = "tag"

    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def url_args(self, tag: Tag) -> list:
        return [tag.slug]

    def title(self, tag: Tag) -> str:
        return f"「{tag.name}」の記事 | {site_name()}"

    def description(self, tag: Tag) -> str:
        return tag.description or f"「{tag.name}」に関する記事を日本語の要約と翻訳で。"

    def page_path(self, tag: Tag) -> str:
        return tag.get_absolute_url()

    def articles(self, tag: Tag):
        return tags.articles_with(tag)


class StoryFeed(ArticleFeed):
    url_name = "story"

    def get_object(self, request, pk: int) -> Story:
        # The feed of every story page, one article's too (a reader follows it for the next
        # outlet's report); a story none of whose articles is published has no page, so no feed.
        return get_object_or_404(queries.stories_with_published(), pk=pk)

    def url_args(self, story: Story) -> list:
        return [story.pk]

    def title(self, story: Story) -> str:
        return f"ストーリー：{story.title} | {site_name()}"

    def description(self, story: Story) -> str:
        return (
            f"「{story.title}」を伝える各媒体の記事（{story.outlet_count}媒体・{story.published_count}本）。"
        )

    def page_path(self, story: Story) -> str:
        return story.get_absolute_url()

    def articles(self, story: Story) -> list[Article]:
        # The articles the story page shows (copies only under their original), newest first.
        columns = queries.outlet_columns(queries.story_articles(story))
        shown = [entry["article"] for column in columns for entry in column["articles"]]
        return sorted(shown, key=lambda article: article.site_published_at, reverse=True)


class StoryListFeed(SiteFeed):
    url_name = "stories"

    def title(self, obj) -> str:
        return f"ストーリー | {site_name()}"

    def description(self, obj) -> str:
        return "同じ出来事を伝える各媒体の記事をまとめたストーリー。"

    def page_path(self, obj) -> str:
        return reverse("stories:list")

    def items(self, obj) -> list[Story]:
        return list(queries.published_stories()[: settings.NEWSDESK["PAGE_SIZE"]])

    def item_title(self, story: Story) -> str:
        return story.title

    def item_description(self, story: Story) -> str:
        return f"{story.outlet_count}媒体・{story.published_count}本の記事"

    def item_pubdate(self, story: Story):
        return timezone.localtime(story.first_seen)

    def item_updateddate(self, story: Story):
        return timezone.localtime(story.last_seen)


class StorylineFeed(ArticleFeed):
    url_name = "storyline"

    def get_object(self, request, pk: int) -> Storyline:
        # A storyline that is not listed has no page of its own worth following.
        return get_object_or_404(queries.published_storylines(), pk=pk)

    def url_args(self, line: Storyline) -> list:
        return [line.pk]

    def title(self, line: Storyline) -> str:
        return f"ストーリーライン：{line.title} | {site_name()}"

    def description(self, line: Storyline) -> str:
        return (
            f"「{line.title}」をめぐる{line.shown_story_count}件の出来事を伝える各媒体の記事"
            f"（{line.outlet_count}媒体・{line.published_count}本）。"
        )

    def page_path(self, line: Storyline) -> str:
        return line.get_absolute_url()

    def articles(self, line: Storyline) -> list[Article]:
        return queries.storyline_articles(line)


class StorylineListFeed(SiteFeed):
    url_name = "storylines"

    def title(self, obj) -> str:
        return f"ストーリーライン | {site_name()}"

    def description(self, obj) -> str:
        return "数か月にわたる一連の出来事を、ストーリーごとにまとめたストーリーライン。"

    def page_path(self, obj) -> str:
        return reverse("stories:storylines")

    def items(self, obj) -> list[Storyline]:
        return list(queries.published_storylines()[: settings.NEWSDESK["PAGE_SIZE"]])

    def item_title(self, line: Storyline) -> str:
        return line.title

    def item_description(self, line: Storyline) -> str:
        return (
            f"{line.shown_story_count}件のストーリー・{line.outlet_count}媒体・{line.published_count}本の記事"
        )

    def item_pubdate(self, line: Storyline):
        return timezone.localtime(line.first_seen)

    def item_updateddate(self, line: Storyline):
        return timezone.localtime(line.last_seen)


# The feeds templates link to with {% feed_links "<key>" obj %}.
FEEDS = {
    "latest": LatestFeed,
    "popular": PopularFeed,
    "recommended": RecommendedFeed,
    "outlet": OutletFeed,
    "entity": EntityFeed,
    "tag": TagFeed,
    "story": StoryFeed,
    "stories": StoryListFeed,
    "storyline": StorylineFeed,
    "storylines": StorylineListFeed,
}
