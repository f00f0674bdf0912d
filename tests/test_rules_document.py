"""Document rules (D-*) and 科目 name rules (K-*): composed documents are clean, and the real seeds
and sample PDFs give exactly the document defects they contain.

Checked by hand against the files:

* seed 000 (蛟河市社会保险事业管理局): 公开06表 printed as 公开08表 (08 twice, 06 missing, the 目录 puts
  the 基本支出表 sixth); 鹤壁市社会保险事业管理局 in the 部门 line of tables 06–09; 实施单位
  蛟河市社会保险专业管理局 (专业 for 事业) in the 绩效 tables; empty 07, 08 and 09 tables without a
  “no data” note; 2023 in the 部门整体支出绩效自评表 of a 2024 report.
* seed 003 (西宁市湟中区社会保险服务局): 30399 printed as 其他对个人和家庭的补助支出.
* planning PDF: the 决算表 part titled 上海市规划和自然资源局 (the city bureau, not the district's);
  上海市普陀区规划与自然资源局 three times; 下降（增长）left unresolved; the template's 列明公务接待
  instruction left in.
* social-work PDF: the template's instruction 仍保留该表格式，并在本表下方作下述说明 left above the two
  empty-table notes.
* finance PDF: no document defect.
* template PDF: one finding, “blank template”.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import sample, seed
from juesuan.compose import compose, synth
from juesuan.ingest.narrative import attach_claims
from juesuan.model import Disclosure, Finding, Severity, TableKind
from juesuan.rules import run_rules
from juesuan.rules.families.document.one_department import name_problems, split_name
from juesuan.tables.numbers import cn_to_int
from juesuan.tables.recognize import kind_from_title

FAMILIES = ["D", "K"]


def _show(fs: list[Finding]) -> str:
    return "\n".join(f"{f.severity} {f.rule_id} {f.message}" for f in fs)


def _serious(fs: list[Finding]) -> list[Finding]:
    return [f for f in fs if f.severity is not Severity.INFO]


@pytest.mark.parametrize("seed_no", [1, 2, 3, 5, 8, 13])
def test_composed_documents_are_clean(seed_no: int) -> None:
    tables, facts = synth(seed_no)
    doc = attach_claims(compose(tables, facts, check=False).disclosure)  # as a reader reads its text
    fs = _serious(run_rules(doc, select=["D", "K", "P"]))
    assert fs == [], _show(fs)


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_composed_documents_read_back_are_clean(fmt: str, tmp_path: Path) -> None:
    """What compose writes, the readers read back without a document defect."""
    from juesuan.compose.output import write_output

    tables, facts = synth(3)
    path = write_output(compose(tables, facts, check=False), tmp_path / f"out.{fmt}")
    doc = _read(path)
    fs = _serious(run_rules(doc, select=["D", "K", "P"]))
    assert fs == [], _show(fs)


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_defects_survive_writing_and_reading(fmt: str, tmp_path: Path) -> None:
    """Defects put into a composed document are found after it is written and read back."""
    from juesuan.compose.output import write_output
    from juesuan.ingest.narrative.sentences import make_paragraph
    from juesuan.model import TextItem

    tables, facts = synth(3)
    doc = compose(tables, facts, check=False).disclosure
    doc.sections[1].heading = "第二部分 鹤壁市社会保险事业管理局2024年度部门决算表"  # another department
    doc.tables[7].printed_number = "公开06表"  # 08表 printed as 06: 06 twice, 08 missing
    t07 = next(t for t in doc.tables if t.kind is TableKind.T07)
    assert t07.is_empty
    t07.notes = [TextItem(text="注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。")]
    first = doc.sections[2].children[0]
    first.paragraphs[0] = make_paragraph(first.paragraphs[0].text + "比上年增加（减少）XX 万元。。")
    path = write_output(doc, tmp_path / f"out.{fmt}")
    fs = _serious(run_rules(_read(path), select=["D", "K", "P"]))
    assert sorted((f.rule_id, f.severity.value) for f in fs) == [
        ("D-002", "error"),
        ("D-004", "error"),
        ("D-007", "warning"),
        ("D-008", "error"),
        ("D-009", "error"),
        ("D-011", "warning"),
    ], _show(fs)


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_template_remnants_are_found_after_reading(fmt: str, tmp_path: Path) -> None:
    """A heading left out of the 目录, last year's year in an empty-table note and in a 绩效 table's
    title, a bracketed instruction to the writer, and (txt) one table in 元 among tables in 万元:
    each is found where it was put, after writing and reading back."""
    from juesuan.compose.output import write_output
    from juesuan.ingest.narrative.sentences import make_paragraph
    from juesuan.model import TextItem

    tables, facts = synth(3)
    doc = compose(tables, facts, check=False).disclosure
    year = doc.metadata.year
    assert year is not None
    removed = next(e for e in doc.toc if e.text.startswith("二、机构设置"))
    doc.toc.remove(removed)
    t07 = next(t for t in doc.tables if t.kind is TableKind.T07)
    note = f"注：{year - 1}年度，本部门没有发生政府性基金预算财政拨款收入支出，故本表无数据。"
    t07.notes = [TextItem(text=note)]
    perf = next(t for t in doc.tables if t.kind is TableKind.PERF_PROJECT)
    perf.title = perf.title.replace(f"{year}年度", f"{year - 1}年度")
    duties = doc.sections[0].children[0]
    duties.paragraphs[-1] = make_paragraph(duties.paragraphs[-1].text + "（请根据本部门“三定”方案填写部门主要职责）")
    path = write_output(doc, tmp_path / f"out.{fmt}")
    if fmt == "txt":  # the unit line of the third table, as a writer of the file would change it
        text = path.read_text(encoding="utf-8")
        at = [i for i in range(len(text)) if text.startswith("金额单位：万元", i)][2]
        path.write_text(text[:at] + "金额单位：元" + text[at + len("金额单位：万元") :], encoding="utf-8")
    fs = _serious(run_rules(_read(path), select=["D", "K", "P"]))
    want = {("D-003", "warning"), ("D-005", "warning"), ("D-010", "error")}
    if fmt == "txt":
        want.add(("D-012", "error"))
    assert {(f.rule_id, f.severity.value) for f in fs} == want, _show(fs)
    assert [f.rule_id for f in fs].count("D-005") == 1, _show(fs)
    texts = {f.rule_id + ":" + (r.text or "") for f in fs for r in f.locations}
    assert f"D-005:{removed.text}" in texts
    assert any(t.startswith("D-003:注：") and str(year - 1) in t for t in texts)
    assert any(t.startswith("D-010:") and "三定" in t for t in texts)
    assert any(t.startswith("D-003:项目支出绩效自评表") for t in texts)


def test_composed_document_with_a_copied_header_is_caught() -> None:
    tables, facts = synth(4)
    doc = compose(tables, facts, check=False).disclosure
    doc.tables[5].department = "鹤壁市社会保险事业管理局"
    doc.tables[6].printed_number = doc.tables[7].printed_number
    fs = _serious(run_rules(attach_claims(doc), select=FAMILIES))
    assert sorted((f.rule_id, f.severity.value) for f in fs) == [("D-002", "error"), ("D-004", "error")], (
        _show(fs)
    )


def test_builtin_example_planted_department_name() -> None:
    """Defect 4 of the built-in example (scripts/make_example.py): another department's name in
    the 部门 line of the 支出决算表 — the only document defect planted there."""
    from juesuan.api import example_path

    fs = _serious(run_rules(_read(example_path()), select=["D", "K", "P"]))
    assert [(f.rule_id, f.severity.value, f.found) for f in fs] == [("D-002", "error", "样板县医疗保障局")], (
        _show(fs)
    )
    assert fs[0].locations[0].table is TableKind.T03


def test_split_name_and_name_problems() -> None:
    assert split_name("蛟河市社会保险事业管理局") == ("蛟河市", "社会保险事业管理局")
    assert split_name("上海市普陀区规划和自然资源局") == ("上海市普陀区", "规划和自然资源局")
    assert split_name("中共上海市普陀区委社会工作部")[0] == "中共上海市普陀区"
    dept = "蛟河市社会保险事业管理局"
    assert name_problems("部门：鹤壁市社会保险事业管理局", dept) == [("other", "鹤壁市社会保险事业管理局")]
    assert name_problems("实施单位 蛟河市社会保险专业管理局", dept) == [
        ("variant", "蛟河市社会保险专业管理局")
    ]
    assert name_problems("纳入蛟河市社会保险事业管理局 2024 年度决算", dept) == []
    assert name_problems("我市社会保险事业管理局负责", dept) == []
    assert name_problems("蛟河市人力资源和社会保障局", dept) == []


def test_title_kind_and_numerals() -> None:
    """目录 lines name their tables (the 目录 reading of ``kind_from_title``)."""
    assert kind_from_title("六、一般公共预算财政拨款基本支出决算明细表", contents=True) is TableKind.T06
    assert kind_from_title("四、财政拨款收入支出决算总表", contents=True) is TableKind.T04
    assert kind_from_title("一、收入支出决算总表", contents=True) is TableKind.T01
    assert kind_from_title("十、部门预算项目支出绩效自评表", contents=True) is TableKind.PERF_PROJECT
    assert cn_to_int("十一") == 11 and cn_to_int("二十") == 20 and cn_to_int("六") == 6


# --- real documents (skip until the readers are in this checkout) ---------------------------------


def _read(path: object) -> Disclosure:
    from juesuan.ingest import read

    return read(path)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def seed000() -> list[Finding]:
    pytest.importorskip("juesuan.ingest.text")
    return run_rules(_read(seed("000_28fcffc144f7be8d.txt")), select=FAMILIES)


@pytest.fixture(scope="module")
def seed003() -> list[Finding]:
    pytest.importorskip("juesuan.ingest.text")
    return run_rules(_read(seed("003_837dc0ef3549c6c2.txt")), select=FAMILIES)


def _keys(fs: list[Finding]) -> list[tuple[str, str, str | None]]:
    return sorted((f.rule_id, f.severity.value, f.found) for f in _serious(fs))


def test_seed_000_document_defects(seed000: list[Finding]) -> None:
    assert _keys(seed000) == [
        ("D-002", "error", "鹤壁市社会保险事业管理局"),
        ("D-002", "warning", "蛟河市社会保险专业管理局"),
        ("D-003", "warning", "2023"),
        ("D-004", "error", "公开08表"),
        ("D-007", "warning", None),
        ("D-007", "warning", None),
        ("D-007", "warning", None),
    ], _show(seed000)
    other = next(f for f in seed000 if f.rule_id == "D-002" and f.severity is Severity.ERROR)
    assert len(other.locations) == 4  # the 部门 line of tables 06, 07, 08, 09
    numbers = next(f for f in seed000 if f.rule_id == "D-004")
    assert numbers.expected == "公开06表" and "基本支出决算明细表" in numbers.message
    empty = " ".join(f.message for f in seed000 if f.rule_id == "D-007")
    assert "政府性基金" in empty and "国有资本经营" in empty and "三公" in empty


def test_seed_003_document_defects(seed003: list[Finding]) -> None:
    assert _keys(seed003) == [("K-001", "warning", "其他对个人和家庭的补助支出")], _show(seed003)


@pytest.fixture(scope="module")
def pdf_findings() -> dict[str, list[Finding]]:
    pytest.importorskip("juesuan.ingest.pdf")
    out = {}
    for name in ("template", "putuo-planning", "putuo-social-work", "putuo-finance"):
        doc = _read(sample(f"shanghai-{name}-2024.pdf"))
        out[name] = run_rules(doc, select=FAMILIES)
        if name == "template":
            assert doc.metadata.is_template
    return out


def test_template_gives_one_finding(pdf_findings: dict[str, list[Finding]]) -> None:
    fs = pdf_findings["template"]
    assert [(f.rule_id, f.severity.value) for f in fs] == [("D-001", "warning")], _show(fs)
    assert "空白模板" in fs[0].message and "上海市XX局" in fs[0].message


def test_planning_pdf_defects(pdf_findings: dict[str, list[Finding]]) -> None:
    fs = pdf_findings["putuo-planning"]
    assert _keys(fs) == [
        ("D-002", "error", "上海市规划和自然资源局"),
        ("D-002", "warning", "上海市普陀区规划与自然资源局"),
        ("D-009", "error", "下降（增长）"),
        ("D-010", "error", "列明公务"),
    ], _show(fs)
    variant = next(f for f in fs if f.rule_id == "D-002" and f.severity is Severity.WARNING)
    assert len(variant.locations) == 3 and all(r.loc and r.loc.page == 26 for r in variant.locations)


def test_social_work_pdf_defects(pdf_findings: dict[str, list[Finding]]) -> None:
    fs = pdf_findings["putuo-social-work"]
    assert _keys(fs) == [
        ("D-010", "error", "作下述说明、仍保留该表格式"),
        ("D-010", "error", "作下述说明、仍保留该表格式"),
    ], _show(fs)


def test_finance_pdf_has_no_document_defect(pdf_findings: dict[str, list[Finding]]) -> None:
    fs = _serious(pdf_findings["putuo-finance"])
    assert fs == [], _show(fs)


def test_half_point_scores_are_printed_as_they_are(tmp_path: Path) -> None:
    """The composer prints 绩效 分值/得分 at their own precision (9.5, 98.5), not rounded to whole
    points: the table read back keeps 总分 = Σ 得分 and agrees with the narrative's 98.5分."""
    from juesuan.compose.output import write_output

    tables, facts = synth(3)
    composed = compose(tables, facts, check=False)
    perf = [t for t in composed.disclosure.tables if t.kind is TableKind.PERF_PROJECT]
    scores = [t.fields["total_score"].value for t in perf]
    assert any(v is not None and v != v.to_integral() for v in scores)  # the case this guards
    doc = _read(write_output(composed, tmp_path / "out.txt"))
    read_back = [t.fields["total_score"].value for t in doc.tables if t.kind is TableKind.PERF_PROJECT]
    assert read_back == scores
    fs = _serious(run_rules(doc, select=["P", "N"]))
    assert fs == [], _show(fs)
