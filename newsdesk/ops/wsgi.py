"""The application `newsdesk serve` gives granian: newsdesk.wsgi's, in a worker that ends with
the server.

granian's worker processes outlive a main process killed with SIGKILL (the OOM killer, kill -9)
and go on serving; since granian binds with SO_REUSEPORT, a server restarted on the same port
would then share it with them. Importing this module (granian does so in each worker, before it
serves) ties the worker's life to the main process, and escapes what the worker's access log
writes (newsdesk/ops/accesslog.py).
"""

import multiprocessing
import os
import signal
import sys
import threading
import time

from newsdesk.ops import accesslog

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def exit_with_parent() -> None:
    """End this process when the process that started it through multiprocessing ends (granian
    starts its workers so). Elsewhere (gunicorn forks with os.fork, runserver, tests) nothing
    happens."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if sys.platform == "linux":
        import ctypes

        # The kernel sends the signal when the thread that started this process ends; granian
        # starts and respawns workers from its main thread, so that is when the main process ends.
        if ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent.pid:  # it had already ended
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent.pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


exit_with_parent()
accesslog.install()

from newsdesk.wsgi import application  # noqa: E402

__all__ = ["application"]
