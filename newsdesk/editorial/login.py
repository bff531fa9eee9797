"""The editors' login under attack: django-axes's lockouts, fed no raw address, and a gate on
password checks so that a flood of logins cannot take every thread that serves readers.

axes (settings.py) counts failed logins per source and per account and refuses both for the
cooloff. Its rows keep the source in ``ip_address``; :func:`source_address` gives it a keyed hash
of the address instead, shaped as an IPv6 address because that column is PostgreSQL's ``inet``.

A password check is ~0.4 s of hashing (PBKDF2, a million rounds) on a request thread: four at
once held both web workers and readers waited 1.6 s. :class:`GatedModelBackend` lets at most
``LOGIN_CONCURRENCY`` checks run in a web process at once; a login that finds no place (within
``LOGIN_WAIT`` seconds, none by default) is answered 503, so the process's other thread goes on
serving readers (``newsdesk serve`` runs two threads per worker for that reason).
"""

from __future__ import annotations

import ipaddress
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.crypto import salted_hmac

from newsdesk.comments.identity import client_address, network_key

__all__ = ["GatedModelBackend", "LoginBusy", "busy_response", "lockout_response", "source_address"]

# 2001:db8::/32 is reserved for documentation (RFC 3849): no client has an address in it, so a
# stored value can never be mistaken for one. The other 96 bits are the keyed hash.
PSEUDONYM_PREFIX = ipaddress.IPv6Address("2001:db8::").packed[:4]
BUSY_RETRY_SECONDS = 5
TEMPLATE = "editorial/login_refused.html"


def source_address(request: HttpRequest) -> str:
    """axes's AXES_CLIENT_IP_CALLABLE: the login's source (an IPv4 address or an IPv6 /64, behind
    trusted proxies as for comments) as a keyed hash that cannot be reversed by trying every
    address without the secret key."""
    source = network_key(client_address(request))
    digest = salted_hmac("newsdesk.editorial.login-source", source, algorithm="sha256").digest()
    return str(ipaddress.IPv6Address(PSEUDONYM_PREFIX + digest[:12]))


class LoginBusy(Exception):
    """Every place for a password check in this process stayed taken for LOGIN_WAIT seconds."""


_gates_lock = threading.Lock()
_gates: dict[int, threading.BoundedSemaphore] = {}


def _gate(places: int) -> threading.BoundedSemaphore:
    # Keyed by size so that a test overriding LOGIN_CONCURRENCY gets a gate of its own.
    with _gates_lock:
        return _gates.setdefault(places, threading.BoundedSemaphore(places))


@contextmanager
def password_check() -> Iterator[None]:
    """Hold one of this process's LOGIN_CONCURRENCY places for a password check, or raise
    LoginBusy after LOGIN_WAIT seconds without one."""
    gate = _gate(settings.NEWSDESK["LOGIN_CONCURRENCY"])
    if not gate.acquire(timeout=settings.NEWSDESK["LOGIN_WAIT"]):
        raise LoginBusy
    try:
        yield
    finally:
        gate.release()


class GatedModelBackend(ModelBackend):
    """Django's ModelBackend with its password check behind the gate.

    LoginBusy is not PermissionDenied: ``authenticate`` lets it through without sending
    ``user_login_failed``, so axes does not count a busy server as a wrong password. It comes after
    axes's backend in AUTHENTICATION_BACKENDS: a locked-out login is refused before it waits here.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        with password_check():
            return super().authenticate(request, username=username, password=password, **kwargs)


def _refusal(request: HttpRequest, status: int, retry_after: int, heading: str, message: str) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": heading,
        "message": message,
        "login_url": request.get_full_path(),
    }
    response = TemplateResponse(request, TEMPLATE, context, status=status)
    response["Retry-After"] = str(retry_after)
    return response


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """axes's AXES_LOCKOUT_CALLABLE: 429 in the admin's style, saying how long to wait."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    minutes = max(1, math.ceil(seconds / 60))
    message = (
        "ログインの失敗が続いたため、この接続元またはこのアカウントへのログインを一時的に止めています。"
        f"{minutes}分たってからもう一度お試しください。その間にログインを試みると、待ち時間はそこから数え直しになります。"
    )
    return _refusal(request, 429, seconds, "ログインを一時的に止めています", message).render()


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 for a LoginBusy: nothing was checked or counted, the editor just tries again."""
    message = "ただいまログインの処理が混み合っています。しばらくしてからもう一度お試しください。"
    return _refusal(request, 503, BUSY_RETRY_SECONDS, "ログインが混み合っています", message)
