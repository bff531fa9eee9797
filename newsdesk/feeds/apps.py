from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """RSS and Atom feeds, sitemaps, robots.txt and the structured data search engines read."""

    name = "newsdesk.feeds"
    verbose_name = "フィードとサイトマップ"
