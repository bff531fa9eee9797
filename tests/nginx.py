"""A real nginx (Debian's, with its cache-purge module) running the documented configuration
(docs/nginx.conf) in front of a `newsdesk serve`, for tests/test_nginx_cache.py and bench/pages.py.

The documented file is used as written, with its ports and folders replaced: each replaced text
must be there, so the test fails when the document changes under it rather than testing something
else.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

NGINX = Path("/usr/sbin/nginx")
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
DOCUMENTED = Path(__file__).resolve().parent.parent / "docs" / "nginx.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")


def available() -> bool:
    return NGINX.exists() and PURGE_MODULE.exists()


def documented_site(port: int, purge_port: int, upstream_port: int, cache: Path, static: Path) -> str:
    """docs/nginx.conf with this run's ports and folders."""
    text = DOCUMENTED.read_text(encoding="utf-8")
    for documented, ours in {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "listen 127.0.0.1:8081;": f"listen 127.0.0.1:{purge_port};",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "/var/cache/nginx/newsdesk ": f"{cache} ",
        "alias /var/lib/newsdesk/static/;": f"alias {static}/;",
    }.items():
        assert text.count(documented) == 1, f"docs/nginx.conf no longer has {documented!r}"
        text = text.replace(documented, ours)
    return text


def start(folder: Path, site: str, port: int, workers: str = "1") -> subprocess.Popen:
    """nginx in the foreground with ``site`` in its http block, ``workers`` worker processes
    (``auto``: one per core) and its files under ``folder``; returns once it answers on ``port``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.conf").write_text(site, encoding="utf-8")
    temp = folder / "temp"
    temp.mkdir(exist_ok=True)
    paths = " ".join(
        f"{name}_temp_path {temp / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"load_module {PURGE_MODULE};\n"
        # As root, workers would switch to nobody, who cannot read a test's folders; otherwise ignored.
        f"user {getpass.getuser()};\n"
        f"worker_processes {workers};\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        # sendfile as Debian's own nginx.conf sets it; no access log, as newsdesk's in the benchmark.
        f"http {{ include {MIME_TYPES}; sendfile on; tcp_nopush on; access_log off; {paths} "
        f"include {folder / 'site.conf'}; }}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while not _answers(port):
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {process.stderr.read().decode() if process.stderr else ''}")
        if time.monotonic() > deadline:
            stop(process)
            raise RuntimeError("nginx did not start")
        time.sleep(0.1)
    return process


def _answers(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/static/", timeout=2)
    except httpx.TransportError:
        return False
    return True


def stop(process: subprocess.Popen) -> None:
    """nginx's fast shutdown; its workers too (their own process group) if it does not end."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
