"""Batch workers end with their batch (issue #19): a worker whose parent is gone (killed with
SIGKILL, no chance to stop its pool) ends itself instead of waiting on its queue forever."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from juesuan.store import open_corpus, run_batch
from juesuan.store.batch import process_alive

SRC = str(Path(__file__).resolve().parent.parent / "src")


def test_process_alive() -> None:
    assert process_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not process_alive(child.pid)  # reaped: gone


def test_orphaned_worker_ends_itself() -> None:
    # the parent starts a "worker" that watches it, prints the worker's pid and waits; the test
    # kills the parent with SIGKILL and the worker must be gone within a few polls
    worker = (
        "import os, sys, time; from juesuan.store.batch import watch_parent; "
        "watch_parent(int(sys.argv[1]), poll=0.1); time.sleep(60)"
    )
    parent = (
        "import subprocess, sys, time, os; "
        f"w = subprocess.Popen([sys.executable, '-c', {worker!r}, str(os.getpid())]); "
        "print(w.pid, flush=True); time.sleep(60)"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    p = subprocess.Popen([sys.executable, "-c", parent], stdout=subprocess.PIPE, env=env, text=True)
    assert p.stdout is not None
    wpid = int(p.stdout.readline())
    assert process_alive(wpid)
    p.kill()
    p.wait()
    deadline = time.monotonic() + 10
    while process_alive(wpid) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = process_alive(wpid)
    if alive:
        os.kill(wpid, 9)
    assert not alive, "the orphaned worker still runs"


def test_batch_reads_a_damaged_text_and_marks_the_place(tmp_path: Path) -> None:
    # one undecodable byte in a real 决算 text: batch reads it as check does (R-003 at the place)
    seed = Path(__file__).resolve().parent.parent / ".." / "shared" / "seeds" / "000_28fcffc144f7be8d.txt"
    if not seed.is_file():
        pytest.skip("the shared seeds are not here")
    data = seed.read_bytes()
    i = len(data) // 2
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "damaged.txt").write_bytes(data[:i] + b"\xff" + data[i + 1 :])
    run_batch([str(tmp_path / "in")], tmp_path / "out", in_process=True)
    con = open_corpus(tmp_path / "out")
    assert con.execute("SELECT status FROM documents").fetchall() == [("ok",)]
    messages = [m for (m,) in con.execute("SELECT message FROM findings WHERE rule_id = 'R-003'").fetchall()]
    assert any("无法解码的字节" in m for m in messages), messages
