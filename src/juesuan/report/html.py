"""Self-contained HTML report: one file, inline CSS and JS, page crops as data URIs."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..ingest import sniff_format
from ..model import Finding, Severity
from .crops import PageRenderer, finding_boxes, finding_fragments
from .items import ReportItem, family_of, rule_families
from .text import unchecked_lines
from .unchecked import unchecked_rows

# Pages pictured per finding; a finding naming more pages lists them all but shows these.
MAX_CROPS = 4

FORMAT_NAMES = {
    "pdf": "PDF",
    "docx": "Word",
    "xlsx": "Excel",
    "ole": "Excel/Word（旧格式）",
    "html": "网页",
    "txt": "文本",
    "md": "文本",
}


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("juesuan.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["amount"] = amount_text
    env.filters["unit_of_difference"] = difference_unit
    return env


def amount_text(v: object) -> str:
    """An amount as the messages print it: thousands separators and the minus sign −, so one
    report does not mix − and -."""
    if v is None:
        return ""
    text = f"{v:,}"
    return "−" + text[1:] if text.startswith("-") else text


def difference_unit(f: Finding) -> str:
    """What a finding's difference counts: percentage points when the values are percentages."""
    if any(isinstance(v, str) and v.strip().endswith("%") for v in (f.expected, f.found)):
        return " 个百分点"
    return ""


def _doc_view(item: ReportItem, families: dict[str, str], with_images: bool) -> dict[str, Any]:
    r = item.result
    findings = sorted(r.findings, key=Finding.sort_key)
    renderer: PageRenderer | None = None
    if with_images and item.is_pdf and item.data is not None:
        try:
            renderer = PageRenderer(item.data, scale=1.6)
        except Exception:  # an unrenderable PDF still gets a report, without pictures
            renderer = None
    views: list[dict[str, Any]] = []
    try:
        for i, f in enumerate(findings):
            crops: list[dict[str, Any]] = []
            frags: list[Markup] = []
            more = 0
            if renderer is not None:
                pages = renderer.finding_crops(f, item.doc, limit=MAX_CROPS)
                more = len(finding_boxes(f)) - len(pages)
                crops = [{"page": c.page, "src": c.data_uri} for c in pages]
            elif item.doc is not None:
                frags = finding_fragments(item.doc, f)
            views.append(
                {
                    "n": i + 1,
                    "f": f,
                    "family": family_of(f.rule_id, families),
                    "crops": crops,
                    "more_pages": max(0, more),
                    "frags": frags,
                }
            )
    finally:
        if renderer is not None:
            renderer.close()
    by_family = Counter(v["family"] for v in views)
    fam_sev: dict[str, Counter[str]] = {}
    for v in views:
        fam_sev.setdefault(v["family"], Counter())[v["f"].severity.value] += 1
    md = r.metadata
    fmt = md.source_format if md and md.source_format else (sniff_format(item.data) if item.data else None)
    return {
        "name": item.display_name,
        "path": r.path,
        "error": r.error,
        "skipped": r.skipped,
        "md": md,
        "format": FORMAT_NAMES.get(fmt or "", fmt or ""),
        "counts": r.counts(),
        "total": len(findings),
        "families": sorted(by_family.items()),
        "rules": sorted({v["f"].rule_id for v in views}),
        "fam_sev": fam_sev,
        "findings": views,
        # what was not checked: the summary lines, then every place with its reason
        "unchecked_lines": unchecked_lines(r),
        "unchecked": unchecked_rows(r),
    }


def report_title(items: list[ReportItem]) -> str:
    """决算公开核对报告, 预算公开核对报告, or both words when the documents are of both kinds."""
    kinds = {
        "预算" if it.result.metadata.kind.is_budget else "决算"
        for it in items
        if it.result.metadata is not None and it.result.metadata.kind is not None
    }
    return f"{'/'.join(k for k in ('决算', '预算') if k in kinds) or '决算'}公开核对报告"


def render_html(items: list[ReportItem], *, with_images: bool = True, title: str | None = None) -> str:
    """The whole report as one HTML string (no external resources)."""
    families = rule_families()
    docs = [_doc_view(it, families, with_images) for it in items]
    totals = Counter[str]()
    for d in docs:
        totals.update(d["counts"])
    tpl = _env().get_template("report.html")
    return tpl.render(
        title=title or report_title(items),
        docs=docs,
        totals=totals,
        severities=[(s.value, s.zh) for s in Severity],
        generated=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        version=__version__,
    )


def write_html(items: list[ReportItem], out: Path, **kw: Any) -> None:
    out.write_text(render_html(items, **kw), encoding="utf-8")


__all__ = ["render_html", "write_html"]
