"""Cross-site request forgery protection for the forms on reader pages: the request's Origin.

Reader pages are the same bytes for every reader (newsdesk/site/caching.py), so they cannot carry
Django's per-reader CSRF token: ``{% csrf_token %}`` sets a cookie and makes the page vary on it.
The plain comment, reaction and report forms (and the page-view beacon) are instead accepted only
when the browser says they come from this site: the ``Origin`` header, which every current browser
sends with a form POST and with fetch() and sendBeacon() POSTs, else the ``Referer``, must name
this site (or an origin in CSRF_TRUSTED_ORIGINS), as Django's own middleware checks Origin before
its token. A forged cross-site form carries the attacking site's origin (or ``null``), and a page
cannot set either header itself. A request with neither header is refused with a page that says
why: that is a browser or extension that strips both, and such a reader still posts from a
browser that does not. The JavaScript posts to the JSON API, which needs no token (a cross-site
page cannot send its ``application/json`` body without a CORS preflight the site never answers).
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.shortcuts import render
from django.utils.http import is_same_domain
from django.views.decorators.csrf import csrf_exempt


def trusted_origin(request, origin: str) -> bool:
    """Whether ``origin`` (``scheme://host[:port]``) is this site's, as the request reached it,
    or one of CSRF_TRUSTED_ORIGINS (``https://*.example.jp`` matches its subdomains)."""
    try:
        if origin == f"{request.scheme}://{request.get_host()}":
            return True
    except DisallowedHost:
        return False
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return any(
        is_same_domain(parts.netloc, pattern.netloc.lstrip("*"))
        for pattern in map(urlsplit, settings.CSRF_TRUSTED_ORIGINS)
        if "*" in pattern.netloc and pattern.scheme == parts.scheme
    )


def sent_from_this_site(request) -> bool:
    # Django's test client marks its requests so; Django's own CSRF check honours it the same way.
    if getattr(request, "_dont_enforce_csrf_checks", False):
        return True
    origin = request.headers.get("Origin")
    if origin is not None:  # "null" (a sandboxed frame, a cross-site redirect) is no origin of ours
        return trusted_origin(request, origin)
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.scheme and referer.netloc) and trusted_origin(
        request, f"{referer.scheme}://{referer.netloc}"
    )


def same_origin(view):
    """The view, without Django's token check and behind the Origin check (403 when it fails)."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if not sent_from_this_site(request):
            return render(request, "newsdesk/403_origin.html", status=403)
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)
