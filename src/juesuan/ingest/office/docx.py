"""Word (.docx) reader: body paragraphs and tables in document order.

Paragraphs become :class:`RawLine` (``段落N``, counted over the body's paragraphs from 1) with the
layout hints Word knows (bold, centred, font size, heading style); automatic list numbering is
rendered into the text (``一、``, ``（二）``, ``3.``) as Word prints it, so headings numbered by a
list style read like typed ones. Tables become :class:`RawGrid` (``表N 第R行 第C列``): one cell
per printed cell, horizontal merges (``gridSpan``) as ``colspan`` and vertical merges
(``vMerge``) as ``rowspan``. A table that Word users split into several Word tables (nothing but
empty paragraphs between them, the same column grid, or the header repeated) is joined into one
grid with the repeated header rows left out.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from ...model import Disclosure, Location
from ..assemble import assemble
from ..errors import InputError
from ..raw import RawCell, RawDocument, RawGrid, RawLine
from .containers import open_zip, zip_kind

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, SDT, SDTCONTENT = _q("p"), _q("tbl"), _q("tr"), _q("tc"), _q("sdt"), _q("sdtContent")
T, TAB, BR, CR = _q("t"), _q("tab"), _q("br"), _q("cr")
SKIP_INSIDE = {_q("txbxContent"), f"{{{MC}}}Fallback", _q("del"), _q("moveFrom"), _q("instrText"), _q("delText")}
HEADING_STYLE = re.compile(r"^(heading|标题)\s*(\d)$", re.I)


def _val(el: Any, tag: str, attr: str = "val") -> str | None:
    if el is None:
        return None
    child = el.find(_q(tag))
    if child is None:
        return None
    return child.get(_q(attr))


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


# -- styles ------------------------------------------------------------------------------------
@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    bold: bool | None = None
    size: float | None = None
    center: bool | None = None
    num_id: str | None = None
    ilvl: int | None = None


def _on(el: Any) -> bool | None:
    """A Word on/off property (``<w:b/>``, ``<w:b w:val="0"/>``)."""
    if el is None:
        return None
    v = el.get(_q("val"))
    return v not in ("0", "false", "off")


def _parse_styles(xml: bytes | None) -> dict[str, _Style]:
    from lxml import etree

    out: dict[str, _Style] = {}
    if not xml:
        return out
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, huge_tree=False))
    except etree.XMLSyntaxError:
        return out
    for st in root.iter(_q("style")):
        sid = st.get(_q("styleId")) or ""
        s = _Style(name=_val(st, "name") or sid, based_on=_val(st, "basedOn"))
        rpr = st.find(_q("rPr"))
        if rpr is not None:
            s.bold = _on(rpr.find(_q("b")))
            sz = _val(rpr, "sz")
            if sz and sz.isdigit():
                s.size = int(sz) / 2
        ppr = st.find(_q("pPr"))
        if ppr is not None:
            jc = _val(ppr, "jc")
            if jc is not None:
                s.center = jc == "center"
            numpr = ppr.find(_q("numPr"))
            if numpr is not None:
                s.num_id = _val(numpr, "numId")
                s.ilvl = _int(_val(numpr, "ilvl"), 0)
        out[sid] = s
    return out


def _style_attr(styles: dict[str, _Style], sid: str | None, attr: str) -> Any:
    seen = 0
    while sid and sid in styles and seen < 20:
        v = getattr(styles[sid], attr)
        if v is not None:
            return v
        sid = styles[sid].based_on
        seen += 1
    return None


# -- list numbering ----------------------------------------------------------------------------
_CN = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五 (chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + cn_number(rest) if rest < 10 else ("一" + cn_number(rest) if rest < 20 else cn_number(rest)))
        return _CN[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    ch = chr(ord("a") + (n - 1) % 26)
    return ch * ((n - 1) // 26 + 1)


def format_counter(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital", "japaneseCounting", "taiwaneseCounting"):
        s = cn_number(n)
        if fmt == "chineseLegalSimplified":
            s = s.translate(str.maketrans("一二三四五六七八九十百", "壹贰叁肆伍陆柒捌玖拾佰"))
        return s
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False


@dataclass
class _Numbering:
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> start
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    def label(self, num_id: str, ilvl: int) -> str:
        aid = self.nums.get(num_id)
        if aid is None or aid not in self.abstract:
            return ""
        levels = self.abstract[aid]
        lvl = levels.get(ilvl)
        if lvl is None or lvl.fmt == "bullet":
            return ""
        counts = self.counters.setdefault(aid, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for k, start in self.overrides.get(num_id, {}).items():
                counts[k] = start - 1
                for deeper in [d for d in counts if d > k]:
                    del counts[deeper]
        counts[ilvl] = counts.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [d for d in counts if d > ilvl]:
            del counts[deeper]

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k)
            if lv is None:
                return ""
            n = counts.get(k, lv.start)
            return format_counter(n, "decimal" if lvl.legal else lv.fmt)

        return re.sub(r"%(\d)", sub, lvl.text)


def _parse_numbering(xml: bytes | None) -> _Numbering:
    from lxml import etree

    out = _Numbering()
    if not xml:
        return out
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return out
    for an in root.iter(_q("abstractNum")):
        aid = an.get(_q("abstractNumId")) or ""
        levels: dict[int, _Level] = {}
        for lv in an.iter(_q("lvl")):
            ilvl = _int(lv.get(_q("ilvl")), 0)
            levels[ilvl] = _Level(
                start=_int(_val(lv, "start"), 1),
                fmt=_val(lv, "numFmt") or "decimal",
                text=_val(lv, "lvlText") or "",
                legal=lv.find(_q("isLgl")) is not None,
            )
        out.abstract[aid] = levels
    for num in root.iter(_q("num")):
        nid = num.get(_q("numId")) or ""
        out.nums[nid] = _val(num, "abstractNumId") or ""
        for ov in num.iter(_q("lvlOverride")):
            start = _val(ov, "startOverride")
            if start is not None:
                out.overrides.setdefault(nid, {})[_int(ov.get(_q("ilvl")), 0)] = _int(start, 1)
    return out


# -- text --------------------------------------------------------------------------------------
def _text(el: Any) -> str:
    """Printed text of a paragraph (or a run container): w:t, tabs and line breaks, skipping
    text boxes, deleted revisions, field codes and the fallback copy of alternate content."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP_INSIDE:
                continue
            if tag == T:
                parts.append(child.text or "")
            elif tag == TAB:
                parts.append("\t")
            elif tag in (BR, CR):
                parts.append("\n")
            elif tag == _q("noBreakHyphen"):
                parts.append("-")
            elif tag == _q("sym"):
                ch = child.get(_q("char"))
                if ch:
                    try:
                        code = int(ch, 16)
                        parts.append(chr(code - 0xF000) if code >= 0xF000 else chr(code))
                    except ValueError:
                        pass
            elif tag == P:
                if parts and not parts[-1].endswith("\n"):
                    parts.append("\n")
                walk(child)
            else:
                walk(child)

    walk(el)
    return "".join(parts)


def _textboxes(p: Any) -> list[str]:
    """Text of the text boxes anchored in a paragraph (the fallback copies left out)."""
    out: list[str] = []
    fallback = f"{{{MC}}}Fallback"
    for box in p.iter(_q("txbxContent")):
        node, skip = box.getparent(), False
        while node is not None and node is not p:
            if node.tag == fallback or node.tag == _q("txbxContent"):
                skip = True
                break
            node = node.getparent()
        if not skip:
            out.append("\n".join(_text(child) for child in box if child.tag == P))
    return [b for b in out if b.strip()]


def _run_props(p: Any, styles: dict[str, _Style], sid: str | None) -> tuple[bool, float | None]:
    """(all text bold, largest font size) over the paragraph's runs."""
    bold_all = True
    any_text = False
    size: float | None = None
    style_bold = _style_attr(styles, sid, "bold")
    style_size = _style_attr(styles, sid, "size")
    for r in p.iter(_q("r")):
        text = "".join(t.text or "" for t in r.findall(_q("t")))
        if not text.strip():
            continue
        any_text = True
        rpr = r.find(_q("rPr"))
        b = _on(rpr.find(_q("b"))) if rpr is not None else None
        if b is None and rpr is not None and rpr.find(_q("rStyle")) is not None:
            b = _style_attr(styles, rpr.find(_q("rStyle")).get(_q("val")), "bold")
        if not (b if b is not None else bool(style_bold)):
            bold_all = False
        sz = _val(rpr, "sz") if rpr is not None else None
        v = int(sz) / 2 if sz and sz.isdigit() else style_size
        if v is not None and (size is None or v > size):
            size = v
    return (bold_all and any_text), size


# -- tables ------------------------------------------------------------------------------------
@dataclass
class _TC:
    text: str
    col: int
    span: int
    vmerge: str | None  # None, "restart" or "continue"
    rowspan: int = 1
    covered: bool = False


def _rows_of(tbl: Any) -> list[Any]:
    """The w:tr of a table, including rows wrapped in content controls."""
    out: list[Any] = []
    for child in tbl:
        if child.tag == TR:
            out.append(child)
        elif child.tag in (SDT, _q("customXml")):
            content = child.find(SDTCONTENT) if child.tag == SDT else child
            if content is not None:
                out.extend(_rows_of(content))
    return out


def _cells_of(tr: Any) -> list[Any]:
    out: list[Any] = []
    for child in tr:
        if child.tag == TC:
            out.append(child)
        elif child.tag in (SDT, _q("customXml")):
            content = child.find(SDTCONTENT) if child.tag == SDT else child
            if content is not None:
                out.extend(_cells_of(content))
    return out


def _cell_text(tc: Any) -> str:
    lines: list[str] = []
    for child in tc:
        if child.tag == P:
            lines.append(_text(child))
        elif child.tag == TBL:  # a nested table: its rows as tab-separated lines
            for tr in _rows_of(child):
                lines.append("\t".join(_cell_text(c) for c in _cells_of(tr)))
        elif child.tag == SDT:
            content = child.find(SDTCONTENT)
            if content is not None:
                lines.append(_cell_text(content))
    return "\n".join(x for x in lines if x.strip()).strip()


def _table_rows(tbl: Any) -> list[list[_TC]]:
    """The table as rows of cells at their grid columns, vertical merges resolved."""
    rows: list[list[_TC]] = []
    for tr in _rows_of(tbl):
        trpr = tr.find(_q("trPr"))
        col = _int(_val(trpr, "gridBefore"), 0) if trpr is not None else 0
        row: list[_TC] = []
        for tc in _cells_of(tr):
            tcpr = tc.find(_q("tcPr"))
            span = max(1, min(_int(_val(tcpr, "gridSpan"), 1), 64)) if tcpr is not None else 1
            vm = tcpr.find(_q("vMerge")) if tcpr is not None else None
            vmerge = None if vm is None else ("restart" if vm.get(_q("val")) == "restart" else "continue")
            row.append(_TC(text=_cell_text(tc), col=col, span=span, vmerge=vmerge))
            col += span
        rows.append(row)
    # vertical merges: a "continue" cell extends the cell above at the same grid column
    open_at: dict[int, _TC] = {}
    for row in rows:
        for c in row:
            above = open_at.get(c.col)
            if c.vmerge == "continue" and above is not None and above.span == c.span:
                above.rowspan += 1
                c.covered = True
            else:
                open_at[c.col] = c
        cols = {c.col for c in row}
        for k in [k for k in open_at if k not in cols]:
            del open_at[k]
    return rows


@dataclass
class _Table:
    rows: list[list[_TC]]
    index: int  # 1-based Word table number
    grid: list[str]  # w:gridCol widths

    def texts(self, r: int) -> list[str]:
        return [c.text for c in self.rows[r] if not c.covered]


def _grid_cols(tbl: Any) -> list[str]:
    g = tbl.find(_q("tblGrid"))
    return [] if g is None else [c.get(_q("w")) or "" for c in g.findall(_q("gridCol"))]


def _continues(a: _Table, b: _Table) -> int | None:
    """How many leading rows of ``b`` repeat ``a``'s header, when ``b`` continues ``a``; None
    when it does not."""
    n = 0
    while n < len(b.rows) and n < len(a.rows) and b.texts(n) == a.texts(n) and sum(1 for t in a.texts(n) if t) >= 2:
        n += 1
    if n:
        return n
    if a.grid and a.grid == b.grid and len(a.grid) >= 3:
        return 0
    return None


def _grid(tables: list[_Table]) -> RawGrid:
    out: list[list[RawCell]] = []
    for k, t in enumerate(tables):
        skip = _continues(tables[k - 1], t) or 0 if k else 0
        for r, row in enumerate(t.rows):
            if r < skip:
                continue
            cells = [
                RawCell(text=c.text, loc=Location(ref=f"表{t.index} 第{r + 1}行 第{c.col + 1}列"), colspan=c.span, rowspan=c.rowspan)
                for c in row
                if not c.covered
            ]
            if row and row[0].col > 0 and not any(c.covered for c in row[:1]):
                # a row that starts further right (w:gridBefore): keep its cells in their columns
                cells.insert(0, RawCell(text="", loc=Location(ref=f"表{t.index} 第{r + 1}行 第1列"), colspan=row[0].col))
            out.append(cells)
    return RawGrid(rows=out, loc=Location(ref=f"表{tables[0].index}"))


# -- the document ------------------------------------------------------------------------------
def _body_items(body: Any) -> list[Any]:
    out: list[Any] = []
    for child in body:
        if child.tag in (P, TBL):
            out.append(child)
        elif child.tag == SDT:
            content = child.find(SDTCONTENT)
            if content is not None:
                out.extend(_body_items(content))
        elif child.tag == _q("customXml"):
            out.extend(_body_items(child))
    return out


def _read_part(zf: zipfile.ZipFile, name: str) -> bytes | None:
    for n in zf.namelist():
        if n.lower() == name:
            return zf.read(n)
    return None


def _main_part(zf: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships (word/document.xml usually)."""
    rels = _read_part(zf, "_rels/.rels")
    if rels:
        m = re.search(rb'Target="/?([^"]*document[^"]*\.xml)"', rels)
        if m:
            target = m.group(1).decode("utf-8", "replace")
            if target in zf.namelist():
                return target
    for n in zf.namelist():
        if n.lower() == "word/document.xml":
            return n
    for n in zf.namelist():
        if n.lower().startswith("word/") and n.lower().endswith(".xml") and "document" in n.lower():
            return n
    raise KeyError("word/document.xml")


def raw_from_zip(name: str, zf: zipfile.ZipFile) -> RawDocument:
    from lxml import etree

    try:
        part = _main_part(zf)
        xml = zf.read(part)
        styles = _parse_styles(_read_part(zf, "word/styles.xml"))
        numbering = _parse_numbering(_read_part(zf, "word/numbering.xml"))
    except KeyError as exc:
        raise InputError(name, "Word 文件不完整：缺少正文部分（word/document.xml）", code="corrupt") from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise InputError(name, "文件已损坏：Word 文件的压缩内容无法解开", code="corrupt") from exc
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(name, f"文件已损坏：Word 正文不是合法的 XML（{exc.msg}）", code="corrupt") from exc
    body = root.find(_q("body"))
    if body is None:
        raise InputError(name, "Word 文件不完整：正文为空", code="corrupt")
    raw = RawDocument(path=name, format="docx")
    para_no = 0
    table_no = 0
    pending: list[_Table] = []  # consecutive Word tables that may be one printed table

    def flush() -> None:
        if not pending:
            return
        group = [pending[0]]
        for t in pending[1:]:
            if _continues(group[-1], t) is not None:
                group.append(t)
            else:
                raw.blocks.append(_grid(group))
                group = [t]
        raw.blocks.append(_grid(group))
        pending.clear()

    for item in _body_items(body):
        if item.tag == TBL:
            table_no += 1
            rows = _table_rows(item)
            if any(rows):
                pending.append(_Table(rows=rows, index=table_no, grid=_grid_cols(item)))
            continue
        para_no += 1
        ppr = item.find(_q("pPr"))
        sid = _val(ppr, "pStyle") if ppr is not None else None
        text = _text(item)
        num_id: str | None = None
        ilvl = 0
        numpr = ppr.find(_q("numPr")) if ppr is not None else None
        if numpr is not None:
            num_id = _val(numpr, "numId")
            ilvl = _int(_val(numpr, "ilvl"), 0)
        elif sid:
            num_id = _style_attr(styles, sid, "num_id")
            ilvl = _style_attr(styles, sid, "ilvl") or 0
        boxes = _textboxes(item)
        if boxes:  # covers often put the department and title in text boxes
            flush()
            for k, box in enumerate(boxes, 1):
                for piece in box.split("\n"):
                    if piece.strip():
                        raw.blocks.append(RawLine(text=piece.strip(), loc=Location(ref=f"段落{para_no} 文本框{k}")))
        if not text.strip():
            continue
        flush()
        if num_id and num_id != "0":
            label = numbering.label(num_id, ilvl)
            if label:
                sep = "" if re.search(r"[\u3000-\u303f\uff00-\uffef、）)]$", label) else " "
                text = label + sep + text.lstrip()
        jc = _val(ppr, "jc") if ppr is not None else None
        center = jc == "center" if jc is not None else bool(_style_attr(styles, sid, "center"))
        bold, size = _run_props(item, styles, sid)
        style_name = (styles[sid].name if sid in styles else sid or "") if sid else ""
        m = HEADING_STYLE.match(style_name.strip())
        if m or style_name.lower() == "title":
            bold = True
        loc = Location(ref=f"段落{para_no}")
        for piece in text.split("\n"):
            if piece.strip():
                raw.blocks.append(RawLine(text=piece.strip(), loc=loc, size=size, bold=bold, centered=center))
    flush()
    if not raw.blocks:
        raise InputError(name, "Word 文档中没有文字或表格", code="empty")
    return raw


def read_docx_raw(name: str, data: bytes) -> RawDocument:
    """The raw layout of a .docx file."""
    zf = open_zip(name, data)
    if zip_kind(zf) != "docx":
        raise InputError(name, "不是 Word（.docx）文件", code="not_a_document")
    return raw_from_zip(name, zf)


def read_docx_bytes(name: str, data: bytes) -> Disclosure:
    """Read a .docx file to the typed model."""
    return assemble(read_docx_raw(name, data))


__all__ = ["cn_number", "format_counter", "raw_from_zip", "read_docx_bytes", "read_docx_raw"]
