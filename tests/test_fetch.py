"""newsdesk.ingest.fetch against a real HTTP server on 127.0.0.1; nothing else is contacted."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from newsdesk.ingest import fetch as fetch_mod
from newsdesk.ingest.document import IngestError
from newsdesk.ingest.fetch import FetchError, FetchPolicy, fetch, is_public_address
from tests.httpserver import Server, send

LOCAL = FetchPolicy(allow_private=True, timeout=5.0)


@pytest.fixture(autouse=True)
def _fresh_robots_cache() -> Iterator[None]:
    fetch_mod.clear_robots_cache()
    yield
    fetch_mod.clear_robots_cache()


# --- success, charset, conditional GET ------------------------------------------------------


def test_200_with_charset(server: Server) -> None:
    body = "日韓フェリー航路".encode("shift_jis")
    server.routes["/page"] = lambda h: send(
        h,
        200,
        body,
        Content_Type="text/html; charset=Shift_JIS",
        ETag='"v1"',
        Last_Modified="Wed, 12 Mar 2025 00:00:00 GMT",
    )
    result = fetch(f"{server.base}/page", LOCAL)
    assert result.status == 200
    assert result.content == body
    assert result.content_type == "text/html"
    assert result.charset == "shift_jis"
    assert result.etag == '"v1"'
    assert result.last_modified == "Wed, 12 Mar 2025 00:00:00 GMT"
    assert result.not_modified is False
    assert result.url == f"{server.base}/page"
    headers = dict(server.requests)["/page"]
    assert headers["user-agent"] == LOCAL.user_agent
    assert headers["host"] == f"127.0.0.1:{server.port}"


def test_no_charset_gives_empty_string(server: Server) -> None:
    server.routes["/bin"] = lambda h: send(h, 200, b"<html></html>", Content_Type="text/html")
    assert fetch(f"{server.base}/bin", LOCAL).charset == ""


def test_conditional_get_304_with_etag(server: Server) -> None:
    def page(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"abc"':
            h.send_response(304)
            h.send_header("ETag", '"abc"')
            h.end_headers()
        else:
            send(h, 200, b"fresh", ETag='"abc"')

    server.routes["/page"] = page
    first = fetch(f"{server.base}/page", LOCAL)
    assert first.content == b"fresh" and first.etag == '"abc"'

    again = fetch(
        f"{server.base}/page", LOCAL, etag=first.etag, last_modified="Wed, 12 Mar 2025 00:00:00 GMT"
    )
    assert again.not_modified is True
    assert again.status == 304
    assert again.content == b""
    assert again.etag == '"abc"'
    assert again.last_modified == "Wed, 12 Mar 2025 00:00:00 GMT"  # kept from the request
    sent = [headers for path, headers in server.requests if path == "/page"][-1]
    assert sent["if-none-match"] == '"abc"'
    assert sent["if-modified-since"] == "Wed, 12 Mar 2025 00:00:00 GMT"


# --- size limit ------------------------------------------------------------------------------


def test_too_large_by_content_length(server: Server) -> None:
    server.routes["/big"] = lambda h: send(h, 200, b"x" * 5000)
    with pytest.raises(FetchError, match="大きすぎ") as info:
        fetch(f"{server.base}/big", FetchPolicy(allow_private=True, max_bytes=1000))
    assert info.value.retryable is False


def test_too_large_streamed_without_content_length(server: Server) -> None:
    written: list[int] = []

    def endless(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        for _ in range(2000):  # up to ~128 MB if nobody stops reading
            h.wfile.write(b"y" * 65536)
            written.append(1)

    server.routes["/stream"] = endless
    with pytest.raises(FetchError, match="大きすぎ") as info:
        fetch(f"{server.base}/stream", FetchPolicy(allow_private=True, max_bytes=100_000))
    assert info.value.retryable is False
    assert len(written) < 2000  # the client stopped reading early


def test_body_within_limit_without_content_length(server: Server) -> None:
    def chunks(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain; charset=utf-8")
        h.send_header("Connection", "close")
        h.end_headers()
        for _ in range(3):
            h.wfile.write(b"abc")

    server.routes["/small"] = chunks
    assert fetch(f"{server.base}/small", LOCAL).content == b"abcabcabc"


# --- redirects -------------------------------------------------------------------------------


def test_redirects_followed_and_limited(server: Server) -> None:
    for n in range(10):
        server.routes[f"/r{n}"] = lambda h, n=n: send(h, 302, Location=f"/r{n + 1}")
    server.routes["/r2"] = lambda h: send(h, 301, Location=f"{server.base}/final")
    server.routes["/final"] = lambda h: send(h, 200, b"ok")

    result = fetch(f"{server.base}/r0", LOCAL)
    assert result.url == f"{server.base}/final" and result.content == b"ok"

    server.routes["/r2"] = lambda h: send(h, 302, Location="/r3")  # now endless
    server.requests.clear()
    with pytest.raises(FetchError, match="リダイレクト") as info:
        fetch(f"{server.base}/r0", FetchPolicy(allow_private=True, max_redirects=3))
    assert info.value.retryable is False
    assert [p for p in server.paths() if p != "/robots.txt"] == ["/r0", "/r1", "/r2", "/r3"]


# --- robots.txt ------------------------------------------------------------------------------


def test_robots_disallow(server: Server) -> None:
    robots = b"User-agent: *\nDisallow: /nobody\n\nUser-agent: newsdesk\nDisallow: /private\n"
    server.routes["/robots.txt"] = lambda h: send(h, 200, robots)
    server.routes["/private/a"] = lambda h: send(h, 200, b"secret")
    server.routes["/public"] = lambda h: send(h, 200, b"hello")

    with pytest.raises(FetchError, match="robots.txt") as info:
        fetch(f"{server.base}/private/a", LOCAL)
    assert info.value.retryable is False
    assert fetch(f"{server.base}/public", LOCAL).content == b"hello"
    assert "/private/a" not in server.paths()
    assert server.paths().count("/robots.txt") == 1  # cached per host

    # A redirect into a disallowed path is refused as well.
    server.routes["/go"] = lambda h: send(h, 302, Location="/private/a")
    with pytest.raises(FetchError, match="robots.txt"):
        fetch(f"{server.base}/go", LOCAL)
    assert "/private/a" not in server.paths()

    # Ignored when the policy says so.
    result = fetch(f"{server.base}/private/a", FetchPolicy(allow_private=True, respect_robots=False))
    assert result.content == b"secret"


def test_robots_missing_allows(server: Server) -> None:
    server.routes["/page"] = lambda h: send(h, 200, b"ok")
    assert fetch(f"{server.base}/page", LOCAL).content == b"ok"
    assert fetch(f"{server.base}/page", LOCAL).content == b"ok"
    assert server.paths().count("/robots.txt") == 1  # 404 cached too


def test_robots_server_error_allows_but_is_not_cached_long(server: Server, monkeypatch) -> None:
    server.routes["/robots.txt"] = lambda h: send(h, 503, b"down")
    server.routes["/page"] = lambda h: send(h, 200, b"ok")
    assert fetch(f"{server.base}/page", LOCAL).content == b"ok"
    monkeypatch.setattr(fetch_mod, "ROBOTS_TTL_FAILED", 0.0)
    fetch_mod.clear_robots_cache()
    fetch(f"{server.base}/page", LOCAL)
    fetch(f"{server.base}/page", LOCAL)
    assert server.paths().count("/robots.txt") == 3


# --- errors ----------------------------------------------------------------------------------


def test_404_not_retryable(server: Server) -> None:
    with pytest.raises(FetchError) as info:
        fetch(f"{server.base}/missing", LOCAL)
    assert info.value.retryable is False
    assert info.value.status == 404
    assert isinstance(info.value, IngestError)


def test_503_retryable_with_retry_after(server: Server) -> None:
    server.routes["/busy"] = lambda h: send(h, 503, b"busy", Retry_After="120")
    with pytest.raises(FetchError) as info:
        fetch(f"{server.base}/busy", LOCAL)
    assert info.value.retryable is True
    assert info.value.retry_after == 120
    assert info.value.status == 503


def test_429_retryable_with_http_date(server: Server) -> None:
    server.routes["/slow-down"] = lambda h: send(h, 429, Retry_After="Wed, 21 Oct 2015 07:28:00 GMT")
    with pytest.raises(FetchError) as info:
        fetch(f"{server.base}/slow-down", LOCAL)
    assert info.value.retryable is True
    assert info.value.retry_after == 0  # a date in the past


def test_timeout_retryable(server: Server) -> None:
    def sleepy(h: BaseHTTPRequestHandler) -> None:
        time.sleep(2)
        send(h, 200, b"late")

    server.routes["/sleep"] = sleepy
    started = time.monotonic()
    with pytest.raises(FetchError, match="タイムアウト") as info:
        fetch(f"{server.base}/sleep", FetchPolicy(allow_private=True, timeout=0.4))
    assert info.value.retryable is True
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("robots", [False, True])
@pytest.mark.parametrize("part", ["headers", "body", "body-until-close"])
def test_a_peer_that_drips_is_cut_off_at_the_deadline(dripper, part: str, robots: bool) -> None:
    """Each byte comes well within any read timeout; one deadline covers the whole fetch, robots.txt
    (dripped as well) included."""
    peer = dripper(part)
    policy = FetchPolicy(allow_private=True, timeout=1.0, respect_robots=robots)
    started = time.monotonic()
    with pytest.raises(
        FetchError, match="タイムアウトしました（1 秒以内に取得を終えられませんでした）"
    ) as info:
        fetch(f"{peer.base}/page", policy)
    assert time.monotonic() - started < 1.5
    assert info.value.retryable is True


def test_connection_refused_retryable() -> None:
    with socket.socket() as sock:  # a port that nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as info:
        fetch(f"http://127.0.0.1:{port}/", FetchPolicy(allow_private=True, respect_robots=False))
    assert info.value.retryable is True


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/file", "file:///etc/passwd", "javascript:alert(1)", "gopher://127.0.0.1:70/"]
)
def test_non_http_scheme_refused(url: str) -> None:
    with pytest.raises(FetchError, match="http/https") as info:
        fetch(url, LOCAL)
    assert info.value.retryable is False


# --- private addresses under the default policy ----------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "0.0.0.0", "[::ffff:127.0.0.1]", "192.168.1.1"],
)
def test_default_policy_refuses_private_addresses(server: Server, host: str) -> None:
    url = f"http://{host}:{server.port}/latest/meta-data/"
    with pytest.raises(FetchError, match="アドレス") as info:
        fetch(url)
    assert info.value.retryable is False
    assert server.requests == []  # refused before connecting


def test_hostname_resolving_to_private_address_refused(monkeypatch) -> None:
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host == "intranet.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(FetchError, match="10.1.2.3") as info:
        fetch("https://intranet.example/admin")
    assert info.value.retryable is False


def test_connects_to_the_checked_address_with_the_real_host_header(server: Server, monkeypatch) -> None:
    """The name is resolved once; the request goes to that IP, with Host naming the site."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def fake(host, port, *args, **kwargs):
        if host == "news.example":
            lookups.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    server.routes["/a"] = lambda h: send(h, 200, b"ok")
    result = fetch(f"http://news.example:{server.port}/a", LOCAL)
    assert result.url == f"http://news.example:{server.port}/a"
    assert dict(server.requests)["/a"]["host"] == f"news.example:{server.port}"
    assert lookups == ["news.example", "news.example"]  # once for robots.txt, once for the page


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_https_pinned_address_still_verifies_the_certificate_name(tmp_path, monkeypatch) -> None:
    """Over TLS the connection goes to the checked IP while SNI and the certificate check use the name."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert)]
        + ["-days", "1", "-subj", "/CN=news.example", "-addext", "subjectAltName=DNS:news.example"],
        check=True,
        capture_output=True,
    )
    srv = Server()
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    srv.httpd.socket = tls.wrap_socket(srv.httpd.socket, server_side=True)
    srv.routes["/a"] = lambda h: send(h, 200, b"secure")
    srv.thread.start()
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in ("news.example", "other.example"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    trust = ssl.create_default_context(cafile=str(cert))
    try:
        with httpx.Client(verify=trust, trust_env=False) as client:
            result = fetch(f"https://news.example:{srv.port}/a", LOCAL, client=client)
            assert result.content == b"secure"
            assert result.url == f"https://news.example:{srv.port}/a"
            with pytest.raises(FetchError, match="接続できません"):  # certificate is not for this name
                fetch(f"https://other.example:{srv.port}/a", LOCAL, client=client)
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]:{port}/x"]
)
def test_redirect_to_private_address_refused(server: Server, monkeypatch, target: str) -> None:
    """Default policy; only the test server's own address is treated as public, so the first hop
    reaches it and the real check has to stop the redirect."""
    real_check = fetch_mod.is_public_address
    monkeypatch.setattr(fetch_mod, "is_public_address", lambda a: a == "127.0.0.1" or real_check(a))
    server.routes["/go"] = lambda h: send(h, 302, Location=target.format(port=server.port))
    server.routes["/x"] = lambda h: send(h, 200, b"should not be reached")

    with pytest.raises(FetchError, match="アドレス") as info:
        fetch(f"{server.base}/go")
    assert info.value.retryable is False
    assert "/go" in server.paths()
    assert "/x" not in server.paths()


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(address) is public


@pytest.mark.parametrize("address", ["2002:a00:1::", "fec0::1", "2002:7f00:1::"])
def test_addresses_hiding_a_private_one_are_not_public(address):
    assert not is_public_address(address)
