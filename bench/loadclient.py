"""A small HTTP/1.1 load client on asyncio streams, cheap enough not to be the bottleneck.

A thread per poster with httpx spent about as much CPU per request as the servers it measured on a
2-core machine. This client builds each request as bytes, keeps the connection open when the
server allows it (as a browser does) and reconnects when the server closes it (gunicorn's sync
workers close after every response), and can bind each simulated reader to its own loopback
address (127.0.0.0/8 is all local), so that a server sees several posters, not one.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Response:
    status: int
    body: bytes


@dataclass
class Connection:
    host: str
    port: int
    source: str | None = None
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    latencies: list[float] = field(default_factory=list)
    last: Response | None = None

    async def request(self, method: str, target: str, payload=None, headers: dict | None = None) -> Response:
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if payload is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        started = time.perf_counter()
        if self.writer is None:
            local = (self.source, 0) if self.source else None
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, local_addr=local)
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, close = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and b"close" in value.lower():
                close = True
        data = await self.reader.readexactly(length)
        if close:
            self.close()
        self.latencies.append(time.perf_counter() - started)
        self.last = Response(status, data)
        return self.last

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


def run(clients: int, work, sources: bool = False) -> float:
    """Run ``work(n, connect)`` for n in range(clients) concurrently; the elapsed seconds.

    ``connect(host, port)`` gives a Connection, from its own loopback address when ``sources``.
    """

    async def main() -> float:
        def connect(n: int):
            return lambda host, port: Connection(
                host, port, f"127.0.{n // 250}.{n % 250 + 2}" if sources else None
            )

        started = time.perf_counter()
        await asyncio.gather(*(work(n, connect(n)) for n in range(clients)))
        return time.perf_counter() - started

    return asyncio.run(main())


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) a process and all its descendants have used so far (Linux /proc).

    Unlike requests per second, this hardly moves when another tenant of a shared machine takes
    the CPU for a while.
    """
    parents, ticks = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        pid = int(entry.name)
        parents[pid], ticks[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    tree = {root}
    while grown := {pid for pid, parent in parents.items() if parent in tree} - tree:
        tree |= grown
    return sum(ticks.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")
