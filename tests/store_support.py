"""Test support for the corpus tests: documents to batch, and a reader stand-in.

``read`` reads the model's own JSON (``Disclosure.model_dump_json``) so the batch machinery can be
tested whatever the format readers can do, its claims read from its narrative as a reader reads
them; everything else goes to :func:`juesuan.ingest.read`.
Files starting with ``#HANG`` or ``#CRASH`` make the reader loop in Python, block in native code
(a key derivation that ignores signals) or end the process, to test time limits and isolation;
``#RAISE`` makes it raise an unexpected exception (a bug).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from juesuan.compose import build_disclosure, synth
from juesuan.ingest.narrative import attach_claims
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
        return attach_claims(doc)
    if head.startswith(b"#HANG-PY"):
        while True:
            time.sleep(0.01)
    if head.startswith(b"#HANG-C"):
        hashlib.pbkdf2_hmac("sha256", b"x", b"y", 2**31 - 1)  # native code, signals wait
    if head.startswith(b"#CRASH"):
        os._exit(3)
    if head.startswith(b"#RAISE"):
        raise ZeroDivisionError("a bug in the reader")
    return real_read(path)


def composed(seed: int, department: str, year: int) -> Disclosure:
    tables, facts = synth(seed=seed, department=department, year=year)
    doc, _ = build_disclosure(tables, facts)
    return doc


def write_json(doc: Disclosure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc.model_dump_json(), encoding="utf-8")
    return path


DEPARTMENTS = ["示例市社会保险事业管理局", "示例市统计局", "示例市档案馆"]


def make_inputs(folder: Path, n: int = 6, corrupt: bool = True, txt: bool = False) -> list[Path]:
    """``n`` composed disclosures (departments × 2023/2024) as model JSON (or TXT when ``txt``),
    and, when ``corrupt``, a truncated JSON, an empty file, a binary file and a missing name."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        dept = DEPARTMENTS[i % len(DEPARTMENTS)] + ("" if i < 2 * len(DEPARTMENTS) else f"{i}")
        year = 2023 + (i // len(DEPARTMENTS)) % 2
        doc = composed(seed=100 + i, department=dept, year=year)
        if txt:
            from juesuan.compose.render_txt import render_txt

            p = folder / f"doc{i:03d}.txt"
            p.write_text(render_txt(doc), encoding="utf-8")
        else:
            p = write_json(doc, folder / f"doc{i:03d}.json")
        out.append(p)
    if corrupt:
        (folder / "truncated.json").write_text('{"metadata": {"department": "坏', encoding="utf-8")
        (folder / "empty.txt").write_bytes(b"")
        (folder / "binary.dat").write_bytes(bytes(range(256)) * 8)
        out += [folder / "truncated.json", folder / "empty.txt", folder / "binary.dat"]
    return out


def dataset_rows(out: Path, ds: str, drop: tuple[str, ...] = ("seconds",)) -> list[tuple]:
    """Every row of a dataset as sorted tuples (volatile columns dropped) for row-for-row checks."""
    import json

    import pyarrow.parquet as pq

    rows = []
    for f in sorted((out / ds).glob("*.parquet")):
        t = pq.read_table(f)
        keep = [c for c in t.column_names if c not in drop]
        for r in t.select(keep).to_pylist():
            if r.get("attrs"):
                # the narrative layer's list-grouping attr embeds an object id (differs between
                # processes); everything else must be identical
                attrs = json.loads(r["attrs"])
                attrs.pop("list", None)
                r["attrs"] = json.dumps(attrs, sort_keys=True, ensure_ascii=False)
            rows.append(tuple((k, r[k]) for k in keep))
    return sorted(rows, key=repr)
