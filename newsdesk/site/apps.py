from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The public site: pages, listings and rankings, page views, feeds, sitemaps and structured data."""

    name = "newsdesk.site"
    label = "site"
    verbose_name = "公開サイト"

    def ready(self) -> None:
        # Connects the receivers that keep the cached rankings in step with editors' picks.
        from newsdesk.site import rankings  # noqa: F401
