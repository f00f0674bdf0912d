"""The last stage of reading: what a disclosure's parts say beyond their text, read once the
document is assembled, so that the document rules (family D) judge fields and never parse.

- **目录 lines** (:class:`~juesuan.model.TocEntry`): the title without its page number and the
  page; the outline mark (第X部分, 一、) and the words after it; the list number it starts with;
  the table it lists and the 公开NN表 number it prints.
- **Headings** (:class:`~juesuan.model.Section`): the same outline mark, read alike, so that a
  heading and its 目录 line can be matched.
- **Tables left as OTHER**: the kind their title or a header line names, in the 目录's wording
  (``Table.named_kind``).
- **Blank templates**: a file whose department name is itself a placeholder (上海市XX局), or whose
  text placeholders fill while no table holds an amount, is a template, not a disclosure
  (``Metadata.is_template``, with ``template_reason``).

Every reader's document passes here (``ingest.read``), and so do the rule cases
(``rules.cases``) and the composer's document. Reading it again gives the same fields.
"""

from __future__ import annotations

import re

from ..model import Disclosure, Section, Table, TableKind, TocEntry
from ..tables.numbers import cn_to_int
from ..tables.recognize import kind_from_title, squash
from .text_lines import PLACEHOLDER, norm, placeholder_lines, quote, text_lines


def read_document_parts(doc: Disclosure) -> Disclosure:
    """Fill the fields above in ``doc`` (in place); returns ``doc``."""
    for e in doc.toc:
        read_toc_entry(e)
    for s in doc.walk_sections():
        read_heading(s)
    for t in doc.tables:
        t.named_kind = named_kind(t)
    reason = template_reason(doc)
    if reason is not None:
        doc.metadata.is_template = True
        doc.metadata.template_reason = reason
    return doc


# --- outline marks: 第X部分 and 一、 -----------------------------------------------------------

_PART = re.compile(r"^\s*第\s*([一二三四五六七八九十\d]{1,3})\s*部分")
_ITEM = re.compile(r"^\s*([一二三四五六七八九十〇两]{1,3})\s*[、.．]")


def outline_mark(text: str) -> tuple[int | None, int | None, str]:
    """(part, item, the words after the mark): 第三部分 情况说明 → (3, None, 情况说明),
    二、机构设置 → (None, 2, 机构设置), 部门概况 → (None, None, 部门概况)."""
    m = _PART.match(text)
    if m:
        return cn_to_int(m.group(1)), None, text[m.end() :].strip()
    m = _ITEM.match(text)
    if m:
        return None, cn_to_int(m.group(1)), text[m.end() :].strip()
    return None, None, text.strip()


def read_heading(s: Section) -> None:
    s.part, s.item, s.name = outline_mark(s.heading)


# --- 目录 lines ----------------------------------------------------------------------------------

# the page number at the end of a 目录 line, with the leaders before it (…… 12, ·12, -12); a line
# ending in a year (…2024) has none
# (tried from the start of a run of leaders only: the lookbehind keeps the search linear)
_PAGE = re.compile(r"(?<![\s.·…\-—_])[\s.·…\-—_]*(\d{1,3})\s*$")
_ENDS_IN_YEAR = re.compile(r"(?:19|20)\d{2}\s*$")
# the list number a line starts with, after any bullet: 一、 1. （一）
_LIST_NUMBER = re.compile(
    r"^[\s\-–•·*]*(?:([一二三四五六七八九十〇两]+)[、.．]|(\d{1,2})[、.．]|（([一二三四五六七八九十]+)）)"
)
_PUBLIC_NO = re.compile(r"公开\s*(\d{1,2})\s*表")
# the digits (and dots) a table line ends in, its page: what is left must end in 表
# (tried from the start of a run of leaders or digits only, linear)
_TABLE_LINE_TAIL = re.compile(r"(?<![.·…\s])[.·…\s]*(?<!\d)\d+$")
# a short qualifier after the table's name: 收入决算表（分单位） (Zhejiang)
_QUALIFIER = re.compile(r"(?<=表)[（(]分(?:单位|科目)[）)]$")


def read_toc_entry(e: TocEntry) -> None:
    page = None if _ENDS_IN_YEAR.search(e.text) else _PAGE.search(e.text)
    title = e.text[: page.start()] if page else e.text
    e.title = title.strip()
    e.page = int(page.group(1)) if page else None
    e.part, e.item, e.name = outline_mark(title)
    m = _LIST_NUMBER.match(e.text)
    e.ordinal = None
    if m:
        e.ordinal = cn_to_int(m.group(1) or m.group(3)) if (m.group(1) or m.group(3)) else int(m.group(2))
    text = squash(e.text).strip("*")
    n = _PUBLIC_NO.search(text)
    e.table_number = int(n.group(1)) if n else None
    e.named_table = kind_from_title(e.text, contents=True)
    # a line naming a table's subject lists the table when it ends in 表 (before its page) or
    # prints the table's 公开NN表; 七、政府采购情况说明 is a heading of the narrative
    lists = _QUALIFIER.sub("", _TABLE_LINE_TAIL.sub("", text)).endswith("表") or n is not None
    e.table = e.named_table if lists else None


# --- tables the reader could not recognise ------------------------------------------------------


def named_kind(t: Table) -> TableKind | None:
    """For a table left as OTHER, the kind its title or first naming header line names."""
    if t.kind is not TableKind.OTHER:
        return None
    for text in [t.title, *(h.text for h in t.header_texts)]:
        k = kind_from_title(text or "", contents=True)
        if k is not None:
            return k
    return None


# --- blank templates -----------------------------------------------------------------------------

# placeholders filling this many lines of a document whose tables are all empty make a template
_TEMPLATE_LINES = 15


def template_reason(doc: Disclosure) -> str | None:
    """Why ``doc`` is a blank template, None when it is not: its department name is itself a
    placeholder (上海市XX局), or placeholders fill the text (at least 15 lines hold one) while no
    table holds an amount."""
    names = [doc.metadata.department or "", doc.metadata.title or ""]
    names += [p.text for p in doc.cover]
    for n in names:
        if n and PLACEHOLDER.search(n) and len(norm(n)) <= 40:
            return f"部门名称为“{quote(n, 30)}”"
    if any(not t.is_empty for t in doc.tables):
        return None  # a table with amounts: a disclosure, whatever its text holds
    hits = placeholder_lines(text_lines(doc))
    if len(hits) >= _TEMPLATE_LINES:
        return f"共有 {len(hits)} 行含占位符且各表均无数据"
    return None
