"""Per-document time limit that works in a process's main thread (SIGALRM) and in worker threads
(Dask runs tasks in a thread pool) by raising asynchronously in the running thread."""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DocumentTimeout(Exception):
    """Raised inside the work when the per-document time limit has passed."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):

        def _alarm(signum: int, frame: object) -> None:
            raise DocumentTimeout()

        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        return
    tid = threading.get_ident()
    done = threading.Event()

    def _fire() -> None:
        if not done.is_set():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(DocumentTimeout))

    timer = threading.Timer(seconds, _fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        done.set()
        timer.cancel()


# --- hard deadline for worker processes -----------------------------------------------------------
# ``time_limit`` cannot interrupt native code (a PDF library looping inside C). In a process that
# exists only to do batch work, a watchdog thread ends the process when a document overruns its
# limit by ``grace`` seconds; the parent sees the worker die, runs the remaining documents again
# and records this one as timed out. Never enabled in a process that does anything else.

_hard = {"enabled": False, "grace": 10.0, "deadline": 0.0}
_watchdog: threading.Thread | None = None
HARD_EXIT_CODE = 70


def enable_hard_deadline(grace: float = 10.0) -> None:
    """Turn the watchdog on for this (worker) process."""
    global _watchdog
    _hard["enabled"] = True
    _hard["grace"] = grace
    if _watchdog is None:
        _watchdog = threading.Thread(target=_watch, name="juesuan-watchdog", daemon=True)
        _watchdog.start()


def _watch() -> None:
    import os
    import time

    while True:
        time.sleep(0.25)
        d = _hard["deadline"]
        if d and time.monotonic() > d:
            os._exit(HARD_EXIT_CODE)


@contextmanager
def hard_deadline(seconds: float | None) -> Iterator[None]:
    if not _hard["enabled"] or not seconds or seconds <= 0:
        yield
        return
    import time

    _hard["deadline"] = time.monotonic() + seconds + _hard["grace"]
    try:
        yield
    finally:
        _hard["deadline"] = 0.0
