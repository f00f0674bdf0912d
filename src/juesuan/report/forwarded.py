"""``check --format html|xlsx|pdf -o OUT``: the reports people forward, written by format name.

Several documents go into one report with an index in front (the HTML's table of documents, the
workbook's 文件一览 sheet, the combined PDF's first page), unless ``OUT`` names a folder (ends with
a slash or is one): then each document gets its own report there."""

from __future__ import annotations

from pathlib import Path

from .html import write_html
from .items import ReportItem
from .pdf_annotate import NotAPdfError, annotate_pdf
from .pdf_combine import Part, combine
from .xlsx import write_xlsx

__all__ = ["report_name", "write_forwarded"]

SUFFIXES = {"html": ".核对报告.html", "xlsx": ".核对报告.xlsx", "pdf": ".批注.pdf"}
LABELS = {"html": "HTML 报告", "xlsx": "XLSX 报告", "pdf": "批注版 PDF"}


def report_name(name: str, fmt: str, used: set[str]) -> str:
    """The file name of one document's report in a folder (``a.pdf`` → ``a.批注.pdf``), made
    unique when two inputs share a name."""
    stem = Path(name).stem
    cand = stem + SUFFIXES[fmt]
    k = 2
    while cand in used:
        cand = f"{stem}_{k}{SUFFIXES[fmt]}"
        k += 1
    used.add(cand)
    return cand


def _pdf(it: ReportItem) -> bytes:
    assert it.data is not None
    return annotate_pdf(it.data, it.result.findings, name=it.display_name, metadata=it.result.metadata)


def write_forwarded(items: list[ReportItem], fmt: str, out: Path, *, per_file: bool = False) -> list[str]:
    """Write the ``html``/``xlsx``/``pdf`` report of ``items`` to ``out`` (a folder when
    ``per_file``) and return Chinese lines for the user. Raises ``ValueError`` with a Chinese
    message when the request cannot be met."""
    if fmt not in SUFFIXES:
        raise ValueError(f"未知的报告格式“{fmt}”")
    if out.exists() and out.is_dir() and not per_file:
        per_file = True  # an existing folder: one report per document inside it
    if fmt == "pdf":
        readable = [it for it in items if it.result.ok and it.data is not None]
        if not readable:
            raise ValueError("没有可读取的文件，无法生成批注版 PDF。")
        if len(items) == 1 and not readable[0].is_pdf:
            raise NotAPdfError(readable[0].display_name)
    if per_file:
        out.mkdir(parents=True, exist_ok=True)
        used: set[str] = set()
        msgs: list[str] = []
        for it in items:
            if it.result.error:
                continue  # reported by the caller; nothing to write
            if fmt == "pdf" and not it.is_pdf:
                msgs.append(f"未生成批注版 PDF：{it.display_name} 不是 PDF 文件（可改用 HTML 或 XLSX 报告）")
                continue
            target = out / report_name(it.display_name, fmt, used)
            if fmt == "html":
                write_html([it], target)
            elif fmt == "xlsx":
                write_xlsx([it], target)
            else:
                target.write_bytes(_pdf(it))
            msgs.append(f"已写入 {LABELS[fmt]} {target}（{len(it.result.findings)} 条问题）")
        return msgs
    if not out.suffix:
        raise ValueError(f"输出 {out} 没有扩展名：一份报告请写成 {out}.{fmt}，每个文件一份请写成以 / 结尾的文件夹（{out}/）")
    if fmt == "html":
        write_html(items, out)
        return [f"已写入 HTML 报告 {out}（{len(items)} 个文件）" if len(items) > 1 else f"已写入 HTML 报告 {out}"]
    if fmt == "xlsx":
        write_xlsx(items, out)
        return [f"已写入 XLSX 报告 {out}（{len(items)} 个文件）" if len(items) > 1 else f"已写入 XLSX 报告 {out}"]
    if len(items) == 1:
        it = items[0]
        out.write_bytes(_pdf(it))
        return [f"已写入批注版 PDF {out}（{len(it.result.findings)} 条问题）"]
    parts: list[Part] = []
    missing: list[str] = []
    for it in items:
        if it.result.error:
            state = "已跳过" if it.result.skipped else "无法读取"
            missing.append(f"{it.display_name}：{state}（{it.result.error}）")
        elif not it.is_pdf:
            missing.append(f"{it.display_name}：不是 PDF 文件，请看 HTML 或 XLSX 报告")
        else:
            parts.append(Part(it.display_name, it.result.metadata, it.result.counts(), _pdf(it)))
    if not parts:
        raise NotAPdfError(items[0].display_name)
    out.write_bytes(combine(parts, missing))
    return [f"已写入批注版 PDF {out}（{len(parts)} 个文件，{sum(sum(p.counts.values()) for p in parts)} 条问题）"] + [
        f"未附入：{m}" for m in missing
    ]
