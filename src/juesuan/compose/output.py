"""Writing composed documents (TXT, HTML, DOCX, PDF) and the blank template."""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..ingest.errors import InputError
from ..model import Disclosure
from .document import ComposeResult
from .facts import FACTS_TEMPLATE
from .workbook import write_workbook

FORMATS = ("txt", "html", "docx", "pdf")
WORKBOOK_NAME = "决算报表.xlsx"
FACTS_NAME = "facts.yaml"


def write_template(out_dir: str | Path, department: str = "", year: int | None = None) -> list[Path]:
    """Write the blank workbook ``决算报表.xlsx`` and the commented ``facts.yaml`` into ``out_dir``."""
    d = Path(out_dir)
    if d.exists() and not d.is_dir():
        raise InputError(str(d), "已存在同名文件，不是文件夹", code="not_a_directory")
    d.mkdir(parents=True, exist_ok=True)
    wb = write_workbook(d / WORKBOOK_NAME, None, department, year)
    facts = d / FACTS_NAME
    facts.write_text(facts_template(department, year), encoding="utf-8")
    return [wb, facts]


def facts_template(department: str = "", year: int | None = None) -> str:
    """The commented ``facts.yaml`` with the department and year given to ``template`` filled in
    (the workbook's 部门 line and the narrative then name the same department)."""
    text = FACTS_TEMPLATE
    if department:
        text = text.replace("示例市某某局", department)
    if year is not None:
        text = re.sub(r"(?m)^year: \d{4}", f"year: {year}", text, count=1)
    return text


def render_pdf(doc: Disclosure) -> bytes:
    """The PDF, laid out by WeasyPrint from the HTML page (fonts: Noto CJK via fontconfig)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise RuntimeError(
            f"无法生成 PDF：缺少 WeasyPrint 或其系统库（{exc}），请运行 scripts/setup"
        ) from exc
    import logging

    from .render_html import render_html

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    buf = io.BytesIO()
    HTML(string=render_html(doc)).write_pdf(buf)
    return buf.getvalue()


def render(result: ComposeResult | Disclosure, fmt: str) -> bytes:
    doc = result.disclosure if isinstance(result, ComposeResult) else result
    fmt = fmt.lower().lstrip(".")
    if fmt == "txt":
        from .render_txt import render_txt

        return render_txt(doc).encode("utf-8")
    if fmt in ("html", "htm"):
        from .render_html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "docx":
        from .render_docx import render_docx

        return render_docx(doc)
    if fmt == "pdf":
        return render_pdf(doc)
    raise ValueError(f"不支持的输出格式“{fmt}”，可选 {'、'.join(FORMATS)}")


def write_output(result: ComposeResult | Disclosure, path: str | Path, fmt: str | None = None) -> Path:
    """Write the composed document; the format comes from ``fmt`` or the file suffix."""
    p = Path(path)
    f = (fmt or p.suffix.lstrip(".")).lower()
    if f not in FORMATS and f != "htm":
        raise ValueError(f"无法从文件名“{p.name}”判断输出格式，请使用 .docx、.html、.pdf 或 .txt")
    data = render(result, f)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p
