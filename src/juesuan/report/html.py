"""Self-contained HTML report: one file, inline CSS and JS, page crops as data URIs.

Also home of :class:`ReportItem` (one checked document with what the forwarded reports need:
its result, the typed disclosure and the original bytes) shared by the XLSX and PDF reports.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..api import DocumentResult, check_document
from ..ingest import InputError, read, sniff_format
from ..model import Disclosure, Finding, Severity
from .crops import PageRenderer, finding_boxes, finding_fragments

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


@dataclass
class ReportItem:
    """One document for the forwarded reports."""

    result: DocumentResult
    doc: Disclosure | None = None
    data: bytes | None = None  # the original file, needed for PDF crops and the annotated PDF
    name: str | None = None  # the name to show (defaults to result.path)

    @property
    def display_name(self) -> str:
        return self.name or Path(self.result.path).name

    @property
    def is_pdf(self) -> bool:
        return self.data is not None and sniff_format(self.data) == "pdf"


def collect(
    paths: Iterable[str],
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
) -> list[ReportItem]:
    """Read and check each file, keeping the disclosure and bytes for the reports."""
    sel = list(select) if select else None
    exc = list(exclude) if exclude else None
    items: list[ReportItem] = []
    for p in paths:
        try:
            doc = read(p)
        except InputError as e:
            items.append(ReportItem(result=DocumentResult(path=str(p), error=e.message, error_code=e.code)))
            continue
        findings = check_document(doc, select=sel, exclude=exc, min_severity=min_severity)
        try:
            data = Path(p).read_bytes()
        except OSError:
            data = None
        items.append(
            ReportItem(result=DocumentResult(path=str(p), metadata=doc.metadata, findings=findings), doc=doc, data=data)
        )
    return items


def rule_families() -> dict[str, str]:
    """Rule id → family, from the catalogue."""
    from ..rules import load_catalogue

    return {rid: cls.family for rid, cls in load_catalogue().items()}


def family_of(rule_id: str, families: dict[str, str]) -> str:
    return families.get(rule_id) or rule_id.split("-", 1)[0]


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("juesuan.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["amount"] = lambda v: "" if v is None else f"{v:,}"
    return env


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
        "md": md,
        "format": FORMAT_NAMES.get(fmt or "", fmt or ""),
        "counts": r.counts(),
        "total": len(findings),
        "families": sorted(by_family.items()),
        "rules": sorted({v["f"].rule_id for v in views}),
        "fam_sev": fam_sev,
        "findings": views,
    }


def render_html(items: list[ReportItem], *, with_images: bool = True, title: str | None = None) -> str:
    """The whole report as one HTML string (no external resources)."""
    families = rule_families()
    docs = [_doc_view(it, families, with_images) for it in items]
    totals = Counter[str]()
    for d in docs:
        totals.update(d["counts"])
    tpl = _env().get_template("report.html")
    return tpl.render(
        title=title or "决算公开核对报告",
        docs=docs,
        totals=totals,
        severities=[(s.value, s.zh) for s in Severity],
        generated=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        version=__version__,
    )


def write_html(items: list[ReportItem], out: Path, **kw: Any) -> None:
    out.write_text(render_html(items, **kw), encoding="utf-8")


def write_forwarded(items: list[ReportItem], fmt: str, out: Path) -> list[str]:
    """Write the ``html``/``xlsx``/``pdf`` report of ``items`` to ``out`` and return Chinese
    lines for the user. The annotated PDF is one file per input: with several inputs ``out`` is
    a folder. Raises ``ValueError`` with a Chinese message when the request cannot be met."""
    if fmt == "html":
        write_html(items, out)
        return [f"已写入 HTML 报告 {out}"]
    if fmt == "xlsx":
        from .xlsx import write_xlsx

        write_xlsx(items, out)
        return [f"已写入 XLSX 报告 {out}"]
    if fmt != "pdf":
        raise ValueError(f"未知的报告格式“{fmt}”")
    from .pdf_annotate import NotAPdfError, annotate_pdf

    readable = [it for it in items if it.result.ok and it.data is not None]
    if not readable:
        raise ValueError("没有可读取的文件，无法生成批注版 PDF。")
    if len(items) > 1:
        out.mkdir(parents=True, exist_ok=True)
    msgs: list[str] = []
    for it in readable:
        assert it.data is not None
        if not it.is_pdf:
            raise NotAPdfError(it.display_name)
        target = out / (Path(it.display_name).stem + ".批注.pdf") if len(items) > 1 else out
        target.write_bytes(annotate_pdf(it.data, it.result.findings, name=it.display_name))
        msgs.append(f"已写入批注版 PDF {target}（{len(it.result.findings)} 条问题）")
    return msgs


__all__ = ["ReportItem", "collect", "render_html", "rule_families", "write_forwarded", "write_html"]
