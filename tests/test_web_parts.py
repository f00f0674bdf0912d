"""A disclosure published as two files (its 情况说明 in one PDF, its tables in another) uploaded to
``juesuan serve``: grouped automatically whatever the order the files come in, checked as one as
``check --as-one`` checks it, listed once, its pages the two files' pages; decisions carried over
and kept; a part without its partner says what it could not check; deleting a part or the group.

The grouping rule is tested on its own (no reading); the rest runs the real readers on the Jiangsu
samples (skipped when ../shared is absent)."""

from __future__ import annotations

import io
import itertools
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from pypdf import PdfReader

from conftest import SAMPLES
from juesuan.api import check_as_one
from juesuan.web.fingerprint import fingerprints
from juesuan.web.grouping import Candidate, group_id, wanted_groups
from juesuan.web.worker import process_file
from test_web_api import client, spec_text, wait
from web_fixtures import parts_group_process, parts_process

JIANGSU = SAMPLES / "jiangsu-budget"
NARRATIVE = "jiangsu-cppcc-office-2018-budget-narrative.pdf"
TABLES = "jiangsu-cppcc-office-2018-budget-tables.pdf"
KEY = ("江苏省政协办公厅", 2018, "部门预算")


def cand(id_: str, role: str | None, seq: int, key: tuple[str, int, str] | None = KEY, sha: str | None = None) -> Candidate:
    return Candidate(id=id_, seq=seq, filename=f"{id_}.pdf", sha256=sha or id_, format="pdf", size=1, role=role,
                     key=key, uploaded_by=None)  # fmt: skip


def test_the_grouping_rule() -> None:
    n, t = cand("n", "narrative", 1), cand("t", "tables", 2)
    both = cand("b", "both", 3)
    # one narrative and one tables file of one department, year and kind: one group, in any order
    for files in itertools.permutations([n, t, cand("x", "tables", 4, key=("江苏省政协办公厅", 2017, "部门预算"))]):
        assert {g: [c.id for c in ps] for g, ps in wanted_groups(list(files)).items()} == {group_id(["n", "t"]): ["n", "t"]}
    # a file holding both, a second narrative: no guess
    assert wanted_groups([n, t, both]) == {}
    assert wanted_groups([n, t, cand("n2", "narrative", 5)]) == {}
    # a copy of a part (same content) counts once: the first uploaded is the part
    assert [c.id for c in next(iter(wanted_groups([t, cand("n-copy", "narrative", 9, sha="n"), n]).values()))] == ["n", "t"]
    # department, year or kind not read, or a template: no group
    assert wanted_groups([cand("n", "narrative", 1, key=None), t]) == {}
    assert wanted_groups([n, cand("t", "tables", 2, key=("江苏省政协办公厅", 2018, "部门决算"))]) == {}


def _sample(name: str) -> Path:
    p = JIANGSU / name
    if not p.exists():
        pytest.skip(f"{p} is absent (the shared folder is not beside this checkout)")
    return p


def _upload(c: Any, path: Path) -> str:
    r = c.post("/api/documents", files={"file": (path.name, path.read_bytes())})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _group(c: Any, timeout: float = 90.0) -> dict[str, Any]:
    """The list's only row once it is a group whose check is done."""
    end = time.monotonic() + timeout
    while True:
        docs = c.get("/api/documents").json()["documents"]
        if len(docs) == 1 and docs[0]["parts"] and docs[0]["status"] == "done":
            return dict(docs[0])
        assert time.monotonic() < end, docs
        time.sleep(0.2)


@pytest.fixture(scope="module")
def as_one() -> Any:
    return check_as_one([_sample(NARRATIVE), _sample(TABLES)])


def test_narrative_first_then_tables(tmp_path: Path, as_one: Any) -> None:
    narrative, tables = _sample(NARRATIVE), _sample(TABLES)
    with client(tmp_path, processor=process_file, timeout=120) as c:
        nid = _upload(c, narrative)
        alone = wait(c, nid, 90)
        assert alone["status"] == "done" and alone["group"] is None
        # the narrative alone: listed as such, and what it could not check is said
        row = c.get("/api/documents").json()["documents"][0]
        assert row["part"] == "narrative" and row["part_zh"] == "情况说明" and row["parts"] == []
        lone = [u for u in alone["unchecked"] if u["what"] == "表格的核对"]
        assert lone and lone[0]["reason"].startswith("本文件只有情况说明，没有表格")
        page = c.get(f"/documents/{nid}").text
        assert 'class="unchecked lone"' in page and "本文件只有情况说明，没有表格" in page
        assert "仅情况说明" in c.get("/").text
        # a decision on the narrative alone: the same defect in the group keeps it
        d010 = next(f for f in alone["findings"] if f["rule_id"] == "D-010")
        r = c.post(f"/api/findings/{d010['id']}/decision", json={"decision": "confirmed"})
        assert r.status_code == 200

        tid = _upload(c, tables)
        group = _group(c)
        gid = group["id"]
        assert [p["id"] for p in group["parts"]] == [nid, tid]  # the narrative first, as --as-one reads them
        assert [p["filename"] for p in group["parts"]] == [NARRATIVE, TABLES]
        assert group["filename"] == f"{NARRATIVE} + {TABLES}" and group["kind"] == "预算"
        assert group["summary"] == as_one.counts()
        body = c.get(f"/api/documents/{gid}").json()
        assert body["summary"] == as_one.counts()
        assert sorted(f["rule_id"] for f in body["findings"]) == sorted(f.rule_id for f in as_one.findings)
        assert [u["what"] for u in body["unchecked"]] == [u.what for u in as_one.unchecked]
        assert not [u for u in body["unchecked"] if u["what"] in ("表格的核对", "情况说明与表格的核对")]
        fps = fingerprints([f.model_dump(mode="json") for f in as_one.findings])
        assert {f["id"].split("-", 1)[1] for f in body["findings"]} == set(fps)
        carried = next(f for f in body["findings"] if f["id"].endswith(d010["id"].split("-", 1)[1]))
        assert carried["decision"]["decision"] == "confirmed"
        assert c.get(f"/api/documents/{nid}").json()["group"] == gid
        audit = [e["action"] for e in c.get(f"/api/audit?document={gid}").json()["entries"]]
        assert audit == ["grouped"]

        # the pages: the narrative's, then the tables'; each image is the file's own page
        parts = {p["id"]: p for p in c.get(f"/api/documents/{gid}").json()["parts"]}
        n_pages, t_pages = parts[nid]["pages"], parts[tid]["pages"]
        assert body["pages"] == n_pages + t_pages and parts[tid]["first_page"] == n_pages + 1
        own = c.get(f"/api/documents/{tid}/pages/11.png")
        grouped = c.get(f"/api/documents/{gid}/pages/{n_pages + 11}.png")
        assert own.status_code == grouped.status_code == 200 and own.content == grouped.content
        assert c.get(f"/api/documents/{gid}/pages/{n_pages + t_pages + 1}.png").status_code == 404
        html = c.get(f"/documents/{gid}").text
        assert "由 2 个文件合并核对" in html and f"《{TABLES}》第 11 页" in html and f"《{NARRATIVE}》第 15 页" in html
        # the finding comparing a sentence with a table has its boxes on both files' pages
        n004 = re.search(r'<li class="finding[^"]*" data-f="(\d+)"[^>]*data-rule="N-004"', html)
        assert n004
        boxed = set(re.findall(rf'<div class="page" id="page-(\d+)"(?:(?!<div class="page").)*?data-f="{n004.group(1)}"', html, re.S))
        assert {"15", str(n_pages + 11)} <= boxed
        assert f'data-page="{n_pages + 11}" title="转到《{TABLES}》第11页"' in html
        part_page = c.get(f"/documents/{tid}").text
        assert 'id="group-note"' in part_page and f'href="/documents/{gid}"' in part_page

        # reports of the group: the annotated PDF holds both files, the HTML both names
        pdf = c.get(f"/api/documents/{gid}/report.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert len(PdfReader(io.BytesIO(pdf.content)).pages) > n_pages + t_pages
        report = c.get(f"/api/documents/{gid}/report.html")
        assert report.status_code == 200 and TABLES in report.text

        # re-checked: the same findings, the decision kept
        assert c.post(f"/api/documents/{gid}/recheck").status_code == 202
        time.sleep(0.3)
        again = wait(c, gid, 90)
        assert again["summary"] == as_one.counts()
        assert next(f for f in again["findings"] if f["id"] == carried["id"])["decision"]["decision"] == "confirmed"

        # the letter names each file's pages
        n004 = next(f for f in again["findings"] if f["rule_id"] == "N-004")
        assert c.post(f"/api/findings/{n004['id']}/decision", json={"decision": "confirmed"}).status_code == 200
        letter = Document(io.BytesIO(c.get(f"/api/documents/{gid}/letter.docx").content))
        pages = {row.cells[1].text for row in letter.tables[0].rows[1:]}
        assert f"《{NARRATIVE}》第 15 页；《{TABLES}》第 11 页" in pages

        # deleting one part takes the group with it; the other part is listed alone again
        r = c.delete(f"/api/documents/{tid}")
        assert r.status_code == 200 and sorted(r.json()["deleted"]) == sorted([tid, gid])
        docs = c.get("/api/documents").json()["documents"]
        assert [d["id"] for d in docs] == [nid] and docs[0]["part"] == "narrative"
        assert c.get(f"/api/documents/{gid}").status_code == 404
        assert c.get(f"/api/documents/{nid}").json()["group"] is None


def test_tables_first_both_at_once_same_result(tmp_path: Path, as_one: Any) -> None:
    narrative, tables = _sample(NARRATIVE), _sample(TABLES)
    with client(tmp_path, processor=process_file, timeout=120, workers=2) as c:
        tid = _upload(c, tables)
        nid = _upload(c, narrative)
        group = _group(c)
        assert [p["id"] for p in group["parts"]] == [nid, tid]
        body = c.get(f"/api/documents/{group['id']}").json()
        assert body["summary"] == as_one.counts()
        fps = fingerprints([f.model_dump(mode="json") for f in as_one.findings])
        assert {f["id"].split("-", 1)[1] for f in body["findings"]} == set(fps)
        # a copy of a part changes nothing: it is listed as a copy, the group stands
        copy = _upload(c, narrative)
        wait(c, copy, 90)
        time.sleep(0.5)
        docs = c.get("/api/documents").json()["documents"]
        assert sorted(d["id"] for d in docs) == sorted([group["id"], copy])
        # deleting the group deletes both its files
        r = c.delete(f"/api/documents/{group['id']}")
        assert sorted(r.json()["deleted"]) == sorted([group["id"], nid, tid])
        left = sorted(p.name for p in (tmp_path / "data" / "uploads").iterdir())
        assert left == [copy + ".pdf"]
        assert not (tmp_path / "data" / "cache" / group["id"]).exists()


def _spec(part: str, department: str = "示例市测试局", total: str = "12.00") -> bytes:
    spec = yaml.safe_load(spec_text(department, total).decode("utf-8"))
    spec["metadata"]["kind"] = "部门决算"
    return yaml.safe_dump(dict(spec, part=part), allow_unicode=True).encode("utf-8")


def _rows(c: Any) -> list[dict[str, Any]]:
    return list(c.get("/api/documents").json()["documents"])


def _until(c: Any, test: Any, timeout: float = 30.0) -> list[dict[str, Any]]:
    end = time.monotonic() + timeout
    while True:
        rows = _rows(c)
        if test(rows) and all(r["status"] in ("done", "failed") for r in rows):
            return rows
        assert time.monotonic() < end, rows
        time.sleep(0.1)


def test_a_third_candidate_dissolves_the_group_and_its_deletion_forms_it_again(tmp_path: Path) -> None:
    with client(tmp_path, processor=parts_process, group_processor=parts_group_process) as c:
        n = c.post("/api/documents", files={"file": ("说明.txt", _spec("narrative"))}).json()["id"]
        t = c.post("/api/documents", files={"file": ("表格.txt", _spec("tables"))}).json()["id"]
        rows = _until(c, lambda rows: len(rows) == 1 and rows[0]["parts"])
        gid = rows[0]["id"]
        assert [p["id"] for p in rows[0]["parts"]] == [n, t] and rows[0]["filename"] == "说明.txt + 表格.txt"
        fid = wait(c, gid)["findings"][0]["id"]
        assert c.post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"}).status_code == 200
        # a second narrative of the same department and year: which one belongs is not guessed
        n2 = c.post("/api/documents", files={"file": ("说明（修订）.txt", _spec("narrative", total="13.00"))}).json()["id"]
        rows = _until(c, lambda rows: len(rows) == 3)
        assert sorted(r["id"] for r in rows) == sorted([n, t, n2]) and not any(r["parts"] for r in rows)
        assert {r["part"] for r in rows} == {"narrative", "tables"}
        assert c.get(f"/api/documents/{gid}").status_code == 404
        assert "ungrouped" in [e["action"] for e in c.get(f"/api/audit?document={gid}").json()["entries"]]
        # the extra narrative deleted: the same group again, with its decision
        assert c.delete(f"/api/documents/{n2}").status_code == 200
        rows = _until(c, lambda rows: len(rows) == 1 and rows[0]["parts"])
        assert rows[0]["id"] == gid
        again = wait(c, gid)
        assert next(f for f in again["findings"] if f["id"] == fid)["decision"]["decision"] == "confirmed"
        # a different department's tables do not join
        c.post("/api/documents", files={"file": ("别的.txt", _spec("tables", department="示例市别的局"))})
        rows = _until(c, lambda rows: len(rows) == 2)
        assert [r["id"] for r in rows if r["parts"]] == [gid]
