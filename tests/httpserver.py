"""Real servers on 127.0.0.1 for tests: an HTTP server whose routes are functions of the request
handler, and a raw TCP server that drips its answers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Route = Callable[[BaseHTTPRequestHandler], None]


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path.split("?", 1)[0])
                try:
                    if route is None:
                        send(self, 404, b"not found")
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", **headers: str) -> None:
    handler.send_response(status)
    fields = {name.replace("_", "-"): value for name, value in headers.items()}
    fields.setdefault("Content-Type", "text/plain; charset=utf-8")
    for name, value in fields.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


class Dripper:
    """A raw TCP server on 127.0.0.1 that answers each request one byte every ``interval`` seconds,
    for as long as the client listens: its status line and headers (``part="headers"``), or the
    body after headers sent at once, with a Content-Length (``"body"``) or until it closes
    (``"body-until-close"``)."""

    def __init__(self, part: str = "headers", interval: float = 0.2) -> None:
        self.part, self.interval = part, interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = connection.recv(4096)
                if not chunk:
                    return
                request += chunk
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            if self.part == "headers":
                head, drip = b"", head + b"X-Drip: " + b"a" * 100_000
            elif self.part == "body":
                head += b"Content-Length: 100000\r\n\r\n"
                drip = b"<p>" + b"a" * 99_997
            else:
                head += b"Connection: close\r\n\r\n"
                drip = b"<p>" + b"a" * 99_997
            try:
                connection.sendall(head)
                for byte in drip:
                    if self.stopped.wait(self.interval):
                        return
                    connection.sendall(bytes([byte]))
            except OSError:  # the client gave up: what the tests expect
                return


@pytest.fixture
def dripper() -> Iterator[Callable[..., Dripper]]:
    """Starts Dripper servers (``dripper(part)``), stopped after the test."""
    started: list[Dripper] = []

    def start(part: str = "headers", interval: float = 0.2) -> Dripper:
        server = Dripper(part, interval)
        server.thread.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stopped.set()
        server.thread.join()
        server.listener.close()
