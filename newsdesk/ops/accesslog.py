"""The access log of `newsdesk serve`, one request per line whatever the request holds.

granian writes a line per request through the ``granian.access`` logger, filling
``serve.ACCESS_LOG_FORMAT`` with the request's fields, and it hands over the path percent-decoded:
``/x%0A[...] "GET /admin/ HTTP/1.1" 200`` would end the line and forge a second one. The filter
installed here escapes, in every text field, the characters that could end or disguise a line
(control, format and other non-printable characters, as ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN``)
and the quote and backslash around and inside the fields, as ``\\"`` and ``\\\\``. Printable
text, Japanese included, is written as it is.
"""

from __future__ import annotations

import logging

__all__ = ["ACCESS_LOGGER", "EscapeFields", "escape", "install"]

ACCESS_LOGGER = "granian.access"


def _escaped(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str) -> str:
    """``text`` with nothing that can break or fake a log line."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return text  # nearly every request: no copy
    return "".join(_escaped(char) for char in text)


class EscapeFields(logging.Filter):
    """Escapes the text fields of granian's access records (their one argument, a dict)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = {
                key: escape(value) if isinstance(value, str) else value for key, value in record.args.items()
            }
        return True


def install() -> None:
    """Escape every access line this process writes (granian's worker, newsdesk/ops/wsgi.py)."""
    logging.getLogger(ACCESS_LOGGER).addFilter(EscapeFields())
