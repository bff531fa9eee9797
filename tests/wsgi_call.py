"""Calling a WSGI application as the server does, from a test."""

import io
from wsgiref.util import setup_testing_defaults

HOST = "localhost"


def call(app, url: str, method: str = "GET", body: bytes = b"", content_type: str = "", **headers) -> dict:
    """``app`` called with ``url`` (path and query): status, headers (lower-case names), body and
    its text. ``headers`` are WSGI keys (``HTTP_ORIGIN=...``)."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": HOST,
        "REMOTE_ADDR": "192.0.2.10",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **headers,
    }
    setup_testing_defaults(environ)
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = {name.lower(): value for name, value in headers}

    result = app(environ, start_response)
    try:
        answer["body"] = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    answer["text"] = answer["body"].decode(errors="replace")
    return answer
