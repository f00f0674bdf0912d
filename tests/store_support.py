"""Test support for the corpus tests: documents to batch, and a reader stand-in.

``read`` reads the model's own JSON (``Disclosure.model_dump_json``) so the batch machinery can be
tested whatever the format readers can do; everything else goes to :func:`juesuan.ingest.read`.
Files starting with ``#HANG`` or ``#CRASH`` make the reader loop in Python, block in native code
(a key derivation that ignores signals) or end the process, to test time limits and isolation.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from juesuan.compose import build_disclosure, synth
from juesuan.model import Disclosure

STANDIN = "store_support:read"


def read(path: Path) -> Disclosure:
    from juesuan.ingest import InputError
    from juesuan.ingest import read as real_read

    head = Path(path).read_bytes()[:16]
    if head.startswith(b"{"):
        try:
            doc = Disclosure.model_validate_json(Path(path).read_bytes())
        except ValueError as exc:
            raise InputError(str(path), "不是有效的模型 JSON", code="bad_json") from exc
        doc.metadata.source_path = str(path)
        return doc
    if head.startswith(b"#HANG-PY"):
        while True:
            time.sleep(0.01)
    if head.startswith(b"#HANG-C"):
        hashlib.pbkdf2_hmac("sha256", b"x", b"y", 10**10)  # native code, signals wait
    if head.startswith(b"#CRASH"):
        os._exit(3)
    return real_read(path)


def composed(seed: int, department: str, year: int) -> Disclosure:
    tables, facts = synth(seed=seed, department=department, year=year)
    doc, _ = build_disclosure(tables, facts)
    return doc


def write_json(doc: Disclosure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc.model_dump_json(), encoding="utf-8")
    return path
