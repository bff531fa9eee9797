"""The Permissions-Policy header, and both policy headers of the JSON API.

The site's Content-Security-Policy is django-csp's (``CONTENT_SECURITY_POLICY`` in
newsdesk/settings.py, its middleware in ``MIDDLEWARE``); ``PERMISSIONS_POLICY`` there names the
browser features no page of the site may use. The JSON API runs a shorter middleware stack
(newsdesk/handlers.py) whose ``comments.api.JsonErrorsMiddleware`` adds ``api_headers``: an answer
that is only ever data needs no source of anything. Every value is the same for every request, so
a reader page kept by a cache carries the same headers to every reader (docs/decisions.md,
"Security headers").
"""

from __future__ import annotations

from django.conf import settings

__all__ = ["API_POLICY", "PermissionsPolicyMiddleware", "api_headers", "csp_header", "permissions_policy"]

CSP_HEADER = "Content-Security-Policy"
CSP_REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"
PERMISSIONS_HEADER = "Permissions-Policy"

# JSON loads nothing, runs nothing and is never framed, whatever opens it.
API_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``camera=(), fullscreen=(self)`` from ``{"camera": [], "fullscreen": ["self"]}``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


def csp_header() -> str:
    """The header the policy goes in: the enforcing one, or the report-only one."""
    return CSP_REPORT_ONLY_HEADER if settings.NEWSDESK["CSP_REPORT_ONLY"] else CSP_HEADER


def api_headers(response):
    """The API's policies on ``response``, unless a layer already set them."""
    policy = API_POLICY
    if settings.NEWSDESK["CSP_REPORT_URI"]:
        policy += f"; report-uri {settings.NEWSDESK['CSP_REPORT_URI']}"
    response.headers.setdefault(csp_header(), policy)
    response.headers.setdefault(PERMISSIONS_HEADER, permissions_policy(settings.PERMISSIONS_POLICY))
    return response


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` to every answer."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(PERMISSIONS_HEADER, self.value)
        return response
