"""The per-document time limit interrupts work in the main thread and in worker threads."""

from __future__ import annotations

import threading
import time

import pytest

from juesuan.runtime.timeout import DocumentTimeout, time_limit


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(1000))


def test_main_thread_limit() -> None:
    t0 = time.monotonic()
    with pytest.raises(DocumentTimeout), time_limit(0.2):
        _spin(5)
    assert time.monotonic() - t0 < 2


def test_no_limit_when_fast() -> None:
    with time_limit(2):
        _spin(0.01)


def test_worker_thread_limit() -> None:
    outcome: list[str] = []

    def work() -> None:
        try:
            with time_limit(0.2):
                _spin(5)
            outcome.append("finished")
        except DocumentTimeout:
            outcome.append("timeout")

    th = threading.Thread(target=work)
    t0 = time.monotonic()
    th.start()
    th.join(5)
    assert outcome == ["timeout"]
    assert time.monotonic() - t0 < 2
