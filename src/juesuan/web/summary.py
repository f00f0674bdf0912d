"""The bureau's own summary across organisations as XLSX: findings by organisation, by rule
family and by year, and who has not published. Counts follow the reviewers' decisions: a
dismissed finding is not counted as a defect (it is counted apart, as dismissed)."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from ..report.items import family_of, rule_families
from .auth import Identity, reader
from .organizations import matrix
from .triage import summaries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEVERITIES = ("error", "warning", "info")


def finding_rows(a: Any) -> list[dict[str, Any]]:
    """Every present finding with its decision (None when undecided)."""
    return a.store.query(  # type: ignore[no-any-return]
        "SELECT f.doc_id, f.rule_id, f.severity, d.decision FROM findings f "
        "LEFT JOIN decisions d ON d.doc_id=f.doc_id AND d.fingerprint=f.fingerprint"
    )


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    ws.freeze_panes = "A2"
    for i, h in enumerate(header, start=1):
        width = max([len(str(h))] + [len(str(r[i - 1])) for r in rows if r[i - 1] is not None]) * 2 + 2
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(width, 60)


def summary_xlsx(a: Any) -> bytes:
    docs = summaries(a)
    by_id = {d["id"]: d for d in docs}
    families = rule_families()
    # per document and per family: defects (not dismissed) by severity, confirmed, dismissed
    per_doc: dict[str, Counter[str]] = {}
    per_family: dict[str, Counter[str]] = {}
    per_year: dict[Any, Counter[str]] = {}
    for f in finding_rows(a):
        d = by_id.get(f["doc_id"])
        if d is None:
            continue
        counters = (
            per_doc.setdefault(f["doc_id"], Counter()),
            per_family.setdefault(family_of(f["rule_id"], families), Counter()),
            per_year.setdefault((d["year"] or "未识别", d["kind"] or "未识别"), Counter()),
        )
        for c in counters:
            if f["decision"] == "dismissed":
                c["dismissed"] += 1
            else:
                c[f["severity"]] += 1
                if f["decision"] == "confirmed":
                    c["confirmed"] += 1
    wb = Workbook()
    wb.remove(wb.active)
    counts = ["错误", "警告", "提示", "已确认", "已排除"]

    def nums(c: Counter[str]) -> list[int]:
        return [c["error"], c["warning"], c["info"], c["confirmed"], c["dismissed"]]

    _sheet(
        wb,
        "按单位",
        ["单位", "单位编码", "部门（文件所载）", "年度", "类型", "文件", "状态", "审核状态", *counts, "上传人", "上传时间"],
        [
            [
                (d["organization"] or {}).get("name") or "（未归属）",
                (d["organization"] or {}).get("code"),
                d["department"],
                d["year"],
                d["kind"],
                d["filename"],
                {"queued": "排队中", "running": "处理中", "done": "完成", "failed": "失败"}.get(d["status"], d["status"]),
                d["review"]["state_zh"],
                *nums(per_doc.get(d["id"], Counter())),
                d["uploaded_by"],
                (d["created_at"] or "").replace("T", " "),
            ]
            for d in sorted(docs, key=lambda d: ((d["organization"] or {}).get("code") or "~", -(d["year"] or 0), d["kind"] or ""))
        ],
    )
    _sheet(wb, "按规则族", ["规则族", *counts], [[fam, *nums(c)] for fam, c in sorted(per_family.items())])
    _sheet(
        wb,
        "按年度",
        ["年度", "类型", "文件数", *counts],
        [
            [y, k, sum(1 for d in docs if (d["year"] or "未识别", d["kind"] or "未识别") == (y, k)), *nums(c)]
            for (y, k), c in sorted(per_year.items(), key=lambda x: (str(x[0][0]), str(x[0][1])), reverse=True)
        ],
    )
    m = matrix(a.organizations.tree(), docs)
    _sheet(
        wb,
        "未公开",
        ["单位", "单位编码", "地区", "年度", "类型"],
        [
            [r["name"], r["code"], r["region"], col["year"], col["kind"]]
            for r in m["rows"]
            for col in m["columns"]
            if r["cells"][col["key"]]["state"] == "missing"
        ],
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def summary_router() -> APIRouter:
    router = APIRouter(tags=["报告"])

    @router.get("/api/summary.xlsx", summary="全部单位的汇总表（XLSX）：按单位、按规则族、按年度、未公开")
    def get_summary(request: Request, who: Identity = Depends(reader)) -> Response:
        a = request.app.state.juesuan
        body = summary_xlsx(a)
        a.decisions.log(who.name, "summary", None)
        disp = "attachment; filename=summary.xlsx; filename*=UTF-8''%E5%AE%A1%E6%A0%B8%E6%B1%87%E6%80%BB.xlsx"  # 审核汇总
        return Response(body, media_type=XLSX, headers={"Content-Disposition": disp})

    return router
