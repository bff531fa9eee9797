"""/robots.txt, /favicon.ico and the sitemap index."""

from __future__ import annotations

from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse

from newsdesk.site.pages import site_url as absolute
from newsdesk.site.sitemaps import SITEMAPS


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "Disallow: /api/",
        "",
        f"Sitemap: {absolute(reverse('feeds:sitemap_index'))}",
        f"Sitemap: {absolute(reverse('feeds:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the page says: the site's icon."""
    return redirect(static("newsdesk/favicon.svg"), permanent=True)


def sitemap_index(request):
    """Every page of every section, with SITE_URL addresses (Django's index view uses the request's host)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute(reverse("feeds:sitemap", args=[section]))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        entries += [
            SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
