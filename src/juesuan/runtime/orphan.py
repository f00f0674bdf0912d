"""A worker process that outlives the program it works for is an orphan nobody will collect:
killing a batch's parent alone used to leave its workers running. ``die_with(pid)`` starts a
watchdog thread that ends this process when ``pid`` is gone (polled, so it also works for
workers forked by a fork server, whose parent is the server, not the program)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

POLL = 1.0  # seconds between checks


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (pid reused): treat as gone
        return False
    try:  # a zombie (killed, not yet reaped by its own parent) is gone for our purpose
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:  # no /proc (not Linux): signal 0 is the answer
        return True


def die_with(pid: int, *, poll: float = POLL, end: Callable[[], None] | None = None) -> threading.Thread:
    """Watch ``pid``; when it has exited, call ``end`` (default: leave this process at once)."""

    def _exit() -> None:
        os._exit(0)  # no cleanup: the parent that would use the results is gone

    stop = end or _exit

    def watch() -> None:
        while alive(pid):
            time.sleep(poll)
        stop()

    t = threading.Thread(target=watch, name="juesuan-orphan-watch", daemon=True)
    t.start()
    return t


__all__ = ["alive", "die_with"]
