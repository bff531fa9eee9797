"""`newsdesk serve` as an operator runs it: granian with the site, an access log without client
addresses, and worker processes that end with the server even when it is killed with SIGKILL."""

import contextlib
import functools
import logging
import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest
from granian.log import log_request_builder

from newsdesk.ops import accesslog
from newsdesk.ops.management.commands.serve import ACCESS_LOG_FORMAT, granian_args
from tests.ingest_inputs import ja_text
from tests.processes import children, free_port, newsdesk_env, running, wait_for_server

# Linux answers on all of 127.0.0.0/8: a client on this address is easy to search the log for.
CLIENT_ADDRESS = "127.0.0.2"
# What a request's path would add to the access log as a line of its own, were it not escaped.
FORGED_LINE = '[2001-01-01 00:00:00 +0900] "GET /admin/ HTTP/1.1" 200 1.0ms'


def _env(tmp_path, **settings) -> dict:
    return newsdesk_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"), **settings)


def _serve(tmp_path, port: int, workers: int, env=None, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port), "--workers", str(workers)],
        env=env or _env(tmp_path),
        start_new_session=True,  # the server and its workers in a group of their own, to clean up
        **popen,
    )


def _kill_group(server: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)


@pytest.mark.slow
def test_serve_runs_granian_with_the_site_and_logs_no_client_address(tmp_path):
    port = free_port()
    server = _serve(tmp_path, port, 1, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_server(port, server)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(transport=httpx.HTTPTransport(local_address=CLIENT_ADDRESS), timeout=5) as client:
            response = client.get(f"{base}/")
            assert response.status_code == 200 and "匿名コメント募集中" in response.text
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert client.get(f"{base}/static/newsdesk/site.css").status_code == 200
            assert client.get(f"{base}/no-such-page/").status_code == 404
            assert client.get(f"{base}/x%0A{FORGED_LINE}%0D%1B[2J").status_code == 404
        server.terminate()  # granian stops its workers and exits
        output = server.communicate(timeout=30)[0]
    finally:
        _kill_group(server)
    assert "granian" in output.lower()
    # The access log is on and has each request, without the address it came from.
    assert re.search(r'"GET /static/newsdesk/site\.css HTTP/1\.1" 200 [\d.]+ms', output), output
    assert re.search(r'"GET /no-such-page/ HTTP/1\.1" 404 [\d.]+ms', output), output
    assert CLIENT_ADDRESS not in output
    # The request's newline, carriage return and escape are written escaped, on its own line.
    assert not re.search(r"^\[2001-01-01", output, re.MULTILINE), output
    assert re.search(r'"GET /x\\x0a\[2001-01-01 .*\\x0d\\x1b\[2J HTTP/1\.1" 404 [\d.]+ms$', output, re.M), (
        output
    )


@pytest.mark.slow
def test_serve_stops_with_a_message_when_the_cache_is_unusable(tmp_path):
    env = _env(tmp_path, NEWSDESK_CACHE_URL="disk:///proc/newsdesk-cache")  # not writable, even by root
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "キャッシュに書き込めません" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def access_log(caplog):
    """granian's own access logger, with the filter its workers get (newsdesk/ops/wsgi.py)."""
    escaping = accesslog.EscapeFields()
    logger = logging.getLogger(accesslog.ACCESS_LOGGER)
    logger.addFilter(escaping)
    caplog.set_level(logging.INFO, accesslog.ACCESS_LOGGER)
    try:
        yield log_request_builder(ACCESS_LOG_FORMAT)
    finally:
        logger.removeFilter(escaping)


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/記事/1", "/記事/1"),
        ("/x\n" + FORGED_LINE, "/x\\x0a" + FORGED_LINE.replace('"', '\\"')),
        ('/a"b\\c\r\x1b[31m\x7f\x85', '/a\\"b\\\\c\\x0d\\x1b[31m\\x7f\\x85'),
        ("/rtl\u202egpj.exe\u2028\ufeff", "/rtl\\u202egpj.exe\\u2028\\ufeff"),
        ("/\U000e0041", "/\\U000e0041"),
    ],
)
def test_access_log_fields_are_escaped(access_log, caplog, path, logged):
    request = {"addr_remote": CLIENT_ADDRESS, "path": path, "qs": "", "method": "GET", "scheme": "http"}
    request["protocol"] = "HTTP/1.1"
    access_log(time.time(), time.perf_counter(), request, 404)
    (line,) = caplog.messages
    assert f'"GET {logged} HTTP/1.1" 404 ' in line and "\n" not in line


def test_the_access_log_can_be_left_to_a_proxy():
    assert "--access-log" in granian_args("127.0.0.1", 8000, 2)
    assert "--access-log" not in granian_args("127.0.0.1", 8000, 2, access_log=False)


def _workers(server: subprocess.Popen, count: int, without: tuple[int, ...] = ()) -> list[int]:
    deadline = time.monotonic() + 30
    while len(workers := [pid for pid in children(server.pid) if pid not in without]) < count:
        assert server.poll() is None, "the server exited"
        assert time.monotonic() < deadline, f"granian did not start {count} workers"
        time.sleep(0.1)
    return workers


@pytest.mark.slow
def test_a_dead_worker_is_replaced_and_all_end_with_a_killed_server(tmp_path):
    port = free_port()
    log = tmp_path / "granian.log"
    with log.open("w") as output:
        server = _serve(tmp_path, port, 2, stdout=output, stderr=subprocess.STDOUT)
    restarted = None
    try:
        wait_for_server(port, server)
        first, second = _workers(server, 2)
        os.kill(first, signal.SIGKILL)  # a worker killed for memory is replaced
        workers = _workers(server, 2, without=(first,))
        assert second in workers
        for _ in range(4):
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
            except httpx.TransportError as exc:
                raise AssertionError(f"{exc}; server exit code {server.poll()}:\n{log.read_text()}") from exc

        os.kill(server.pid, signal.SIGKILL)  # the main process only: its workers end with it
        server.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in workers):
            assert time.monotonic() < deadline, "granian's workers outlived it"
            time.sleep(0.1)
        # Nothing holds the port any more. A worker whose threads are still ending (its first
        # thread already a zombie) may reset a connection for a moment first: not an answer.
        deadline = time.monotonic() + 10
        while True:
            with pytest.raises(httpx.TransportError) as refused:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            if isinstance(refused.value, httpx.ConnectError) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert isinstance(refused.value, httpx.ConnectError), refused.value

        restarted = _serve(tmp_path, port, 2, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for_server(port, restarted).status_code == 200
    finally:
        _kill_group(server)
        if restarted is not None:
            _kill_group(restarted)


@pytest.mark.slow
def test_comment_rate_limits_hold_across_worker_processes(tmp_path):
    # Each post on a new connection: the kernel spreads connections over both workers.
    env = _env(tmp_path, NEWSDESK_COMMENT_RATE_THREAD="3/600")
    run = functools.partial(subprocess.run, env=env, capture_output=True, text=True, check=True, timeout=120)
    run([sys.executable, "-m", "newsdesk", "migrate", "-v0"])
    source = tmp_path / "ja.txt"
    source.write_text(ja_text(), encoding="utf-8")
    article = int(
        run([sys.executable, "-m", "newsdesk", "ingest", "--publish", str(source)]).stdout.split("\t")[0]
    )
    port = free_port()
    server = _serve(tmp_path, port, 2, env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_server(port, server)
        statuses = []
        for n in range(12):
            with httpx.Client(timeout=10) as client:
                url = f"http://127.0.0.1:{port}/api/articles/{article}/comments"
                statuses.append(client.post(url, json={"body": f"{n}件目の投稿です。"}).status_code)
    finally:
        _kill_group(server)
    assert statuses == [201] * 3 + [429] * 9
