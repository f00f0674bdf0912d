"""Documents of one department linked in the web app (web/related.py): which documents pair
(last year's budget, last year's 决算, the same year's budget), the findings of each pair stored
with the document each place is of, kept up to date as documents are checked again, reassigned or
deleted; and the API and pages that show them (``/api/documents/{id}/related``, ``/api/pairs``,
``/pairs/{a}/{b}``, the document page), decided like any finding.

The unit tests drive the web store directly with disclosures built from the compact case form;
the API tests go through the app with the fake reader (web_fixtures), rules real."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

from docx import Document

from juesuan.model import Finding, Location, Ref, Severity
from juesuan.report.crops import finding_boxes
from juesuan.report.extract import long_rows
from juesuan.rules.cases import build_disclosure
from juesuan.web.grouping import group_boxes, part_pages
from juesuan.web.organizations import Organizations
from juesuan.web.related import Related
from juesuan.web.store import Store
from juesuan.web.views import Item, Pane, build_views
from test_web_accounts import add_users, desk, login, new_token
from test_web_api import upload, wait
from test_web_review import SPEC, spec_bytes

DEPT = "示例市测试局"
# 2024 budget, 2025 budget (its 上年预算数 of 公务接待费 is not the 2024 budget's: C-001), and
# the 2024 决算 (SPEC: its 三公 预算数 of 公务接待费 2.50 is not the 2024 budget's 2.00: C-003).
B24 = {"metadata": {"department": DEPT, "year": 2024, "kind": "部门预算"},
       "tables": [{"kind": "B09", "rows": {"total": {"amount": "12.00"}, "car": {"amount": "8.50"}, "reception": {"amount": "2.00"}}}]}  # fmt: skip
B25 = {"metadata": {"department": DEPT, "year": 2025, "kind": "部门预算"},
       "tables": [{"kind": "B09", "rows": {"total": {"amount": "13.00", "last_year": "12.00"}, "reception": {"amount": "3.00", "last_year": "2.50"}}}]}  # fmt: skip
F23 = dict(SPEC, metadata={"department": DEPT, "year": 2023, "kind": "部门决算"})


class Desk:
    """The web store with the organisations and the pairs, documents added as finished jobs."""

    def __init__(self, tmp: Path):
        self.store = Store(tmp / "web.duckdb")
        self.orgs = Organizations(self.store)
        self.related = Related(self.store, self.orgs)
        self.store.on_finish.append(self.related.after_finish)

    def add(self, name: str, spec: dict[str, Any], doc_id: str | None = None) -> str:
        doc_id = doc_id or uuid.uuid4().hex
        if self.store.get(doc_id) is None:
            self.store.add(doc_id, filename=name, stored=doc_id + ".txt", size=1, sha256=doc_id, fmt="txt")
        else:
            self.store.requeue(doc_id)
        self.finish(doc_id, name, spec)
        return doc_id

    def finish(self, doc_id: str, name: str, spec: dict[str, Any]) -> None:
        doc = build_disclosure(spec)
        doc.metadata.source_path = name
        own = [{"rule_id": "T09-001", "rule_title": "合计", "severity": "error", "message": "本文件自己的问题", "locations": []}]
        self.store.finish(doc_id, {"metadata": doc.metadata.model_dump(mode="json"), "findings": own,
                                   "disclosure": doc.model_dump_json(), "cells": long_rows(doc), "pages": None, "page_sizes": None})  # fmt: skip

    def pairs(self) -> set[tuple[str, str, str]]:
        return {(p["doc_id"], p["other_id"], p["relation"]) for p in self.related.all_pairs()}


def test_pairs_by_department_year_and_kind(tmp_path: Path) -> None:
    d = Desk(tmp_path)
    b24, b25 = d.add("预算2024.txt", B24), d.add("预算2025.txt", B25)
    f24, f23 = d.add("决算2024.txt", SPEC), d.add("决算2023.txt", F23)
    other = d.add("他局预算2023.txt", dict(B24, metadata={"department": "示例市另一局", "year": 2023, "kind": "部门预算"}))
    unknown = d.add("年度未识别.txt", dict(B24, metadata={"department": DEPT, "year": None, "kind": "部门预算"}))
    assert d.pairs() == {
        (b25, b24, "previous_year"),  # a budget with last year's budget
        (f24, f23, "previous_year"),  # a 决算 with last year's 决算
        (f24, b24, "same_year_budget"),  # a 决算 with the budget it executes
    }
    assert other not in {x for p in d.pairs() for x in p} and unknown not in {x for p in d.pairs() for x in p}
    by_pair = {(c["doc_id"], c["other_id"]): c for c in d.related.findings(b24)}
    c001, c003 = by_pair[(b25, b24)], by_pair[(f24, b24)]
    assert c001["data"]["rule_id"] == "C-001" and c001["data"]["found"] == "2.50" and c001["data"]["expected"] == "2.00"
    assert c003["data"]["rule_id"] == "C-003" and c003["relation"] == "same_year_budget"
    # each place names its document, and its file by its own name
    assert c003["sides"] == [f24, b24]
    assert [r["loc"]["file"] for r in c003["data"]["locations"]] == ["决算2024.txt", "预算2024.txt"]
    # the pair's findings sit beside the document's own; its own stay its reports' (store.findings)
    assert [f["rule_id"] for f, _ in d.store.findings_with_fingerprints(f24)][0] == "T09-001"
    assert {f["rule_id"] for f, _ in d.store.findings_with_fingerprints(f24)} >= {"C-003"}
    assert [f["rule_id"] for f in d.store.findings(f24)] == ["T09-001"]


def test_refresh_is_incremental_and_keeps_fingerprints(tmp_path: Path) -> None:
    d = Desk(tmp_path)
    b24, b25 = d.add("预算2024.txt", B24), d.add("预算2025.txt", B25)
    before = {c["fingerprint"] for c in d.related.findings(b25)}
    assert d.related.refresh() == 0 and d.related.refresh(force=True) == 0  # nothing changed
    d.add("预算2025.txt", B25, doc_id=b25)  # checked again: the pair is checked again …
    assert {c["fingerprint"] for c in d.related.findings(b25)} == before  # … and finds the same ids
    # the older budget corrected: the finding is gone, the pair stays
    fixed = dict(B24, tables=[{"kind": "B09", "rows": {"total": {"amount": "12.00"}, "reception": {"amount": "2.50"}}}])
    d.add("预算2024.txt", fixed, doc_id=b24)
    assert d.pairs() == {(b25, b24, "previous_year")} and d.related.findings(b25) == []


def test_same_file_name_in_both_years(tmp_path: Path) -> None:
    """Both years' files called 部门预算.txt: each place is still told to be of its document."""
    d = Desk(tmp_path)
    b24, b25 = d.add("部门预算.txt", B24), d.add("部门预算.txt", B25)
    (c,) = d.related.findings(b25)
    assert c["sides"] == [b25, b24]


def test_organisations_decide_what_is_one_department(tmp_path: Path) -> None:
    d = Desk(tmp_path)
    b24 = d.add("预算2024.txt", B24)
    b25 = d.add("预算2025.txt", dict(B25, metadata=dict(B25["metadata"], department="示例市测试管理局")))
    assert d.pairs() == set()  # two names: not one department by itself
    d.orgs.import_rows([{"name": DEPT, "code": "001"}])
    d.orgs.assign(b25, "001", "审核人乙")  # the reviewer says the other name is the same unit
    d.related.refresh()
    assert d.pairs() == {(b25, b24, "previous_year")} and len(d.related.findings(b25)) == 1
    d.orgs.assign(b25, None, "审核人乙")  # and takes it back: the pair and its findings go
    d.related.refresh()
    assert d.pairs() == set() and d.related.findings(b24) == []
    assert [f["rule_id"] for f, _ in d.store.findings_with_fingerprints(b25)] == ["T09-001"]


def test_party_committee_names_meet_through_the_organisation(tmp_path: Path) -> None:
    """The desk's organisation 中共示例市委办公厅 takes the document printing the long name too
    (the corpus's normalisation: 中国共产党示例市委员会 = 中共示例市委)."""
    d = Desk(tmp_path)
    d.orgs.import_rows([{"name": "中共示例市委办公厅", "code": "A1"}])
    long = dict(B24, metadata=dict(B24["metadata"], department="中国共产党示例市委员会办公厅"))
    b24 = d.add("预算2024.txt", long)
    b25 = d.add("预算2025.txt", dict(B25, metadata=dict(B25["metadata"], department="中共示例市委办公厅")))
    assert d.pairs() == {(b25, b24, "previous_year")}


def test_a_deleted_document_leaves_no_pair(tmp_path: Path) -> None:
    d = Desk(tmp_path)
    b24, b25 = d.add("预算2024.txt", B24), d.add("预算2025.txt", B25)
    d.store.execute("DELETE FROM documents WHERE id=?", [b24])  # as a deletion does
    d.related.refresh()
    assert d.pairs() == set() and d.related.findings(b25) == []


# -- through the app ---------------------------------------------------------------------------------


def _three(c: Any, h: dict[str, str]) -> tuple[str, str, str]:
    ids = [upload(c, n, spec_bytes(s), headers=h)["id"] for n, s in (("预算2024.txt", B24), ("预算2025.txt", B25), ("决算2024.txt", SPEC))]
    for i in ids:
        assert wait(c, i, headers=h)["status"] == "done"
    return ids[0], ids[1], ids[2]


def test_related_api_pages_and_decisions(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    hr = {"Authorization": f"Bearer {new_token(db, '审核人乙')}"}
    ro = {"Authorization": f"Bearer {new_token(db, '只读丁')}"}
    with desk(tmp_path) as c:
        b24, b25, f24 = _three(c, hr)
        assert c.get(f"/api/documents/{b24}/related").status_code == 401  # no login, no token
        r = c.get(f"/api/documents/{b24}/related", headers=ro)  # read-only reads
        assert r.status_code == 200
        body = r.json()
        assert {(d["id"], d["relation"], d["relation_zh"], d["findings"]) for d in body["related"]} == {
            (b25, "previous_year", "下一年度预算", 1),
            (f24, "same_year_budget", "同年决算", 1),
        }
        assert {f["rule_id"] for f in body["findings"]} == {"C-001", "C-003"}
        c003 = next(f for f in body["findings"] if f["rule_id"] == "C-003")
        assert c003["document"] == f24 and c003["related_document"] == b24 and c003["decision"] is None
        assert [loc["document"] for loc in c003["locations"]] == [f24, b24]
        seen_from_f24 = c.get(f"/api/documents/{f24}/related", headers=ro).json()
        assert [d["relation_zh"] for d in seen_from_f24["related"]] == ["同年预算"]
        # the document's own object lists it as its finding, with the other document named
        own = c.get(f"/api/documents/{f24}", headers=ro).json()["findings"]
        assert [(f["id"], f["related_document"]) for f in own if f["rule_id"] == "C-003"] == [(c003["id"], b24)]

        # decided like any finding: a reviewer may, read-only may not
        assert c.post(f"/api/findings/{c003['id']}/decision", json={"decision": "confirmed"}, headers=ro).status_code == 403
        r = c.post(f"/api/findings/{c003['id']}/decision", json={"decision": "confirmed"}, headers=hr)
        assert r.status_code == 200 and r.json()["decision"]["by"] == "审核人乙"
        decided = {f["rule_id"]: f["decision"] for f in c.get(f"/api/documents/{b24}/related", headers=ro).json()["findings"]}
        assert decided["C-003"]["decision"] == "confirmed" and decided["C-001"] is None
        # the 决算's letter holds it, with both documents' places
        letter = Document(io.BytesIO(c.get(f"/api/documents/{f24}/letter.docx", headers=hr).content))
        rows = [[cell.text for cell in row.cells] for row in letter.tables[0].rows[1:]]
        assert len(rows) == 1 and "2024年度部门预算" in rows[0][2] and rows[0][4] == "2.00" and rows[0][5] == "2.50"
        # the budget checked again: the pair is checked again and the decision is kept
        assert c.post(f"/api/documents/{b24}/recheck", headers=hr).status_code == 202
        assert wait(c, b24, headers=hr)["status"] == "done"
        again = {f["rule_id"]: f for f in c.get(f"/api/documents/{b24}/related", headers=ro).json()["findings"]}
        assert again["C-003"]["id"] == c003["id"] and again["C-003"]["decision"]["decision"] == "confirmed"

        # pairs by two ids; two documents that are no pair
        r = c.get(f"/api/pairs/{b24}/{f24}", headers=ro).json()
        assert r["linked"] and r["relation"] == "same_year_budget" and [f["rule_id"] for f in r["findings"]] == ["C-003"]
        r = c.get(f"/api/pairs/{b25}/{f24}", headers=ro).json()
        assert r == {"documents": [b25, f24], "linked": False, "relation": None, "findings": []}
        assert c.get(f"/api/pairs/{b25}/{'0' * 32}", headers=ro).status_code == 404

        # the matrix links each pair from its later (or 决算) cell
        c.post("/api/organizations", json={"name": DEPT, "code": "001"}, headers={"Authorization": f"Bearer {new_token(db, '管理员甲')}"})
        cells = {r["code"]: r for r in c.get("/api/matrix", headers=ro).json()["rows"]}["001"]["cells"]
        assert [(p["other"], p["relation"], p["url"]) for p in cells["2025-预算"]["pairs"]] == [(b24, "previous_year", f"/pairs/{b24}/{b25}")]
        assert [p["relation"] for p in cells["2024-决算"]["pairs"]] == ["same_year_budget"]
        assert cells["2024-预算"]["pairs"] == []


def test_pages_show_the_pair_on_both_documents(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    with desk(tmp_path) as c:
        login(c, "只读丁")
        h = {"Authorization": f"Bearer {new_token(db, '审核人乙')}"}
        b24, b25, f24 = _three(c, h)
        page = c.get(f"/documents/{b24}").text
        assert page.count('class="finding sev-warning cross"') == 2  # the pairs' findings, on the other document too
        assert f'href="/pairs/{b24}/{b25}"' in page and f'href="/pairs/{b24}/{f24}"' in page
        assert "下一年度预算" in page and "同年决算" in page
        # its table pane: the B09 table, and the findings naming its cell (upper year's cell elsewhere)
        assert '<div class="xtable" data-doc="' + b24 + '" data-t="0" hidden>' in page
        assert f'[["{b24}", 0, "reception", null, "amount"]]' in page
        assert f'href="/documents/{b25}"' in page  # the other document's place links to it
        pair = c.get(f"/pairs/{b24}/{f24}").text
        assert "同年决算与预算" in pair and pair.count('class="paircol"') == 2 and pair.count('class="finding ') == 1
        # the finding's cells in both documents' table panes
        assert f'data-cells=\'[["{b24}", 0, "reception", null, "amount"], ["{f24}", 0, "reception", null, "budget"]]\'' in pair
        unrelated = c.get(f"/pairs/{b25}/{f24}").text
        assert 'id="not-linked"' in unrelated and 'id="no-cross"' in unrelated
        assert c.get(f"/pairs/{b25}/{'x' * 32}").status_code == 404


def test_decision_on_a_pair_finding_needs_csrf_in_a_session(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    with desk(tmp_path) as c:
        h = {"Authorization": f"Bearer {new_token(db, '审核人乙')}"}
        b24, _, f24 = _three(c, h)
        fid = next(f["id"] for f in c.get(f"/api/documents/{b24}/related", headers=h).json()["findings"] if f["rule_id"] == "C-003")
        csrf = login(c, "审核人丙")
        assert c.post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"}).status_code == 403
        r = c.post(f"/api/findings/{fid}/decision", json={"decision": "dismissed", "reason": "口径调整已说明"}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200 and r.json()["decision"]["by"] == "审核人丙"
        log = c.get(f"/api/audit?document={f24}").json()["entries"]
        assert log[0]["action"] == "dismissed" and log[0]["finding"] == fid


def test_pairs_survive_a_restart(tmp_path: Path) -> None:
    with desk(tmp_path) as c:
        b24, b25, _ = _three(c, {})
        first = json.dumps(c.get(f"/api/documents/{b25}/related").json(), sort_keys=True)
    with desk(tmp_path) as c:
        assert json.dumps(c.get(f"/api/documents/{b25}/related").json(), sort_keys=True) == first


def test_deleting_a_document_takes_its_pairs_findings_from_the_partners_counts(tmp_path: Path) -> None:
    """The pair's findings are attached to the later year's budget and to the 决算: deleting the
    2024 budget takes them from those documents' review counts at once (the list does not bring
    the pairs up to date by itself), and from their own findings."""
    with desk(tmp_path) as c:
        b24, b25, f24 = _three(c, {})
        assert len(c.get(f"/api/documents/{b24}/related").json()["related"]) == 2  # both pairs stored
        counts = {d["id"]: d["review"]["to_review"] for d in c.get("/api/documents").json()["documents"]}
        own = {
            i: sum(1 for f in c.get(f"/api/documents/{i}").json()["findings"] if "related_document" not in f and f["severity"] != "info")
            for i in (b25, f24)
        }
        assert counts[b25] == own[b25] + 1 and counts[f24] == own[f24] + 1  # C-001, C-003 counted
        assert c.delete(f"/api/documents/{b24}").json()["deleted"] == [b24]
        after = {d["id"]: d["review"]["to_review"] for d in c.get("/api/documents").json()["documents"]}
        assert after == {b25: own[b25], f24: own[f24]}
        for i in (b25, f24):
            assert not any("related_document" in f for f in c.get(f"/api/documents/{i}").json()["findings"])


class _Views:
    """What build_views asks of the app: the boxes as App.finding_boxes places them without the
    PDF (a group's: each place on its own file's page, group_boxes), no decisions, the rows."""

    def __init__(self, rows: dict[str, dict[str, Any]]):
        self.rows = rows
        self.store = self
        self.decisions = self

    def get(self, doc_id: str) -> dict[str, Any] | None:
        return self.rows.get(doc_id)

    def of(self, doc_id: str) -> dict[str, Any]:
        return {}

    def comments(self, doc_id: str) -> dict[str, Any]:
        return {}

    def finding_boxes(self, row: dict[str, Any], findings: list[Finding]) -> list[dict[int, list[Any]]]:
        if row.get("parts"):
            return group_boxes([(p, None) for p in part_pages(row)], findings)
        return [dict(finding_boxes(f)) for f in findings]


def test_a_pair_finding_on_a_group_is_placed_on_its_files_pages() -> None:
    """A disclosure checked from two files (a group: narrative 3 pages, tables 5) paired with last
    year's single file: the pair's place in the tables file's page 2 is the group's page 5, boxed
    there and labelled by its file; the place in the other document links to that document's page."""
    size = json.dumps([[600.0, 800.0]] * 8)
    group = {"id": "g" * 32, "filename": "说明.pdf + 表格.pdf", "format": "pdf", "page_sizes": size, "parts": "p1,p2",
             "part_pages": json.dumps([{"name": "说明.pdf", "pages": 3}, {"name": "表格.pdf", "pages": 5}])}  # fmt: skip
    other = {"id": "o" * 32, "filename": "上年.pdf", "format": "pdf", "page_sizes": size, "parts": None}
    f = Finding(
        rule_id="C-001", severity=Severity.WARNING, message="上年预算数与上年文件不一致",
        locations=[Ref(loc=Location(file="表格.pdf", page=2, bbox=(60.0, 80.0, 300.0, 100.0))),
                   Ref(loc=Location(file="上年.pdf", page=4, bbox=(60.0, 80.0, 300.0, 100.0)))],
    )  # fmt: skip
    item = Item(f, "fp", group["id"], other["id"], "previous_year", [group["id"], other["id"]])
    pane = Pane(group, None, json.loads(size), part_pages(group))
    assert [p["label"] for p in pane.pages][2:4] == ["《说明.pdf》第 3 页", "《表格.pdf》第 1 页"]
    views, _ = build_views(_Views({group["id"]: group, other["id"]: other}), [item], [pane])
    (v,) = views
    assert v["page"] == 5 and v["page_label"] == "《表格.pdf》第 2 页"
    assert [(b["doc"], b["page"]) for b in v["boxes"]] == [(group["id"], 5)]  # the other's place is not drawn here
    assert [(p["doc"], p["page"], p["shown"]) for p in v["places"]] == [(group["id"], 5, True), (other["id"], 4, False)]
    assert v["places"][0]["where"] == "《表格.pdf》第2页"
    # seen from last year's file: its own place drawn on its page 4, the group's linked to page 5
    views, _ = build_views(_Views({group["id"]: group, other["id"]: other}), [item], [Pane(other, None, json.loads(size))])
    (v,) = views
    assert v["page"] == 4 and [(b["doc"], b["page"]) for b in v["boxes"]] == [(other["id"], 4)]
    assert [(p["doc"], p["page"], p["shown"]) for p in v["places"]] == [(group["id"], 5, False), (other["id"], 4, True)]
