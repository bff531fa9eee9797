"""The WSGI application: Django's handler, with a shorter middleware stack for the JSON API.

Requests under /api/ use no session, user, flash messages, CSRF cookie or language negotiation
(the API is csrf_exempt and guards itself by Content-Type, see comments/api.py; its messages are
Japanese). Leaving that middleware out saves about 0.2 ms of every API request, a fifth of a
comment post (docs/benchmarks.md). The security headers and the Host check stay, and every error
is answered as JSON (comments.api.JsonErrorsMiddleware), Django's own 400, 404 and 500 included.
Every other request asks the page cache first (newsdesk/site/pagecache.py).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse

API_PREFIX = "/api/"
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsdesk.comments.api.JsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
]


class ApiHandler(WSGIHandler):
    """A WSGI handler whose middleware is ``API_MIDDLEWARE``."""

    def load_middleware(self, is_async=False):
        # BaseHandler.load_middleware reads settings.MIDDLEWARE; it runs once, at start-up.
        site_middleware = settings.MIDDLEWARE
        settings.MIDDLEWARE = API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = site_middleware


def without_process_environment(handler):
    """``handler`` behind a step that takes the process environment out of each request's environ.

    granian copies the whole process environment into every request's environ, where it would
    reach request.META and error reports, NEWSDESK_* secrets included. A value the request set
    itself under the same name (it differs) stays. Only what reaches Django is cleaned: a page
    cache hit reads a handful of named keys and cleaning cost a sixth of it."""
    process_environment = list(os.environ.items())

    def cleaned(environ, start_response):
        for key, value in process_environment:
            if environ.get(key) == value:
                del environ[key]
        return handler(environ, start_response)

    return cleaned


def application_with_api():
    """The site's WSGI application: /api/ requests go to an ApiHandler, the rest to the page
    cache in front of Django's."""
    django_site = get_wsgi_application()
    from newsdesk.site.pagecache import PageCache  # reads models: only once Django is set up

    site = PageCache(without_process_environment(django_site))
    api = without_process_environment(ApiHandler())

    def application(environ, start_response):
        handler = api if environ.get("PATH_INFO", "").startswith(API_PREFIX) else site
        response = handler(environ, start_response)
        if not isinstance(response, HttpResponse):
            return response  # streamed, a file the server sends itself, or the page cache's copy
        # A response whose body is already in memory goes back as a list: granian then hands it
        # over in one piece instead of walking an iterator from Python, which kept the worker's
        # thread waiting on every send. Closing it ends the request (request_finished) as the
        # server's own close would.
        try:
            return [response.content]
        finally:
            response.close()

    return application
