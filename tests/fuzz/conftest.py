"""The fuzz tests' marker and, with ``NEWSDESK_FUZZ=long``, the campaign loop and its report.

A campaign runs each selected test's hypothesis run again and again (each round a fresh random
start, ``max_examples`` of the ``long`` profile per round) until ``NEWSDESK_FUZZ_SECONDS`` have
passed or an example fails, then prints, per test, the seconds, the rounds and the examples run.
``NEWSDESK_FUZZ_REPORT=path`` also appends them to that file, one JSON object a line.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from tests.fuzz import harness

_campaigns: list[dict] = []


def pytest_configure(config):
    config.addinivalue_line("markers", "fuzz: property-based fuzz test of a parser (tests/fuzz)")


def pytest_collection_modifyitems(items):
    # A failing input of megabytes is shown shortened; hypothesis warns, and the suite makes
    # warnings errors, which would hide the failure itself.
    for item in items:
        if item.get_closest_marker("fuzz") is not None:
            item.add_marker(pytest.mark.filterwarnings("ignore:Generating overly large repr"))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    fuzzed = getattr(pyfuncitem.obj, "is_hypothesis_test", False)
    if not harness.LONG or not fuzzed or pyfuncitem.get_closest_marker("fuzz") is None:
        return None
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    start, rounds = time.monotonic(), 0
    harness.examples = 0
    outcome = "passed"
    try:
        while True:
            rounds += 1
            pyfuncitem.obj(**args)
            if time.monotonic() - start >= harness.CAMPAIGN_SECONDS:
                break
    except BaseException:
        outcome = "failed"
        raise
    finally:
        record = {
            "test": pyfuncitem.nodeid,
            "seconds": round(time.monotonic() - start, 1),
            "rounds": rounds,
            "examples": harness.examples,
            "outcome": outcome,
        }
        _campaigns.append(record)
        if path := os.environ.get("NEWSDESK_FUZZ_REPORT"):
            with open(path, "a", encoding="utf-8") as report:
                report.write(json.dumps(record) + "\n")
    return True


def pytest_terminal_summary(terminalreporter):
    if not _campaigns:
        return
    terminalreporter.section("fuzz campaign")
    for c in _campaigns:
        terminalreporter.write_line(
            f"{c['test']}: {c['seconds']} s, {c['rounds']} rounds, {c['examples']} examples, {c['outcome']}"
        )
