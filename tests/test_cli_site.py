"""The `newsdesk` command as a new user meets it: one site per user whichever folder a command runs
in, a database set up by the first command that needs it (never a traceback), and a demo that
refuses a port in use and leaves no process behind when it is stopped."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from newsdesk import conf
from newsdesk.ops.processes import refuse_port_in_use
from tests.ingest_inputs import JA_PARAGRAPHS, ja_text
from tests.processes import free_port, newsdesk_env, running, wait_for_server

pytestmark = pytest.mark.slow


def _user_env(home: Path, **settings: str) -> dict[str, str]:
    """A user's environment with nothing configured: HOME, and no XDG_DATA_HOME unless given."""
    env = newsdesk_env(HOME=str(home), **settings)
    if "XDG_DATA_HOME" not in settings:
        env.pop("XDG_DATA_HOME", None)
    return env


def _newsdesk(*args: str, env: dict[str, str], cwd: Path, stdin: str | None = None, timeout: float = 180):
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _folders(tmp_path: Path, *names: str) -> list[Path]:
    folders = [tmp_path / name for name in names]
    for folder in folders:
        folder.mkdir()
    return folders


def test_commands_from_two_folders_act_on_one_site(tmp_path):
    home, first, second, elsewhere = _folders(tmp_path, "home", "a", "b", "xdg")
    source = tmp_path / "ja.txt"
    source.write_text(ja_text(), encoding="utf-8")
    env = _user_env(home)

    ingested = _newsdesk("ingest", str(source), env=env, cwd=first)
    assert ingested.returncode == 0, ingested.stderr
    site = home / ".local" / "share" / "newsdesk"
    assert f"データベースを作成しました: {site / 'newsdesk.sqlite3'}" in ingested.stderr
    status = _newsdesk("status", env=env, cwd=second)
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines()[0] == "記事 1 件"
    assert status.stderr == ""  # nothing left to set up
    assert status.stdout.splitlines()[-1] == f"データフォルダ: {site}"
    assert list(first.iterdir()) == [] and list(second.iterdir()) == []  # no ./data anywhere

    # XDG_DATA_HOME, when set, is where the user's data goes: another, empty, site.
    other = _newsdesk("status", env=_user_env(home, XDG_DATA_HOME=str(elsewhere)), cwd=second)
    assert other.returncode == 0, other.stderr
    assert other.stdout.splitlines()[0] == "記事 0 件"
    assert (elsewhere / "newsdesk" / "newsdesk.sqlite3").is_file()


def test_a_new_data_folder_is_set_up_by_status_and_untouched_by_summarize(tmp_path):
    site, tools = tmp_path / "site", tmp_path / "tools"
    status = _newsdesk("status", env=newsdesk_env(NEWSDESK_DATA_DIR=str(site)), cwd=tmp_path)
    assert status.returncode == 0 and "Traceback" not in status.stderr, status.stderr
    assert status.stdout.splitlines()[0] == "記事 0 件"
    assert "データベースを作成しました" in status.stderr

    env = newsdesk_env(NEWSDESK_DATA_DIR=str(tools))
    summary = _newsdesk(
        "summarize", "--sentences", "2", env=env, cwd=tmp_path, stdin="\n".join(JA_PARAGRAPHS)
    )
    assert summary.returncode == 0, summary.stderr
    assert len(summary.stdout.splitlines()) == 2
    for args in (["--help"], ["help", "ingest"], ["status", "--help"], ["ingest", "--help"]):
        shown = _newsdesk(*args, env=env, cwd=tmp_path)
        assert shown.returncode == 0 and shown.stdout, shown.stderr
    assert not (tools / "newsdesk.sqlite3").exists()


@pytest.fixture
def empty_postgres():
    base = conf.get("NEWSDESK_TEST_DATABASE_URL")
    if not base.startswith(("postgres://", "postgresql://")):
        pytest.skip("NEWSDESK_TEST_DATABASE_URL is not PostgreSQL")
    import psycopg

    name = f"newsdesk_cli_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_on_postgresql_a_database_never_set_up_names_the_command_to_run(tmp_path, empty_postgres):
    env = newsdesk_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"), NEWSDESK_DATABASE_URL=empty_postgres)
    commands = (
        ["status"],
        ["createsuperuser", "--noinput", "--username", "x"],
        ["dumpdata", "articles"],
        ["serve", "--port", str(free_port())],  # the operator migrates a shared database, not serve
    )
    for args in commands:
        done = _newsdesk(*args, env=env, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert "先に `newsdesk migrate` を実行してください" in done.stderr
        assert "Traceback" not in done.stderr
    assert _newsdesk("migrate", "-v0", env=env, cwd=tmp_path).returncode == 0
    done = _newsdesk("status", env=env, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("記事 0 件"), done.stderr


@pytest.mark.parametrize("command", ["demo", "serve"])
@pytest.mark.parametrize("reuse_port", [False, True], ids=["plain", "SO_REUSEPORT"])
def test_a_port_in_use_is_refused_before_anything_starts(tmp_path, command, reuse_port):
    data = tmp_path / "data"
    with socket.socket() as taken:
        if reuse_port:  # as granian binds: another demo or server
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _newsdesk(
            command, "--port", str(port), env=newsdesk_env(NEWSDESK_DATA_DIR=str(data)), cwd=tmp_path
        )
    assert done.returncode == 1
    assert f"ポート {port} はすでに使われています" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr
    assert "サンプル記事" not in done.stdout and "待ち受けます" not in done.stdout
    assert not (data / "newsdesk.sqlite3").exists()  # nothing set up, nothing started


def _pgid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[2])
    except (FileNotFoundError, ProcessLookupError):
        return 0


def _alive(pid: int) -> bool:
    """Whether any thread of the process is still running. The first thread of a process killed
    with SIGKILL can be a zombie while the others still end, holding its sockets open a moment."""
    try:
        return any(running(int(task.name)) for task in Path(f"/proc/{pid}/task").iterdir())
    except (FileNotFoundError, ProcessLookupError):
        return False


def _group(pgid: int) -> set[int]:
    """The live processes of a process group."""
    return {
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _pgid(int(entry.name)) == pgid and _alive(int(entry.name))
    }


@pytest.mark.parametrize(
    ("signum", "to_group"),
    [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True), (signal.SIGKILL, False)],
    # Ctrl-C: the terminal signals the whole foreground group. kill -9: the demo cannot stop anything
    # itself; the kernel ends its children with it, and granian's workers with granian.
    ids=["kill", "kill-INT", "Ctrl-C", "kill-9"],
)
def test_a_stopped_demo_leaves_no_process_and_frees_its_port(tmp_path, signum, to_group):
    port = free_port()
    log = tmp_path / "demo.log"
    with log.open("w") as output:
        demo = subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "demo", "--port", str(port)],
            env=newsdesk_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"), NEWSDESK_WEB_WORKERS="2"),
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a group of its own, as a shell gives a job
        )
    try:
        try:
            front = wait_for_server(port, demo, timeout=180)
            assert front.status_code == 200
            # Its links name the port it serves on (canonical, feeds, short and share links).
            assert f'href="http://127.0.0.1:{port}/"' in front.text and "127.0.0.1:8000" not in front.text
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{log.read_text()}") from exc
        # The demo, its worker, granian and granian's two workers.
        deadline = time.monotonic() + 30
        while len(started := _group(demo.pid)) < 5:
            assert time.monotonic() < deadline, f"{started}\n{log.read_text()}"
            time.sleep(0.1)

        if to_group:
            os.killpg(demo.pid, signum)
        else:
            demo.send_signal(signum)
        code = demo.wait(timeout=60)
        if signum == signal.SIGKILL:
            deadline = time.monotonic() + 10
            while _group(demo.pid):
                assert time.monotonic() < deadline, f"{_group(demo.pid)} outlived the demo"
                time.sleep(0.1)
        else:
            assert code == 0, log.read_text()
            assert _group(demo.pid) == set(), log.read_text()  # nothing of its group left once it exits
            assert "停止しました。" in log.read_text()
        assert not any(_alive(pid) for pid in started)
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
        refuse_port_in_use("127.0.0.1", port)  # free for the next server, SO_REUSEPORT or not
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(demo.pid, signal.SIGKILL)
        demo.wait(timeout=10)
