"""What every fuzz test shares: the two hypothesis profiles and the per-example CPU deadline.

``NEWSDESK_FUZZ`` picks the profile: unset (or ``ci``), a short, derandomized run that
``scripts/test`` (so CI) makes on every change; ``long``, the campaign: rounds of examples, each
test run again and again until ``NEWSDESK_FUZZ_SECONDS`` (600 by default) have passed (see
``conftest.py``), with inputs up to megabytes and the failures kept in ``.hypothesis/``.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, settings

LONG = os.environ.get("NEWSDESK_FUZZ", "ci") == "long"
CAMPAIGN_SECONDS = float(os.environ.get("NEWSDESK_FUZZ_SECONDS", "600"))

_SLOW_IS_FINE = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.filter_too_much,
]
settings.register_profile(
    "ci",
    max_examples=60,
    # Our own deadline (below) counts CPU time, so a busy CI machine does not fail a test.
    deadline=None,
    # The same inputs on every run: CI fails on a change, never on a draw; nothing is written.
    derandomize=True,
    database=None,
    suppress_health_check=_SLOW_IS_FINE,
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=100,  # one round; conftest.py runs rounds until the campaign's time is up
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
    print_blob=True,
)
FUZZ = settings.get_profile("long" if LONG else "ci")

# How often one piece of an input may be repeated ("huge repetition"), and how deep markup nests.
MAX_REPEAT = 200_000 if LONG else 3_000
MAX_DEPTH = 5_000 if LONG else 400

# CPU seconds an example may take: a floor, and a rate no parser should fall below (a parser that
# is quadratic in its input fails on the long inputs, however fast it is on short ones).
BASE_SECONDS = 10.0
SECONDS_PER_CHAR = 20e-6  # 50,000 characters (or bytes) a second

examples = 0  # examples run, for the campaign's report


class Hang(Exception):
    """An example ran past its deadline: a hang, or work that grows faster than its input."""


@contextmanager
def deadline(size: int) -> Iterator[None]:
    """Fails the example (:class:`Hang`) when the body takes more CPU time than an input of
    ``size`` characters deserves. The timer interrupts a loop that would never end; it fires
    again every second in case the code under test swallows the first one."""
    global examples
    examples += 1
    limit = BASE_SECONDS + size * SECONDS_PER_CHAR

    def expired(signum, frame):
        raise Hang(f"more than {limit:.1f} s of CPU for an input of {size:,} characters")

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, limit, 1.0)
    start = time.process_time()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    used = time.process_time() - start
    if used > limit:
        raise Hang(f"{used:.1f} s of CPU (limit {limit:.1f} s) for an input of {size:,} characters")
