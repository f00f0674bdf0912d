"""Plain-text output in the seeds' shape: one line per paragraph, blank lines between blocks,
tables as tab-separated lines under their title, 公开NN表, 部门 and 金额单位 lines."""

from __future__ import annotations

from ..model import Disclosure, Section, Table
from .layout import PrintedTable, printed_table


def printed(doc: Disclosure, t: Table) -> PrintedTable:
    return printed_table(t.kind, t, doc.metadata.department or "", doc.metadata.year)


def _table_lines(pt: PrintedTable) -> list[str]:
    out = ["", pt.title, ""]
    if pt.number:
        out += [pt.number, ""]
    if pt.department:
        out += [f"部门：{pt.department}", ""]
    if pt.unit_line:
        out += [pt.unit_line, ""]
    out += ["\t".join(r) for r in pt.text_rows()]
    for n in pt.notes:
        out += ["", n]
    out.append("")
    return out


def _section_lines(doc: Disclosure, s: Section) -> list[str]:
    out = ["", s.heading, ""]
    for p in s.paragraphs:
        out += [p.text, ""]
    for i in s.table_indices:
        out += _table_lines(printed(doc, doc.tables[i]))
    for c in s.children:
        out += _section_lines(doc, c)
    return out


def render_txt(doc: Disclosure) -> str:
    lines: list[str] = [""]
    for p in doc.cover:
        lines += [p.text, ""]
    lines += ["目 录", ""]
    for e in doc.toc:
        lines.append(e.text if e.level == 1 else f"- {e.text}")
        if e.level == 1:
            lines.append("")
    for s in doc.sections:
        lines += _section_lines(doc, s)
    # collapse runs of blank lines
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
