from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The public site: pages, listings and rankings, page views, feeds, sitemaps and structured data."""

    name = "newsdesk.site"
    label = "site"
    verbose_name = "公開サイト"

    def ready(self) -> None:
        # Importing rankings connects the receivers that keep the cached rankings in step with
        # editors' picks; every change readers see moves the page cache's version, and importing
        # frontcache has each move purge a cache in front of the site.
        from newsdesk.site import frontcache, rankings, versions  # noqa: F401 (their @receiver)

        versions.connect()
        # Writes that can change a listing's counts move the number they are kept under.
        from newsdesk.site import listings

        listings.connect()
