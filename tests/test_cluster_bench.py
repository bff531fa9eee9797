"""bench/cluster.py --quick: PostgreSQL, Redis, two web processes and two workers as real
processes; 40 articles ingested from a local feed while readers read and posters comment, one
worker killed mid-pipeline and its article resumed by the other; every check passes (exit 0)."""

import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from newsdesk import conf

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = conf.get("NEWSDESK_TEST_DATABASE_URL")
REDIS_URL = conf.get("NEWSDESK_TEST_REDIS_URL")


@pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")) or not REDIS_URL,
    reason="needs PostgreSQL and Redis (NEWSDESK_TEST_DATABASE_URL, NEWSDESK_TEST_REDIS_URL)",
)
def test_quick_cluster_run_passes_every_check():
    redis_base = urlunsplit(urlsplit(REDIS_URL)._replace(path=""))
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "cluster.py"),
            "--quick",
            "--database-url",
            DATABASE_URL,
            "--database-name",
            f"newsdesk_cluster_{uuid.uuid4().hex[:8]}",
            "--redis-url",
            redis_base,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert "killed worker" in done.stdout and "interrupted: article" in done.stdout, done.stdout
    assert "all checks passed" in done.stdout
