"""Batch reads a damaged text as check does (issue #19). (Workers ending with their batch:
tests/test_orphan.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.store import open_corpus, run_batch

SRC = str(Path(__file__).resolve().parent.parent / "src")


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
