"""Processors for the web tests: the reading step is replaced by a disclosure built from the
compact case form (so the web layer is tested whatever the state of the readers); rules, store,
worker processes and reports are the real ones. Module-level so worker processes can load them."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import yaml

from juesuan.api import check_document
from juesuan.ingest import sniff_format
from juesuan.model import Location
from juesuan.report.extract import long_rows
from juesuan.rules.cases import build_disclosure
from juesuan.web.worker import ProcessError, process_file

SANGONG = {
    "metadata": {"department": "中共上海市普陀区委社会工作部", "year": 2024},
    "tables": [
        {
            "kind": "T09",
            "rows": {
                "total": {"budget": "12.00", "actual": "8.00"},
                "abroad": {"budget": "", "actual": ""},
                "car": {"budget": "8.50", "actual": "6.00"},
                "reception": {"budget": "2.50", "actual": "2.00"},
            },
        }
    ],
}
# Where the fake places each row's cells in the sample PDF (page 14, the 三公 table).
LABELS = {"total": "合计", "abroad": "因公出国", "car": "小计", "reception": "公务接待费"}


def _word_box(pdf: Any, page: int, text: str) -> tuple[float, float, float, float]:
    pg = pdf[page - 1]
    h = pg.get_height()
    tp = pg.get_textpage()
    i, n = tp.search(text).get_next()
    bs = [tp.get_charbox(k) for k in range(i, i + n)]
    return (min(b[0] for b in bs), h - max(b[3] for b in bs), max(b[2] for b in bs), h - min(b[1] for b in bs))


def fake_process(path: str, filename: str, max_pages: int, stage: Callable[[str, int], None]) -> dict[str, Any]:
    with open(path, "rb") as fh:
        data = fh.read()
    fmt = sniff_format(data)
    sizes = None
    stage("reading", 20)
    if fmt == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        sizes = [[float(v) for v in pdf[i].get_size()] for i in range(len(pdf))]
        doc = build_disclosure(SANGONG)
        for r in doc.tables[0].rows:
            bb = _word_box(pdf, 14, LABELS[r.key])
            for k, c in list(r.cells.items()):
                shift = 0.0 if k == "budget" else bb[2] - bb[0] + 4
                r.cells[k] = c.model_copy(update={"loc": Location(page=14, bbox=(bb[0] + shift, bb[1], bb[2] + shift, bb[3]))})
        pdf.close()
    elif fmt == "txt":
        spec = yaml.safe_load(data.decode("utf-8"))
        if not isinstance(spec, dict):
            raise ProcessError(f"{filename}：不是可识别的文档", "not_a_document")
        spec.pop("part", None)  # parts_process's
        doc = build_disclosure(spec)
    else:
        raise ProcessError(f"{filename}：测试处理器不支持此格式", "unsupported")
    doc.metadata.source_path = filename
    doc.metadata.source_format = fmt
    stage("checking", 60)
    findings = check_document(doc, select=["T09"])  # stable whatever rules others add
    return {
        "metadata": doc.metadata.model_dump(mode="json"),
        "findings": [f.model_dump(mode="json") for f in findings],
        "disclosure": doc.model_dump_json(),
        "cells": long_rows(doc),
        "pages": len(sizes) if sizes else None,
        "page_sizes": sizes,
    }


def slow_process(path: str, filename: str, max_pages: int, stage: Callable[[str, int], None]) -> dict[str, Any]:
    stage("reading", 20)
    time.sleep(60)
    raise AssertionError("not reached")


def crash_process(path: str, filename: str, max_pages: int, stage: Callable[[str, int], None]) -> dict[str, Any]:
    os._exit(3)


def parts_process(path: str, filename: str, max_pages: int, stage: Callable[[str, int], None]) -> dict[str, Any]:
    """``fake_process`` for a spec naming the part of a disclosure it stands for (``part:
    narrative|tables|both``), as the real reader judges it."""
    with open(path, "rb") as fh:
        spec = yaml.safe_load(fh.read().decode("utf-8"))
    part = spec.get("part") if isinstance(spec, dict) else None
    out = fake_process(path, filename, max_pages, stage)
    out["part"] = part
    return out


def parts_group_process(
    parts: list[tuple[str, str]], filename: str, max_pages: int, stage: Callable[[str, int], None]
) -> dict[str, Any]:
    """The group's job for ``parts_process`` specs: the tables part's spec checked, the parts named."""
    specs = []
    for path, _ in parts:
        with open(path, "rb") as fh:
            specs.append(yaml.safe_load(fh.read().decode("utf-8")))
    tables = next(s for s in specs if s.get("part") == "tables")
    tables.pop("part")
    doc = build_disclosure(tables)
    findings = check_document(doc, select=["T09"])
    return {
        "metadata": doc.metadata.model_dump(mode="json"),
        "findings": [f.model_dump(mode="json") for f in findings],
        "part": "both",
        "parts": [{"name": name, "pages": None} for _, name in parts],
        "disclosure": doc.model_dump_json(),
        "cells": long_rows(doc),
        "pages": None,
        "page_sizes": None,
    }


def nap_process(path: str, filename: str, max_pages: int, stage: Callable[[str, int], None]) -> dict[str, Any]:
    """The fake processor after a nap of 1.5 s: a job that is still running when a stop begins."""
    stage("reading", 20)
    time.sleep(1.5)
    return fake_process(path, filename, max_pages, stage)


def mixed_process(path: str, filename: str, max_pages: int, stage: Callable[[str, int], None]) -> dict[str, Any]:
    """The real reading and checking for the real samples (``jiangsu-*`` budgets, whose pairs the
    pair views show), the fake one (above) for everything else."""
    if filename.startswith("jiangsu-"):
        return process_file(path, filename, max_pages, stage)
    return fake_process(path, filename, max_pages, stage)
