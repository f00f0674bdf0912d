"""Workers end when the program they work for is gone (a batch parent killed alone)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from juesuan.runtime.orphan import alive, die_with


def test_watchdog_ends_when_the_watched_process_is_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ended = threading.Event()
    t = die_with(child.pid, poll=0.05, end=ended.set)
    assert alive(child.pid) and not ended.wait(0.3)
    child.kill()
    child.wait()
    assert ended.wait(5) and not alive(child.pid)
    t.join(1)


def test_a_zombie_is_not_alive() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    end = time.monotonic() + 10
    while alive(child.pid) and time.monotonic() < end:  # exited, not yet reaped: a zombie
        time.sleep(0.05)
    assert not alive(child.pid)
    child.wait()


def test_a_batch_worker_exits_when_its_parent_is_killed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A process started with the batch's worker initialiser dies within seconds of its parent."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys, time, multiprocessing as mp\n"
        "from juesuan.store.batch import _worker_init\n"
        "def work(parent):\n"
        "    _worker_init(None, None, 1.0, parent)\n"
        "    time.sleep(60)\n"
        "if __name__ == '__main__':\n"
        "    p = mp.get_context('spawn').Process(target=work, args=(os.getpid(),))\n"
        "    p.start()\n"
        "    print(p.pid, flush=True)\n"
        "    time.sleep(60)\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    time.sleep(1.0)
    assert alive(worker)
    parent.kill()
    parent.wait()
    end = time.monotonic() + 30
    while alive(worker) and time.monotonic() < end:
        time.sleep(0.2)
    assert not alive(worker)  # exited (a zombie until init reaps it counts as gone)
