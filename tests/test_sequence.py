"""The count of moves that one machine's processes share (newsdesk.core.sequence): what one
process adds, another reads at once, and no addition is lost when several add at the same time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.cache import caches

from newsdesk.core import sequence
from newsdesk.site import versions

ADVANCE = "from newsdesk.core.sequence import Sequence; c = Sequence({path!r})\nfor _ in range({times}): c.advance()"


def other_process(path: str, times: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", ADVANCE.format(path=path, times=times)])


def test_another_process_reads_each_addition_at_once(tmp_path):
    path = str(tmp_path / sequence.FILE_NAME)
    mine = sequence.Sequence(path)
    assert mine.read() == 0
    assert other_process(path, 3).wait(30) == 0
    assert mine.read() == 3


def test_processes_adding_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / sequence.FILE_NAME)
    children = [other_process(path, 20_000) for _ in range(4)]
    mine = sequence.Sequence(path)
    for _ in range(20_000):
        mine.advance()
    assert [child.wait(60) for child in children] == [0] * 4
    assert mine.read() == 100_000


def test_a_folder_it_cannot_write_means_no_count(tmp_path):
    if os.geteuid() == 0:
        assert sequence.beside(str(tmp_path / "missing" / "folder")) is None
    else:
        tmp_path.chmod(0o500)
        assert sequence.beside(str(tmp_path)) is None


@pytest.mark.django_db
def test_moves_and_a_cleared_cache_are_counted():
    store = caches["default"]
    count = versions.moves(store)
    if count is None:
        pytest.skip("the tests' cache is not the disk cache")
    before = count.read()
    versions.bump(store)
    assert count.read() == before + 1
    store.clear()  # every number gone: each process must read them again
    assert count.read() == before + 2
    versions.current(store)  # the site's number made anew
    assert count.read() == before + 3
