"""``check --format html|xlsx|pdf -o OUT``: the reports people forward, written by format name."""

from __future__ import annotations

from pathlib import Path

from .html import write_html
from .items import ReportItem
from .pdf_annotate import NotAPdfError, annotate_pdf
from .xlsx import write_xlsx

__all__ = ["write_forwarded"]


def write_forwarded(items: list[ReportItem], fmt: str, out: Path) -> list[str]:
    """Write the ``html``/``xlsx``/``pdf`` report of ``items`` to ``out`` and return Chinese
    lines for the user. The annotated PDF is one file per input: with several inputs ``out`` is
    a folder. Raises ``ValueError`` with a Chinese message when the request cannot be met."""
    if fmt == "html":
        write_html(items, out)
        return [f"已写入 HTML 报告 {out}"]
    if fmt == "xlsx":
        write_xlsx(items, out)
        return [f"已写入 XLSX 报告 {out}"]
    if fmt != "pdf":
        raise ValueError(f"未知的报告格式“{fmt}”")
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
        target.write_bytes(annotate_pdf(it.data, it.result.findings, name=it.display_name, title=it.title))
        msgs.append(f"已写入批注版 PDF {target}（{len(it.result.findings)} 条问题）")
    return msgs
