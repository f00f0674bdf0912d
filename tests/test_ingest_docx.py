"""The Word reader: layout (paragraphs, tables, merges, numbering, split tables), round trip of a
composed disclosure, and clear errors for bad files."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.compose import compose, render, synth
from juesuan.compose.layout import NUMBERED_KINDS
from juesuan.ingest import InputError, read, sniff_format
from juesuan.ingest.narrative import attach_claims
from juesuan.ingest.office.docx import cn_number, format_counter, read_docx_raw
from juesuan.ingest.raw import RawGrid, RawLine
from juesuan.model import Disclosure, Severity
from juesuan.rules import run_rules


# -- helpers shared with the other reader tests -------------------------------------------------
def table_values(doc: Disclosure) -> dict:
    out = {}
    for t in doc.tables:
        if t.kind in NUMBERED_KINDS:
            for r in t.rows:
                for c, cell in r.cells.items():
                    if cell.value is not None:
                        out[(t.kind, r.key, r.side, c)] = cell.value
    return out


def narrative(doc: Disclosure) -> list[tuple[str, list[str]]]:
    return [(s.heading, [p.text for p in s.paragraphs]) for s in doc.walk_sections()]


def finding_keys(doc: Disclosure) -> Counter:
    return Counter((f.rule_id, f.severity, f.message) for f in run_rules(doc))


def _strip_locs(obj):
    if isinstance(obj, dict):
        return {k: _strip_locs(v) for k, v in obj.items() if k != "loc"}
    if isinstance(obj, list):
        return [_strip_locs(v) for v in obj]
    return obj


def tables_dump(doc: Disclosure) -> list:
    """Every table in full (titles, columns, rows, cells, notes) without the source locations;
    the caption lines as a set (formats print 部门 and 公开NN表 in either order)."""
    out = []
    for t in doc.tables:
        d = _strip_locs(t.model_dump(mode="json"))
        d["header_texts"] = sorted(h["text"] for h in d["header_texts"])
        out.append(d)
    return out


@pytest.fixture(scope="module")
def composed():
    """A composed disclosure with one wrong cell (so ``check`` has findings to compare)."""
    tables, facts = synth(5)
    t03 = next(t for t in tables if t.kind.value == "T03")
    row = next(r for r in t03.rows if r.code == "2080109")
    row.cells["basic"].value = (row.cells["basic"].value or Decimal(0)) + Decimal("3.00")
    return compose(tables, facts, force=True)


@pytest.fixture(scope="module")
def docx_bytes(composed) -> bytes:
    return render(composed, "docx")


@pytest.fixture(scope="module")
def reference(composed) -> Disclosure:
    """The same composition read back from its plain-text form by the text reader: every
    format must read to exactly this (the assembler is shared, so only the layout can differ)."""
    from juesuan.ingest.text import read_text_bytes

    return attach_claims(read_text_bytes("决算.txt", render(composed, "txt")))  # as read() gives it


def assert_round_trip(composed, reference: Disclosure, doc: Disclosure) -> None:
    original = composed.disclosure
    want, got = table_values(original), table_values(doc)
    diff = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
    assert not diff, f"{len(diff)} cells differ: {list(diff.items())[:5]}"
    assert tables_dump(doc) == tables_dump(reference)
    assert narrative(doc) == narrative(reference)
    assert [p.text for p in doc.cover] == [p.text for p in original.cover]
    assert [e.text for e in doc.toc] == [e.text for e in original.toc]
    for attr in ("year", "department", "title", "unit", "kind", "publish_date"):
        assert getattr(doc.metadata, attr) == getattr(reference.metadata, attr), attr
    found = finding_keys(doc)
    assert found == finding_keys(reference)
    errors = Counter((k[0], k[1]) for k in found.elements() if k[1] is not Severity.INFO)
    # the composer's text as a reader reads it
    read_original = attach_claims(original.model_copy(deep=True))
    assert errors == Counter((f.rule_id, f.severity) for f in run_rules(read_original) if f.severity is not Severity.INFO)
    assert any(sev is Severity.ERROR for _, sev in errors)


# -- round trip ---------------------------------------------------------------------------------
def test_docx_round_trip_same_tables_narrative_and_findings(composed, reference, docx_bytes, tmp_path: Path) -> None:
    p = tmp_path / "决算.docx"
    p.write_bytes(docx_bytes)
    doc = read(p)
    assert doc.metadata.source_format == "docx"
    assert_round_trip(composed, reference, doc)
    # every cell knows where it was read from
    t = doc.tables[2]
    cell = t.rows[1].cells["total"]
    assert cell.loc is not None and cell.loc.ref is not None and cell.loc.ref.startswith("表3 第")
    para = next(p for _, p in doc.paragraphs() if "万元" in p.text)
    assert para.loc is not None and para.loc.ref is not None and para.loc.ref.startswith("段落")


def test_docx_raw_layout_of_composed_tables(composed, docx_bytes) -> None:
    raw = read_docx_raw("x.docx", docx_bytes)
    grids = [b for b in raw.blocks if isinstance(b, RawGrid)]
    assert len(grids) == len(composed.disclosure.tables)
    t01 = grids[0]
    # 收入 | 支出 merged across three columns each, printed once
    assert [(c.text, c.colspan) for c in t01.rows[0]] == [("收入", 3), ("支出", 3)]
    t02 = grids[1]
    # 本年收入合计 spans the two header rows (vertical merge)
    assert ("本年收入合计", 2) in [(c.text, c.rowspan) for c in t02.rows[0]]
    assert t02.rows[0][0].loc is not None and t02.rows[0][0].loc.ref == "表2 第1行 第1列"
    lines = [b for b in raw.blocks if isinstance(b, RawLine)]
    assert lines[0].centered and lines[0].bold


# -- built fixtures -----------------------------------------------------------------------------
NUMBERING = """<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
<w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
<w:lvlText w:val="（%2）"/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%3."/></w:lvl></w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>"""


def _numbered(p, ilvl: int) -> None:
    from docx.oxml import parse_xml

    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(
        f'<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:ilvl w:val="{ilvl}"/><w:numId w:val="3"/></w:numPr>'
    ))  # fmt: skip


def _docx_with_numbering() -> bytes:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.part.numbering_part._element = parse_xml(NUMBERING.encode("utf-8"))
    d.add_paragraph("某某局2024年度部门决算")
    for text, lvl in [("部门职责", 0), ("主要职能", 1), ("具体事项", 2), ("具体事项二", 2), ("内设机构", 1), ("机构设置", 0)]:
        _numbered(d.add_paragraph(text, style="Heading 2"), lvl)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_list_numbering_is_printed_into_headings() -> None:
    raw = read_docx_raw("n.docx", _docx_with_numbering())
    texts = [b.text for b in raw.blocks if isinstance(b, RawLine)]
    assert texts == ["某某局2024年度部门决算", "一、部门职责", "（一）主要职能", "1. 具体事项", "2. 具体事项二", "（二）内设机构", "二、机构设置"]
    heading = next(b for b in raw.blocks if isinstance(b, RawLine) and b.text.startswith("一、"))
    assert heading.bold  # a Heading style


def test_counter_formats() -> None:
    assert [cn_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110)] == ["一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十"]
    assert format_counter(3, "ideographTraditional") == "丙"
    assert format_counter(4, "upperRoman") == "IV"
    assert format_counter(28, "lowerLetter") == "bb"
    assert format_counter(2, "decimalEnclosedCircle") == "②"


def _split_table_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("“三公”经费支出表")
    header = ["项目", "预算数", "决算数"]
    rows = [["因公出国（境）费", "1.00", "0.50"], ["公务接待费", "2.00", "1.50"], ["合计", "3.00", "2.00"]]
    t1 = d.add_table(rows=3, cols=3)
    t1.style = "Table Grid"
    for j, h in enumerate(header):
        t1.cell(0, j).text = h
    for i, r in enumerate(rows[:2], start=1):
        for j, v in enumerate(r):
            t1.cell(i, j).text = v
    d.add_paragraph("")  # Word users split a table with an empty paragraph
    t2 = d.add_table(rows=2, cols=3)
    t2.style = "Table Grid"
    for j, h in enumerate(header):  # the header repeated on the next page
        t2.cell(0, j).text = h
    for j, v in enumerate(rows[2]):
        t2.cell(1, j).text = v
    d.add_paragraph("注：本表为示例。")
    t3 = d.add_table(rows=3, cols=2)  # a different table: not joined
    t3.cell(0, 0).merge(t3.cell(1, 0)).text = "合并"
    t3.cell(0, 1).text = "a"
    t3.cell(1, 1).text = "b"
    t3.cell(2, 0).text = "c"
    t3.cell(2, 1).text = "d"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_split_word_tables_are_joined_and_merges_kept() -> None:
    raw = read_docx_raw("s.docx", _split_table_docx())
    grids = [b for b in raw.blocks if isinstance(b, RawGrid)]
    assert len(grids) == 2
    joined = grids[0]
    assert [[c.text for c in r] for r in joined.rows] == [
        ["项目", "预算数", "决算数"], ["因公出国（境）费", "1.00", "0.50"], ["公务接待费", "2.00", "1.50"], ["合计", "3.00", "2.00"]
    ]  # fmt: skip
    assert joined.rows[3][0].loc is not None and joined.rows[3][0].loc.ref == "表2 第2行 第1列"
    merged = grids[1]
    assert [[(c.text, c.rowspan) for c in r] for r in merged.rows] == [[("合并", 2), ("a", 1)], [("b", 1)], [("c", 1), ("d", 1)]]


# -- bad files ----------------------------------------------------------------------------------
def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in parts.items():
            zf.writestr(k, v)
    return buf.getvalue()


def test_bad_word_files_give_clear_errors(tmp_path: Path, docx_bytes) -> None:
    good = docx_bytes
    cases = {
        "truncated.docx": (good[: len(good) // 2], "文件已损坏"),
        "nobody.docx": (_zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<x/>"}), "缺少正文"),
        "badxml.docx": (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document><w:body><w:p>"}), "不是合法的 XML"),
        "empty.docx": (_zip({"word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'}), "没有文字或表格"),
        "slides.pptx": (_zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}), "PowerPoint"),
    }
    for name, (data, words) in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(InputError) as ei:
            read(p)
        assert words in str(ei.value) and name in str(ei.value), (name, str(ei.value))


def test_legacy_doc_is_refused_clearly(tmp_path: Path) -> None:
    from test_ingest_xlsx import ole_with_stream

    p = tmp_path / "旧版.doc"
    p.write_bytes(ole_with_stream("WordDocument"))
    assert sniff_format(p.read_bytes()) == "ole"
    with pytest.raises(InputError) as ei:
        read(p)
    assert "旧版 Word" in str(ei.value) and ".docx" in str(ei.value)


def test_docx_detected_by_content_not_name(tmp_path: Path, docx_bytes) -> None:
    p = tmp_path / "报告.bin"
    p.write_bytes(docx_bytes)
    assert read(p).metadata.source_format == "docx"


def test_text_boxes_once_and_tracked_changes_as_accepted() -> None:
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    d = docx.Document()
    p = d.add_paragraph()
    box = f'<w:txbxContent {w}><w:p><w:r><w:t>某某局</w:t></w:r></w:p><w:p><w:r><w:t>2024年度部门决算</w:t></w:r></w:p></w:txbxContent>'
    p._p.append(parse_xml(
        f'<w:r {w} {mc}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{box}</w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    ))  # fmt: skip
    q = d.add_paragraph()
    q._p.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve">收入合计</w:t></w:r>'))
    q._p.append(parse_xml(f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>900.00</w:delText></w:r></w:del>'))
    q._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="a"><w:r><w:t>1,051.37</w:t></w:r></w:ins>'))
    q._p.append(parse_xml(f'<w:r {w}><w:t>万元。</w:t><w:br/><w:t>第二行</w:t></w:r>'))
    buf = io.BytesIO()
    d.save(buf)
    raw = read_docx_raw("box.docx", buf.getvalue())
    assert [(b.text, b.loc.ref if b.loc else None) for b in raw.blocks if isinstance(b, RawLine)] == [
        ("某某局", "段落1 文本框1"), ("2024年度部门决算", "段落1 文本框1"),
        ("收入合计1,051.37万元。", "段落2"), ("第二行", "段落2"),
    ]  # fmt: skip


def test_grid_before_keeps_columns() -> None:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for j, v in enumerate(["项目", "预算数", "决算数"]):
        t.cell(0, j).text = v
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[0])  # the second row starts one column to the right
    tr.insert(0, parse_xml('<w:trPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:gridBefore w:val="1"/></w:trPr>'))
    tr.tc_lst[0].append(parse_xml('<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:r><w:t>1.00</w:t></w:r></w:p>'))
    buf = io.BytesIO()
    d.save(buf)
    grid = next(b for b in read_docx_raw("g.docx", buf.getvalue()).blocks if isinstance(b, RawGrid))
    assert [(c.text, c.colspan) for c in grid.rows[1]] == [("", 1), ("1.00", 1), ("", 1)]
    assert grid.rows[1][1].loc is not None and grid.rows[1][1].loc.ref == "表1 第2行 第2列"


# -- the real seeds, laid out as Word ----------------------------------------------------------
SEEDS = ["000_28fcffc144f7be8d.txt", "003_837dc0ef3549c6c2.txt"]


def seed_layout(name: str):
    """(raw layout, disclosure) of a real seed read by the text reader."""
    from conftest import seed
    from juesuan.ingest.assemble import assemble
    from juesuan.ingest.text import decode, raw_from_text

    p = seed(name)
    raw = raw_from_text(p.name, decode(p.name, p.read_bytes())[0])
    return raw, assemble(raw)


def assert_same_as_text(doc: Disclosure, ref: Disclosure) -> None:
    attach_claims(doc)  # both from a format's own reader: their claims read as read() reads them
    attach_claims(ref)
    assert tables_dump(doc) == tables_dump(ref)
    assert narrative(doc) == narrative(ref)
    assert [p.text for p in doc.cover] == [p.text for p in ref.cover]
    assert finding_keys(doc) == finding_keys(ref)


def raw_to_docx(raw) -> bytes:
    """Each line as a paragraph, each grid as a Word table."""
    import docx

    d = docx.Document()
    for b in raw.blocks:
        if isinstance(b, RawLine):
            d.add_paragraph(b.text)
            continue
        from docx.table import _Cell

        width = max(len(r) for r in b.rows)
        t = d.add_table(rows=len(b.rows), cols=width)
        for tr, r in zip(t._tbl.tr_lst, b.rows, strict=True):  # straight to the XML: t.cell() is O(n) per call
            for tc, c in zip(tr.tc_lst, r, strict=False):
                _Cell(tc, t).text = c.text
        d.add_paragraph("")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name", SEEDS)
def test_real_seed_as_word_reads_like_the_text(name: str) -> None:
    from juesuan.ingest.office import read_office_bytes

    raw, ref = seed_layout(name)
    assert len(ref.tables) >= 10
    assert_same_as_text(read_office_bytes(name + ".docx", raw_to_docx(raw)), ref)
