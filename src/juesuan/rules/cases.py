"""Pass/fail cases of rules, kept as YAML files beside the rule modules
(``rules/families/<family>/cases/<ID>.yaml``).

A case file::

    rule: T09-001
    cases:
      - name: 合计等于各项之和
        expect: pass            # pass | info | warning | error  (the highest severity reported)
        doc:
          metadata: {department: 某某局, year: 2024}
          tables:
            - kind: T09
              rows:
                total: {budget: "10.00", actual: "8.00"}
                abroad: {budget: "", actual: ""}
          sections:
            - heading: 一、收入支出决算总体情况说明
              paragraphs: ["2024年度收入总计1,051.37万元。"]

Row keys may carry a side prefix (``income:inc_total_year``, ``expense:208``,
``personnel:30101``); an all-digit key is also the row's 科目 code. Cell values are strings as
printed ("" for a blank cell); a key left out is a missing cell. A table may set ``unit: 元`` and
``decimals:`` (its printed precision, ``Table.decimals``; 2 when left out, 0 for whole 元),
``title:``, ``notes:`` and ``header_texts:`` (header lines as printed, ``Table.header_texts``).

A table may say how it was read (``reading:``, a :class:`~juesuan.model.TableReading` as a
mapping), and a case what it expects not to be checked: ``unchecked:`` the number of not-checked
places (``Unchecked`` items of the rule), ``unchecked_contains:`` words one of their reasons
holds. A finding resting on a column read by its position is withheld::

      - name: 栏目按位置推定，不报错误
        expect: pass
        unchecked: 1
        unchecked_contains: 栏目按位置推定
        doc:
          tables:
            - kind: T05
              reading: {by_position: [basic]}
              rows:
                total: {total: "10.00", basic: "9.00", project: "2.00"}

A case of a rule of a pair (:class:`~juesuan.rules.base.PairRule`) gives two documents: ``doc``,
the one findings are attached to, and the other one under the name of its relation to ``doc``
(``previous``: the same department's document of the year before; ``budget``: the same
department's budget of the same year, for a 决算)::

    rule: Y-001
    cases:
      - name: 年初与上年年末不一致
        expect: warning
        doc:
          tables:
            - kind: T01
              rows:
                "income:inc_begin_balance": {amount: "102.50"}
        previous:
          metadata: {year: 2023}
          tables:
            - kind: T01
              rows:
                "expense:exp_end_balance": {amount: "120.50"}

A document of a pair may also list its narrative's ``claims`` (``Claim`` objects as mappings, bound
as the narrative reader would bind them): a pair reads claims as a corpus stores them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..ingest.narrative.sentences import make_paragraph
from ..ingest.stages import complete_model
from ..model import (
    Cell,
    Claim,
    Column,
    Disclosure,
    Location,
    Metadata,
    Paragraph,
    ReadIssue,
    Row,
    Section,
    Table,
    TableKind,
    TableReading,
    TextItem,
    TocEntry,
)
from ..tables.numbers import try_amount
from ..tables.schema import column_label, row_label
from .pair import PREVIOUS_YEAR, SAME_YEAR_BUDGET, DocPair, PairDoc

FAMILIES_DIR = Path(__file__).parent / "families"
# cases of the families not yet moved into a package of their own
LEGACY_CASES_DIR = Path(__file__).parent / "cases"
SIDES = {"income", "expense", "personnel", "public"}
# the key of the other document of a pair case -> its relation to ``doc``
PAIR_KEYS = {"previous": PREVIOUS_YEAR, "budget": SAME_YEAR_BUDGET}
_TEXT_COLUMNS = {"level1", "level2", "level3", "target", "actual_text", "reason", "name"}


def _cell(raw: Any, line: int, col: int, text_column: bool = False) -> Cell:
    s = "" if raw is None else str(raw)
    loc = Location(line=line, col=col)
    if text_column:
        return Cell(raw=s, loc=loc)
    v, ok = try_amount(s)
    return Cell(raw=s, value=v if ok else None, loc=loc)


def build_table(spec: dict[str, Any], line0: int = 1) -> Table:
    kind = TableKind(spec["kind"])
    rows: list[Row] = []
    cols: dict[str, None] = {}
    line = line0
    for key, cells in (spec.get("rows") or {}).items():
        key = str(key)
        side = None
        if ":" in key and key.split(":", 1)[0] in SIDES:
            side, key = key.split(":", 1)
        code = key if key.isdigit() else None
        label = ""
        cell_map: dict[str, Cell] = {}
        for i, (ck, cv) in enumerate((cells or {}).items()):
            if ck == "label":
                label = str(cv)
                continue
            cols.setdefault(ck)
            cell_map[ck] = _cell(cv, line, i + 2, ck in _TEXT_COLUMNS)
        rows.append(
            Row(
                key=key,
                code=code,
                label=label or ("" if code else row_label(kind, key)),
                side=side,
                cells=cell_map,
                loc=Location(line=line),
            )
        )
        line += 1
    fields = {
        str(k): _cell(v, line0, 1, not str(k).startswith(("budget", "actual", "exec", "total", "weight")))
        for k, v in (spec.get("fields") or {}).items()
    }
    return Table(
        kind=kind,
        title=spec.get("title", ""),
        printed_number=spec.get("number"),
        unit=spec.get("unit"),
        department=spec.get("department"),
        columns=[Column(key=c, label=column_label(kind, c)) for c in cols],
        rows=rows,
        fields=fields,
        notes=[TextItem(text=n) for n in spec.get("notes", [])],
        header_texts=[TextItem(text=h) for h in spec.get("header_texts", [])],
        loc=Location(line=line0),
        decimals=int(spec.get("decimals", 2)),
        reading=TableReading.model_validate(spec.get("reading") or {}),
    )


def build_section(spec: dict[str, Any], level: int = 1) -> Section:
    return Section(
        heading=spec["heading"],
        level=spec.get("level", level),
        paragraphs=[
            make_paragraph(p, Location(line=i + 1)) for i, p in enumerate(spec.get("paragraphs", []))
        ],
        children=[build_section(c, level + 1) for c in spec.get("children", [])],
    )


def build_disclosure(spec: dict[str, Any]) -> Disclosure:
    """A disclosure from the compact case form above, completed by the reader stages (its 目录 and
    headings, its narrative's claims read and bound, its kind, its 绩效 parts) as a reader gives
    it."""
    md = dict(spec.get("metadata") or {})
    md.setdefault("year", 2024)
    md.setdefault("department", "示例市测试局")
    tables = [build_table(t, 100 * (i + 1)) for i, t in enumerate(spec.get("tables") or [])]
    for t in tables:
        if t.department is None:
            t.department = md["department"]
    doc = Disclosure(
        metadata=Metadata(**md),
        cover=[Paragraph(text=c) for c in spec.get("cover", [])],
        toc=[TocEntry(text=e) for e in spec.get("toc", [])],
        sections=[build_section(s) for s in spec.get("sections", [])],
        tables=tables,
        read_issues=[ReadIssue(**r) for r in spec.get("read_issues") or []],
    )
    return complete_model(doc)


def pair_key(case: dict[str, Any]) -> str | None:
    """The key of the other document when ``case`` is a case of a pair (None for one document)."""
    return next((k for k in PAIR_KEYS if k in case), None)


def build_pair(case: dict[str, Any]) -> DocPair:
    """The two documents of a pair case (see the module docstring)."""
    key = pair_key(case)
    if key is None:
        raise ValueError(f"a case of a pair gives 'doc' and one of {', '.join(PAIR_KEYS)}")
    return DocPair(_pair_doc(case["doc"], "doc"), _pair_doc(case[key], key), PAIR_KEYS[key])


def _pair_doc(spec: dict[str, Any], doc_id: str) -> PairDoc:
    doc = build_disclosure(spec)
    doc.claims = [Claim.model_validate(c) for c in spec.get("claims") or []]
    return PairDoc.from_disclosure(doc, doc_id)


def load_cases(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "rule" not in data or "cases" not in data:
        raise ValueError(f"{path}: a case file needs 'rule' and 'cases'")
    return data


def all_case_files() -> list[Path]:
    return sorted([*FAMILIES_DIR.glob("*/cases/*.yaml"), *LEGACY_CASES_DIR.glob("*.yaml")])


def case_file(rule_id: str) -> Path | None:
    """The case file of a rule, wherever its family keeps it (None when it has none)."""
    for p in all_case_files():
        if p.stem == rule_id:
            return p
    return None
