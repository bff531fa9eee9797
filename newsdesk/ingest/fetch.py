"""Polite, SSRF-safe fetching of one URL within one deadline (``newsdesk.ingest.deadline``).

``fetch`` only speaks http/https, refuses hosts that resolve to private, loopback, link-local,
multicast, reserved or unspecified addresses (unless ``FetchPolicy.allow_private``), follows
redirects itself (re-checking scheme, address and robots.txt on every hop), streams the body under
a size limit, honours robots.txt and supports conditional GET.

DNS rebinding: each hop's host is resolved once, every resolved address is checked, and the
connection is made to the first checked address (the URL's host is replaced by the IP; the Host
header and the TLS SNI/certificate check still use the real name). Remaining gaps: an HTTP proxy
would do its own resolution (so our own client ignores proxy environment variables), and
``socket.getaddrinfo`` has no timeout of its own (the OS resolver's limits apply).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections import OrderedDict
from contextlib import closing
from dataclasses import dataclass, replace

import httpx

from newsdesk.core.net import parse_retry_after
from newsdesk.ingest.deadline import Deadline
from newsdesk.ingest.document import IngestError

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
ROBOTS_TIMEOUT = 5.0
ROBOTS_MAX_BYTES = 500_000
ROBOTS_CACHE_SIZE = 128
ROBOTS_TTL_OK = 24 * 3600.0  # a robots.txt that was read (or is missing: 4xx)
ROBOTS_TTL_FAILED = 300.0  # 5xx, timeout, connection error: allowed, asked again soon


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = "newsdesk/0.1 (+https://example.invalid/bot)"
    timeout: float = 15.0  # one deadline for the whole fetch: robots.txt, every hop, headers and body
    max_bytes: int = 5_000_000  # decoded body size
    max_redirects: int = 5
    allow_private: bool = False  # tests that use a server on 127.0.0.1 set True
    respect_robots: bool = True


@dataclass
class FetchResult:
    url: str  # final URL, after redirects
    status: int
    content: bytes
    content_type: str = ""  # media type only, lower case ("text/html")
    charset: str = ""  # from the Content-Type header, or ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


class FetchError(IngestError):
    """A URL that could not be fetched. ``retryable`` says whether trying later may help."""

    def __init__(
        self, message: str, *, retryable: bool = False, retry_after: float | None = None, status: int = 0
    ):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after  # seconds, from a Retry-After header
        self.status = status  # HTTP status when there was a response, else 0


# ---------------------------------------------------------------------------------------------
# Addresses


SITE_LOCAL_V6 = ipaddress.ip_network("fec0::/10")


def is_public_address(address: str) -> bool:
    """True when an IP address may be contacted under the default policy."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in SITE_LOCAL_V6:  # deprecated, but still routed inside some networks
            return False
        embedded = ip.ipv4_mapped or ip.sixtofour  # ::ffff:10.0.0.1 and 2002:a00:1:: reach 10.0.0.1
        if embedded is not None:
            ip = embedded
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        retryable = exc.errno not in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None))
        raise FetchError(f"ホスト名を解決できません: {host} ({exc})", retryable=retryable) from exc
    addresses: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in addresses:
            addresses.append(addr)
    if not addresses:
        raise FetchError(f"ホスト名を解決できません: {host}", retryable=True)
    return addresses


def _check_url(url: httpx.URL, policy: FetchPolicy) -> list[str]:
    """Validate scheme and host of one hop; return its resolved, checked addresses."""
    if url.scheme not in ("http", "https"):
        raise FetchError(f"http/https 以外の URL は取得しません: {url}")
    if not url.host:
        raise FetchError(f"ホストのない URL です: {url}")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = _resolve(url.host, port)
    if not policy.allow_private:
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise FetchError(
                f"プライベート/ループバック/リンクローカル等のアドレスを指す URL は取得しません: "
                f"{url.host} -> {', '.join(refused)}"
            )
    return addresses


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# HTTP

_ssl_context: ssl.SSLContext | None = None


def _default_client() -> httpx.Client:
    global _ssl_context
    if _ssl_context is None:
        import certifi

        _ssl_context = ssl.create_default_context(cafile=certifi.where())
    # trust_env=False: a proxy would resolve names itself and defeat the address check.
    return httpx.Client(verify=_ssl_context, trust_env=False, follow_redirects=False)


def _send(
    client: httpx.Client, url: httpx.URL, addresses: list[str], headers: dict[str, str], deadline: Deadline
) -> httpx.Response:
    """Send a GET for ``url`` to one of its checked ``addresses``; the response is streamed."""
    host_header = url.netloc.decode("ascii")
    extensions: dict[str, object] = {"trace": deadline.trace}
    if not _is_ip_literal(url.host):
        extensions["sni_hostname"] = url.host
    last_exc: Exception | None = None
    for address in addresses:
        request = client.build_request(
            "GET",
            url.copy_with(host=address.split("%", 1)[0]),
            headers={**headers, "Host": host_header},
            timeout=httpx.Timeout(max(deadline.remaining(), 0.01)),  # a socket refuses a negative one
            extensions=extensions,
        )
        try:
            return client.send(request, stream=True, follow_redirects=False)
        except httpx.ConnectError as exc:  # try the next address; timeouts are not retried here
            last_exc = exc
    assert last_exc is not None
    raise last_exc


def _read_body(response: httpx.Response, url: httpx.URL, max_bytes: int, deadline: Deadline) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"本文が大きすぎます ({int(length)} > {max_bytes} バイト): {url}")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"本文が大きすぎます (> {max_bytes} バイト): {url}")
        chunks.append(chunk)
    if deadline.expired:  # a body without a length ends where the deadline cut the connection
        raise _timed_out(url, deadline)
    return b"".join(chunks)


def _timed_out(url: httpx.URL, deadline: Deadline) -> FetchError:
    return FetchError(
        f"タイムアウトしました（{deadline.seconds:g} 秒以内に取得を終えられませんでした）: {url}",
        retryable=True,
    )


def _failure(exc: Exception, url: httpx.URL, deadline: Deadline) -> FetchError:
    """The error for what httpx raised; anything after the deadline cut the connection is a timeout."""
    if deadline.expired or isinstance(exc, httpx.TimeoutException):
        return _timed_out(url, deadline)
    if isinstance(exc, httpx.DecodingError):
        return FetchError(f"本文を復号できません (Content-Encoding): {url}")
    return FetchError(f"接続できません: {url} ({type(exc).__name__}: {exc})", retryable=True)


def fetch(
    url: str,
    policy: FetchPolicy = FetchPolicy(),  # noqa: B008 - frozen, so sharing the default is safe
    *,
    etag: str = "",
    last_modified: str = "",
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET ``url`` politely; raise FetchError when it cannot or must not be fetched."""
    try:
        current = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"URL として読めません: {url!r}") from exc
    # Connection: close, so no request rides on a connection opened before its deadline watched it.
    headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate", "Connection": "close"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    owned = client is None
    http = _default_client() if client is None else client
    try:
        with Deadline(policy.timeout) as deadline:
            for _hop in range(policy.max_redirects + 1):
                current = current.copy_with(fragment=None)
                addresses = _check_url(current, policy)
                if policy.respect_robots and not _robots_allow(current, policy, http):
                    raise FetchError(f"robots.txt により取得が禁止されています: {current}")
                if deadline.remaining() <= 0:
                    raise _timed_out(current, deadline)
                try:
                    with closing(_send(http, current, addresses, headers, deadline)) as response:
                        location = _redirect(response, current)
                        if location is None:
                            return _result(response, current, policy, deadline, etag, last_modified)
                        current = location
                except (httpx.TransportError, httpx.DecodingError) as exc:
                    raise _failure(exc, current, deadline) from exc
            raise FetchError(f"リダイレクトが多すぎます (> {policy.max_redirects}): {url}")
    finally:
        if owned:
            http.close()


def _redirect(response: httpx.Response, url: httpx.URL) -> httpx.URL | None:
    """Where a redirect points, or None for any other answer."""
    status = response.status_code
    if status not in REDIRECT_STATUSES:
        return None
    location = response.headers.get("location", "")
    if not location:
        raise FetchError(f"Location のないリダイレクト ({status}): {url}", status=status)
    return url.join(location)


def _result(
    response: httpx.Response,
    url: httpx.URL,
    policy: FetchPolicy,
    deadline: Deadline,
    etag: str,
    last_modified: str,
) -> FetchResult:
    """The fetched page (or "not modified"); FetchError for an answer that is no page."""
    status = response.status_code
    if status == 304:
        return FetchResult(
            url=str(url),
            status=status,
            content=b"",
            etag=response.headers.get("etag", etag),
            last_modified=response.headers.get("last-modified", last_modified),
            not_modified=True,
        )
    if status == 429 or status >= 500:
        raise FetchError(
            f"サーバーが一時的に応答できません (HTTP {status}): {url}",
            retryable=True,
            retry_after=parse_retry_after(response.headers.get("retry-after")),
            status=status,
        )
    if status >= 400:
        raise FetchError(f"取得できません (HTTP {status}): {url}", status=status)
    if status != 200 and status != 203:
        raise FetchError(f"想定外の応答です (HTTP {status}): {url}", status=status)
    content = _read_body(response, url, policy.max_bytes, deadline)
    content_type = response.headers.get("content-type", "")
    return FetchResult(
        url=str(url),
        status=status,
        content=content,
        content_type=content_type.split(";", 1)[0].strip().lower(),
        charset=(response.charset_encoding or "").strip().lower(),
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
    )


# ---------------------------------------------------------------------------------------------
# robots.txt

_robots_cache: OrderedDict[tuple[str, str, int], tuple[urllib.robotparser.RobotFileParser | None, float]]
_robots_cache = OrderedDict()
_robots_lock = threading.Lock()


def clear_robots_cache() -> None:
    with _robots_lock:
        _robots_cache.clear()


def _robots_allow(url: httpx.URL, policy: FetchPolicy, client: httpx.Client) -> bool:
    key = (url.scheme, url.host, url.port or 0)
    now = time.monotonic()
    parser: urllib.robotparser.RobotFileParser | None
    with _robots_lock:
        cached = _robots_cache.get(key)
        if cached is not None and cached[1] > now:
            _robots_cache.move_to_end(key)
            parser = cached[0]
            return parser is None or parser.can_fetch(policy.user_agent, str(url))
    robots_url = str(url.copy_with(path="/robots.txt", query=None, fragment=None))
    robots_policy = replace(
        policy,
        respect_robots=False,
        timeout=min(policy.timeout, ROBOTS_TIMEOUT),
        max_bytes=ROBOTS_MAX_BYTES,
    )
    parser = None
    ttl = ROBOTS_TTL_OK
    try:
        result = fetch(robots_url, robots_policy, client=client)
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(result.content.decode("utf-8", errors="replace").splitlines())
    except FetchError as exc:
        # 4xx (missing robots.txt): allowed. Anything else (5xx, timeout, refused, too large):
        # allowed as well, but asked again soon.
        if not (400 <= exc.status < 500 and exc.status != 429):
            ttl = ROBOTS_TTL_FAILED
    with _robots_lock:
        _robots_cache[key] = (parser, time.monotonic() + ttl)
        _robots_cache.move_to_end(key)
        while len(_robots_cache) > ROBOTS_CACHE_SIZE:
            _robots_cache.popitem(last=False)
    return parser is None or parser.can_fetch(policy.user_agent, str(url))
