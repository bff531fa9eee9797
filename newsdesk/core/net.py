"""Small helpers for talking to other servers: the domain of a URL, a Retry-After header."""

from __future__ import annotations

import email.utils
import math
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

__all__ = ["domain_of", "parse_retry_after"]

_SECONDS = re.compile(r"[+-]?\d+(?:\.\d+)?")


def domain_of(url: str) -> str:
    """The host of ``url``, lower case and without ``www.``; "" when there is none or the URL is
    malformed (``http://[::1``)."""
    try:
        host = (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds (``120``) or an HTTP date.

    A wait in the past or a negative number is 0; anything unreadable (``soon``, an empty header)
    is None. Never raises: a server's odd header must not turn a retry into a crash.
    """
    text = (value or "").strip()
    if not text:
        return None
    if _SECONDS.fullmatch(text):
        seconds = float(text)
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # RFC 850 and asctime dates carry no zone: HTTP dates are in GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
