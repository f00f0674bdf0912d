"""The garbage-collector pause around reading and checking leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from juesuan.ingest import InputError, read_data
from juesuan.rules import run_rules
from juesuan.runtime.gcpause import gc_paused


def test_pause_restores_enabled_collector_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_pause_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_pauses_enable_once_at_the_outer_end() -> None:
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_read_and_check_leave_the_collector_enabled() -> None:
    from juesuan.api import example_path

    data = example_path().read_bytes()
    doc = read_data("example.txt", data)
    assert gc.isenabled()
    assert run_rules(doc)
    assert gc.isenabled()
    with pytest.raises(InputError):
        read_data("bad.pdf", b"%PDF-1.7\n garbage")
    assert gc.isenabled()
