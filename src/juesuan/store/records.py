"""One processed document -> rows of the four datasets (plain dicts, Arrow schemas below)."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import math
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..ingest.names import normalise_department as normalise_department  # importable from here too (tests)
from ..model import Disclosure, Finding

SCALE = Decimal("0.000001")
DEC = pa.decimal128(30, 6)

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("path", pa.string()),
        ("size", pa.int64()),
        ("format", pa.string()),
        ("department", pa.string()),
        ("department_norm", pa.string()),
        ("year", pa.int32()),
        ("kind", pa.string()),
        ("unit", pa.string()),
        ("pages", pa.int32()),
        ("status", pa.string()),  # ok | error | timeout
        ("error", pa.string()),
        ("error_code", pa.string()),
        ("n_tables", pa.int32()),
        ("n_error", pa.int32()),
        ("n_warning", pa.int32()),
        ("n_info", pa.int32()),
        ("seconds", pa.float64()),
        ("is_template", pa.bool_()),
        # a disclosure published as several files (narrative and tables): the documents of its
        # parts, comma-separated, on the row of the joined disclosure (``path``: "A + B")
        ("parts", pa.string()),
    ]
)
FACTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("table_index", pa.int32()),
        ("table_kind", pa.string()),
        ("printed_number", pa.string()),
        ("side", pa.string()),
        ("row_key", pa.string()),
        ("row_code", pa.string()),
        ("row_label", pa.string()),
        ("column", pa.string()),
        ("raw", pa.string()),
        ("value", DEC),
        ("page", pa.int32()),
        ("line", pa.int32()),
        ("ref", pa.string()),
        ("bbox", pa.string()),
        ("file", pa.string()),  # the part's file, for a disclosure read from several files
    ]
)
CLAIMS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("claim_index", pa.int32()),
        ("kind", pa.string()),
        ("quantity", pa.string()),
        ("label", pa.string()),
        ("value", DEC),
        ("unit", pa.string()),
        ("year", pa.int32()),
        ("sentence", pa.string()),
        ("section", pa.string()),
        ("page", pa.int32()),
        ("line", pa.int32()),
        ("bound", pa.bool_()),
        ("bindings", pa.string()),
        ("attrs", pa.string()),
        ("unbound_reason", pa.string()),
        ("file", pa.string()),  # the part's file, for a disclosure read from several files
    ]
)
FINDINGS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("finding_index", pa.int32()),
        ("rule_id", pa.string()),
        ("rule_title", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
        ("expected", pa.string()),
        ("found", pa.string()),
        ("difference", DEC),
        ("tolerance", DEC),
        ("arithmetic", pa.string()),
        ("page", pa.int32()),
        ("line", pa.int32()),
        ("locations", pa.string()),
        ("related_doc_id", pa.string()),  # cross-year findings: the other year's document
    ]
)
SCHEMAS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "facts": FACTS,
    "claims": CLAIMS,
    "findings": FINDINGS,
}

def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _jsonable(v: Any) -> Any:
    return str(v) if isinstance(v, Decimal) else v


# One encoder for the JSON text columns: ``json.dumps(x, ensure_ascii=False)`` builds a new encoder
# on every call; ``_JSON.encode(x)`` gives the same text.
_JSON = json.JSONEncoder(ensure_ascii=False)
_DEC_LIMIT = Decimal(10) ** 23


def _dec(v: Decimal | None) -> Decimal | None:
    """An amount for the decimal(30, 6) columns; None for what cannot be held (the raw text stays)."""
    if v is None or not v.is_finite() or abs(v) >= _DEC_LIMIT:
        return None
    return v.quantize(SCALE)


def _bbox_text(b: tuple[float, float, float, float]) -> str:
    """``json.dumps(b)``: for four finite floats (every bbox a reader gives) the same text is
    ``[x0, top, x1, bottom]`` with each number's ``repr``, written here without the encoder."""
    if len(b) == 4:
        x0, top, x1, bottom = b
        if type(x0) is type(top) is type(x1) is type(bottom) is float and all(map(math.isfinite, b)):
            return f"[{x0!r}, {top!r}, {x1!r}, {bottom!r}]"
    return json.dumps(b)


# Rows are built as tuples in the column order of their schema (``SCHEMAS``): a batch worker turns
# a chunk's tuples into Arrow columns at once (``to_tables_from_values``) instead of building a dict
# per cell and letting Arrow look every key up again. ``*_rows`` give the same rows as dicts.


def _as_dicts(schema: pa.Schema, values: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    names = schema.names
    return [dict(zip(names, v, strict=True)) for v in values]


def document_values(
    doc_id: str,
    path: str,
    size: int,
    *,
    doc: Disclosure | None = None,
    findings: list[Finding] | None = None,
    status: str = "ok",
    error: str | None = None,
    error_code: str | None = None,
    seconds: float = 0.0,
    parts: str | None = None,
) -> tuple[Any, ...]:
    """One ``documents`` row (a tuple in the order of ``DOCUMENTS``)."""
    md = doc.metadata if doc else None
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings or []:
        counts[f.severity.value] += 1
    return (
        doc_id,
        path,
        size,
        md.source_format if md else None,
        md.department if md else None,
        normalise_department(md.department) if md else None,
        md.year if md else None,
        md.kind.value if md and md.kind else None,
        md.unit.value if md and md.unit else None,
        md.pages if md else None,
        status,
        error,
        error_code,
        len(doc.tables) if doc else 0,
        counts["error"],
        counts["warning"],
        counts["info"],
        round(seconds, 6),
        bool(md.is_template) if md else False,
        parts,
    )


def document_row(
    doc_id: str,
    path: str,
    size: int,
    *,
    doc: Disclosure | None = None,
    findings: list[Finding] | None = None,
    status: str = "ok",
    error: str | None = None,
    error_code: str | None = None,
    seconds: float = 0.0,
) -> dict[str, Any]:
    values = document_values(
        doc_id, path, size, doc=doc, findings=findings, status=status, error=error,
        error_code=error_code, seconds=seconds,
    )  # fmt: skip
    return dict(zip(DOCUMENTS.names, values, strict=True))


def fact_values(doc_id: str, doc: Disclosure) -> list[tuple[Any, ...]]:
    """Every cell (and every 表头 field, row key ``@field``) in long form, in ``FACTS`` order."""
    out: list[tuple[Any, ...]] = []
    for ti, t in enumerate(doc.tables):
        kind = t.kind.value
        number = t.printed_number
        for r in t.rows:
            side, key, code, label = r.side, r.key, r.code, r.label
            for ck, c in r.cells.items():
                loc = c.loc
                out.append(
                    (
                        doc_id, ti, kind, number, side, key, code, label, ck, c.raw, _dec(c.value),
                        loc.page if loc else None,
                        loc.line if loc else None,
                        loc.ref if loc else None,
                        _bbox_text(loc.bbox) if loc and loc.bbox else None,
                        loc.file if loc else None,
                    )
                )  # fmt: skip
        for fk, c in t.fields.items():
            loc = c.loc
            out.append(
                (
                    doc_id, ti, kind, number, None, "@field", None, None, fk, c.raw, _dec(c.value),
                    loc.page if loc else None,
                    loc.line if loc else None,
                    loc.ref if loc else None,
                    _bbox_text(loc.bbox) if loc and loc.bbox else None,
                    loc.file if loc else None,
                )
            )  # fmt: skip
    return out


def fact_rows(doc_id: str, doc: Disclosure) -> list[dict[str, Any]]:
    return _as_dicts(FACTS, fact_values(doc_id, doc))


def claim_values(doc_id: str, doc: Disclosure) -> list[tuple[Any, ...]]:
    """The narrative claims, in ``CLAIMS`` order."""
    out: list[tuple[Any, ...]] = []
    for i, c in enumerate(doc.claims):
        out.append(
            (
                doc_id,
                i,
                c.kind.value,
                c.quantity,
                c.label,
                _dec(c.value) if isinstance(c.value, Decimal) else None,
                c.unit,
                c.year,
                c.sentence,
                c.section,
                c.loc.page if c.loc else None,
                c.loc.line if c.loc else None,
                bool(c.bindings),
                _JSON.encode([b.model_dump(mode="json") for b in c.bindings]) if c.bindings else "[]",
                _JSON.encode({k: _jsonable(v) for k, v in c.attrs.items()}) if c.attrs else None,
                c.unbound_reason,
                c.loc.file if c.loc else None,
            )
        )
    return out


def claim_rows(doc_id: str, doc: Disclosure) -> list[dict[str, Any]]:
    return _as_dicts(CLAIMS, claim_values(doc_id, doc))


def finding_values(
    doc_id: str, findings: list[Finding], related_doc_id: str | None = None
) -> list[tuple[Any, ...]]:
    """The findings, in ``FINDINGS`` order."""
    out: list[tuple[Any, ...]] = []
    for i, f in enumerate(findings):
        first = next((r.loc for r in f.locations if r.loc), None)
        out.append(
            (
                doc_id,
                i,
                f.rule_id,
                f.rule_title,
                f.severity.value,
                f.message,
                f.expected,
                f.found,
                _dec(f.difference),
                _dec(f.tolerance),
                f.arithmetic,
                first.page if first else None,
                first.line if first else None,
                _JSON.encode([r.model_dump(mode="json") for r in f.locations]),
                related_doc_id,
            )
        )
    return out


def finding_rows(
    doc_id: str, findings: list[Finding], related_doc_id: str | None = None
) -> list[dict[str, Any]]:
    return _as_dicts(FINDINGS, finding_values(doc_id, findings, related_doc_id))


DEFAULT_READER = "juesuan.ingest:read"
# pdfium (and caches in the readers) are not thread-safe: documents processed in threads of one
# process (a Dask worker with several threads, or a LocalCluster without processes) take turns.
# Parallelism comes from processes: one thread per worker process.
_THREAD_LOCK = threading.Lock()
_readers: dict[str, Callable[[Path], Disclosure]] = {}


def resolve_reader(spec: str | None) -> Callable[[Path], Disclosure]:
    """``"module:function"`` -> the function (cached per process, so a worker imports it once)."""
    spec = spec or DEFAULT_READER
    fn = _readers.get(spec)
    if fn is None:
        mod_name, _, attr = spec.partition(":")
        if not attr:
            raise ValueError(f"读取器应写作“模块:函数”，而不是“{spec}”")
        fn = getattr(importlib.import_module(mod_name), attr)
        _readers[spec] = fn
    return fn


def warm_up(reader: str | None = None) -> None:
    """Import the reader, the readers it dispatches to and the rule catalogue once per process,
    then read and check the built-in example: what the pipeline imports or builds on its first
    document (the assembler, the narrative binding, compiled patterns, cached tables) is then
    loaded in the batch's fork server once, not again in every worker."""
    resolve_reader(reader)
    for mod in ("juesuan.ingest.text", "juesuan.ingest.pdf", "juesuan.ingest.office"):
        with contextlib.suppress(ImportError):
            importlib.import_module(mod)
    from ..rules import load_catalogue

    load_catalogue()
    from ..api import example_path

    with contextlib.suppress(Exception):  # warming up only: any problem shows on real documents
        process_file(str(example_path()))


Rows = dict[str, list[tuple[Any, ...]]]  # dataset -> rows as tuples in the order of its schema


def _failed(doc_id: str, path: str, size: int, status: str, code: str, error: str, t0: float) -> Rows:
    row = document_values(
        doc_id, path, size, status=status, error=error, error_code=code, seconds=time.perf_counter() - t0
    )
    return {"documents": [row], "facts": [], "claims": [], "findings": []}


def process_file(path: str, timeout: float | None = None, reader: str | None = None) -> Rows:
    """Read and check one file; never raises (errors become a document row with a status).

    ``reader`` is ``"module:function"`` taking a path and returning a Disclosure as
    :func:`juesuan.ingest.read` does, its claims read (``juesuan.ingest.narrative.attach_claims``)
    (default: the format-sniffing :func:`juesuan.ingest.read`, given the bytes already read and
    hashed here)."""
    from ..ingest import InputError, read_data, read_file_bytes
    from ..rules import run_rules
    from ..runtime.crashlog import internal_message, is_timeout
    from ..runtime.timeout import DocumentTimeout, hard_deadline, time_limit

    t0 = time.perf_counter()
    p = Path(path)
    try:
        data = read_file_bytes(p)  # a regular file within the size limit, else the reason
    except InputError as exc:
        return _failed(content_hash(path.encode("utf-8")), path, 0, "error", exc.code, str(exc), t0)
    doc_id = content_hash(data)
    size = len(data)
    default_reader = (reader or DEFAULT_READER) == DEFAULT_READER
    if not default_reader:
        del data  # a custom reader reads the file itself
    in_thread = threading.current_thread() is not threading.main_thread()
    started = time.monotonic()
    try:
        with (
            _THREAD_LOCK if in_thread else contextlib.nullcontext(),
            hard_deadline(timeout),
            time_limit(timeout),
        ):
            if default_reader:  # what ingest.read(p) does after reading and hashing the file
                doc = read_data(str(p), data, sha256=doc_id)
                del data
            else:
                doc = resolve_reader(reader)(p)
            findings = run_rules(doc)
            result = {
                "documents": [
                    document_values(
                        doc_id, path, size, doc=doc, findings=findings, seconds=time.perf_counter() - t0
                    )
                ],
                "facts": fact_values(doc_id, doc),
                "claims": claim_values(doc_id, doc),
                "findings": finding_values(doc_id, findings),
            }
    except InputError as exc:
        return _failed(doc_id, path, size, "error", exc.code, exc.message, t0)
    except DocumentTimeout:
        return _failed(
            doc_id, path, size, "timeout", "timeout", f"{path}：处理超过时限 {timeout:g} 秒，已跳过", t0
        )
    except RecursionError:
        return _failed(doc_id, path, size, "error", "internal", f"{path}：文档结构嵌套过深，无法处理", t0)
    except MemoryError:
        return _failed(doc_id, path, size, "error", "memory", f"{path}：处理时内存不足，已跳过", t0)
    except Exception as exc:  # a reader bug must not stop the batch; record it, traceback to a log
        if is_timeout(exc, started, timeout):  # e.g. onnxruntime wrapping the timeout during OCR
            return _failed(
                doc_id, path, size, "timeout", "timeout", f"{path}：处理超过时限 {timeout:g} 秒，已跳过", t0
            )
        return _failed(doc_id, path, size, "error", "internal", internal_message(path, exc), t0)
    return result


def process_parts(paths: list[str], part_ids: list[str]) -> Rows:
    """Read and check the files of one disclosure published in parts (its narrative and its tables)
    as one (:func:`juesuan.ingest.read_as_one`); its id is the hash of the parts' hashes, its path
    ``A + B``, and its row names the parts' documents. Never raises (a failure is the row's status)."""
    from ..ingest import InputError, read_as_one
    from ..rules import run_rules

    t0 = time.perf_counter()
    path = " + ".join(paths)
    doc_id = content_hash("+".join(part_ids).encode("ascii"))
    try:
        doc = read_as_one(paths)
        findings = run_rules(doc)
    except InputError as exc:
        return _failed(doc_id, path, 0, "error", exc.code, exc.message, t0)
    except Exception as exc:  # a reader bug must not stop the batch; record it
        return _failed(doc_id, path, 0, "error", "internal",
                       f"{path}：内部错误（{type(exc).__name__}: {exc}），请报告此问题", t0)  # fmt: skip
    size = sum(Path(p).stat().st_size for p in paths)
    return {
        "documents": [document_values(doc_id, path, size, doc=doc, findings=findings,
                                      seconds=time.perf_counter() - t0, parts=",".join(part_ids))],  # fmt: skip
        "facts": fact_values(doc_id, doc),
        "claims": claim_values(doc_id, doc),
        "findings": finding_values(doc_id, findings),
    }


def crashed_row(path: str, seconds: float, timeout: float | None) -> dict[str, Any]:
    """The document row of a file whose worker process died (or hung in native code and was killed)."""
    try:
        data = Path(path).read_bytes()
        doc_id, size = content_hash(data), len(data)
    except OSError:
        doc_id, size = content_hash(path.encode("utf-8")), 0
    if timeout and seconds >= timeout:
        return document_row(doc_id, path, size, status="timeout", error_code="timeout", seconds=seconds,
                            error=f"{path}：处理超过时限 {timeout:g} 秒，处理进程已被终止，已跳过")  # fmt: skip
    return document_row(doc_id, path, size, status="error", error_code="crashed", seconds=seconds,
                        error=f"{path}：处理此文件时进程异常退出（文件可能已损坏），已跳过")  # fmt: skip


def to_tables(rows: dict[str, list[dict[str, Any]]]) -> dict[str, pa.Table]:
    """Rows as dicts -> one Arrow table per dataset."""
    return {ds: pa.Table.from_pylist(rows.get(ds, []), schema=schema) for ds, schema in SCHEMAS.items()}


def tables_from_values(rows: Rows) -> dict[str, pa.Table]:
    """Rows as tuples in schema order -> one Arrow table per dataset, built column by column."""
    out = {}
    for ds, schema in SCHEMAS.items():
        values = rows.get(ds, [])
        if not values:
            out[ds] = pa.Table.from_pylist([], schema=schema)
            continue
        columns = zip(*values, strict=True)
        out[ds] = pa.Table.from_arrays(
            [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)], schema=schema
        )
    return out


def process_chunk(
    paths: list[str], timeout: float | None = None, reader: str | None = None
) -> dict[str, pa.Table]:
    """Process files one after the other; returns one Arrow table per dataset (cheap to send)."""
    out: Rows = {k: [] for k in SCHEMAS}
    for p in paths:
        res = process_file(p, timeout, reader)
        for k, rows in res.items():
            out[k].extend(rows)
    return tables_from_values(out)
