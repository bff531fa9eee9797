"""Who is posting, without keeping who it is: keyed hashes of the client address.

``source_hash`` (bans, rate limits, duplicates, one reaction each) and ``daily_id`` (the ID shown
to readers) are HMACs under the Django secret key, so they can't be reversed by trying the
2**32 IPv4 addresses. IPv6 addresses count as their /64, which a single host or home gets whole
and could otherwise rotate through. The raw address is only ever held in memory.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from newsdesk.comments.render import clean_text

__all__ = [
    "TRIP_KEY_CHARS",
    "TRIP_MARK",
    "client_address",
    "daily_id",
    "network_key",
    "parse_name",
    "source_hash",
]

TRIP_MARK = "◆"
TRIP_KEY_CHARS = 64  # the secret after "#" in 名前#キー; only its keyed hash is ever kept
# Shown instead of a ◆ typed into the name, so nobody can fake a tripcode.
FAKE_TRIP_MARK = "◇"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(value: str) -> IPAddress | None:
    """An address from ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1`` or ``[2001:db8::1]:443``."""
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _trusted(address: IPAddress) -> bool:
    networks = _networks(tuple(settings.NEWSDESK["TRUSTED_PROXIES"]))
    return any(address.version == network.version and address in network for network in networks)


def client_address(request) -> str:
    """The poster's address: REMOTE_ADDR, or when that is a trusted proxy, the right-most
    X-Forwarded-For address that is not itself a trusted proxy (the left part is client-written)."""
    remote = request.META.get("REMOTE_ADDR", "")
    address = _parse(remote)
    if address is None:
        return remote.strip()
    if not _trusted(address):
        return str(address)
    forwarded = ",".join(request.headers.get("X-Forwarded-For", "").split("\n"))
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        hop_address = _parse(hop)
        if hop_address is None:
            break  # garbage from beyond our proxies: trust nothing further left
        address = hop_address
        if not _trusted(hop_address):
            break
    return str(address)


def network_key(address: str) -> str:
    """What identifies a source: the IPv4 address, or the /64 an IPv6 address is in."""
    parsed = _parse(address)
    if parsed is None:
        return address.strip()
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def source_hash(address: str) -> str:
    """A keyed, stable hash of the poster's source (64 hex characters)."""
    return salted_hmac("newsdesk.comments.source", network_key(address), algorithm="sha256").hexdigest()


def _short(value: str, salt: str) -> str:
    digest = salted_hmac(salt, value, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:8]


def daily_id(address: str, article_id: int, day: dt.date | dt.datetime) -> str:
    """The 8-character ID shown on a post: one per source, article and day (JST)."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return _short(f"{network_key(address)}|{article_id}|{day.isoformat()}", "newsdesk.comments.daily-id")


def parse_name(raw: str | None) -> tuple[str, str]:
    """``名前#secret`` -> ``("名前", "◆xxxxxxxx")``; without ``#`` the trip is empty.

    The trip is an HMAC of the secret under the site key (never the old DES crypt), so it is the
    same on every post and can't be computed elsewhere; changing the secret key changes all trips.
    """
    text = clean_text(raw or "", keep_newlines=False)
    trip = ""
    for mark in ("#", "＃"):
        if mark in text:
            text, secret = text.split(mark, 1)
            if secret:
                trip = TRIP_MARK + _short(secret, "newsdesk.comments.trip")
            break
    name = text.strip().replace(TRIP_MARK, FAKE_TRIP_MARK)
    return name, trip
