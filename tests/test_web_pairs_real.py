"""Linked documents in the web app on real and composed inputs, read by the real readers:

* the Jiangsu budgets published as one file per year (three departments, 2017 and 2018): the web
  app links each 2018 budget with its 2017 budget and finds exactly the findings the pair
  ledger (tests/ledger/pairs/) holds for it, each with its page in both documents;
* a 决算 and the same department's budget of the same year, composed as text (compose's 决算 and
  ``template --kind budget``'s budget, independent figures): the web app links them and stores
  exactly the findings the rules of a pair give on the two files read by ``juesuan.ingest``.

Skipped when the shared documents are absent."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from juesuan.compose.budget import render_budget_txt, synth_budget
from juesuan.compose.render_txt import render_txt
from juesuan.ingest import read
from juesuan.rules import run_pair_rules
from juesuan.rules.pair import SAME_YEAR_BUDGET, DocPair, PairDoc
from juesuan.web.worker import process_file
from store_support import composed
from test_web_accounts import desk
from test_web_api import wait

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "tests" / "ledger" / "pairs"
SHARED = ROOT.parent / "shared"


def _single_file_ledgers() -> list[dict[str, Any]]:
    out = []
    for p in sorted(LEDGER.glob("*.yaml")):
        entry = yaml.safe_load(p.read_text(encoding="utf-8"))
        if len(entry["doc"]) == 1 and len(entry["other"]) == 1:  # the parts are joined by the upload's grouping
            out.append(entry)
    return out


def _upload(c: Any, path: Path) -> str:
    r = c.post("/api/documents", files={"file": (path.name, path.read_bytes())})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_jiangsu_budget_pairs_as_the_ledger_holds(tmp_path: Path) -> None:
    ledgers = _single_file_ledgers()
    files = [SHARED / e[k][0] for e in ledgers for k in ("doc", "other")]
    if not ledgers or not all(f.exists() for f in files):
        pytest.skip("the shared Jiangsu budgets are absent")
    with desk(tmp_path, processor=process_file, timeout=240, workers=2) as c:
        ids = {f.name: _upload(c, f) for f in files}
        for i in ids.values():
            assert wait(c, i, timeout=240)["status"] == "done"
        for e in ledgers:
            doc, other = ids[Path(e["doc"][0]).name], ids[Path(e["other"][0]).name]
            body = c.get(f"/api/documents/{doc}/related").json()
            assert [(d["id"], d["relation"]) for d in body["related"]] == [(other, e["relation"])]
            got = sorted(
                (f["rule_id"], f["severity"], f["locations"][0]["loc"]["page"], f["locations"][1]["loc"]["page"], f["expected"], f["found"])
                for f in body["findings"]
                if f["severity"] != "info"
            )
            want = sorted((x["rule"], x["severity"], x["page"], x["other_page"], x["expected"], x["found"]) for x in e["findings"])
            assert got == want, e["department"]
            for f in body["findings"]:  # each place is of its document, named by its file
                assert [loc["document"] for loc in f["locations"]] == [doc, other]
                assert [loc["loc"]["file"] for loc in f["locations"]] == [Path(e["doc"][0]).name, Path(e["other"][0]).name]
            if want:  # the pair page draws each finding's box on both documents' pages
                page = c.get(f"/pairs/{other}/{doc}").text
                for x in e["findings"]:
                    assert f'id="p-{doc}-{x["page"]}"' in page and f'id="p-{other}-{x["other_page"]}"' in page
                assert page.count('class="box sev-warning"') >= 2 * len(want)


def test_composed_final_accounts_and_budget_of_one_year(tmp_path: Path) -> None:
    if not SHARED.exists():
        pytest.skip("the shared folder is absent")
    folder = tmp_path / "in"
    folder.mkdir()
    final, budget = folder / "统计局2024年部门决算.txt", folder / "统计局2024年部门预算.txt"
    final.write_text(render_txt(composed(7, "示例市统计局", 2024)), encoding="utf-8")
    budget.write_text(render_budget_txt(synth_budget(7, "示例市统计局", 2024)), encoding="utf-8")
    # what the rules of a pair say of the two files, read as `check` reads them
    f, b = read(final), read(budget)
    f.metadata.source_path, b.metadata.source_path = final.name, budget.name
    want = sorted(
        (x.rule_id, x.severity.value, x.expected, x.found)
        for x in run_pair_rules(DocPair(PairDoc.from_disclosure(f), PairDoc.from_disclosure(b), SAME_YEAR_BUDGET))
    )
    assert {w[0] for w in want} >= {"C-003", "C-004"}  # independent figures: they disagree
    with desk(tmp_path, processor=process_file, timeout=120) as c:
        fid, bid = _upload(c, final), _upload(c, budget)
        for i in (fid, bid):
            assert wait(c, i, timeout=120)["status"] == "done"
        body = c.get(f"/api/documents/{bid}/related").json()
        assert [(d["id"], d["relation"], d["relation_zh"]) for d in body["related"]] == [(fid, "same_year_budget", "同年决算")]
        got = sorted((x["rule_id"], x["severity"], x["expected"], x["found"]) for x in body["findings"])
        assert got == want
        assert all(x["document"] == fid and x["related_document"] == bid for x in body["findings"])
        # a text input: the document page shows the tables and the sentences, no page image
        page = c.get(f"/documents/{fid}").text
        assert 'class="split two"' in page and 'class="xtable"' in page and 'class="xlines"' in page
        assert "/pages/1.png" not in page


def _two_file_ledgers() -> list[dict[str, Any]]:
    """The pair ledgers whose documents are each published as a narrative file and a tables file."""
    out = []
    for p in sorted(LEDGER.glob("*.yaml")):
        entry = yaml.safe_load(p.read_text(encoding="utf-8"))
        if len(entry["doc"]) == 2 and len(entry["other"]) == 2:
            out.append(entry)
    return out


def _groups(c: Any, n: int, timeout: float) -> dict[frozenset[str], dict[str, Any]]:
    """The list's group rows by their parts' file names, once ``n`` groups are checked."""
    end = time.monotonic() + timeout
    while True:
        docs = c.get("/api/documents").json()["documents"]
        groups = [d for d in docs if d["parts"]]
        if len(groups) == n and all(d["status"] == "done" for d in docs):
            return {frozenset(p["filename"] for p in g["parts"]): g for g in groups}
        assert time.monotonic() < end, docs
        time.sleep(0.5)


def test_jiangsu_budgets_in_two_files_pair_as_one_each(tmp_path: Path) -> None:
    """The budgets published as narrative + tables files (two departments, 2017 and 2018): each
    year's two files grouped and checked as one; the 2018 group linked with the 2017 group of the
    same department, as a whole, with exactly the findings the pair ledger holds (what ``batch``
    finds on the joined disclosures); the files of a group never linked on their own. The pair
    page shows both files' pages of each group, labelled by file."""
    ledgers = _two_file_ledgers()
    files = [SHARED / f for e in ledgers for k in ("doc", "other") for f in e[k]]
    if not ledgers or not all(f.exists() for f in files):
        pytest.skip("the shared Jiangsu budgets are absent")
    with desk(tmp_path, processor=process_file, timeout=240, workers=2) as c:
        ids = {f.name: _upload(c, f) for f in files}
        groups = _groups(c, 2 * len(ledgers), timeout=600)
        part_ids = set(ids.values())
        for e in ledgers:
            doc = groups[frozenset(Path(f).name for f in e["doc"])]["id"]
            other = groups[frozenset(Path(f).name for f in e["other"])]["id"]
            body = c.get(f"/api/documents/{doc}/related").json()
            assert [(d["id"], d["relation"]) for d in body["related"]] == [(other, e["relation"])], e["department"]
            got = sorted(
                (f["rule_id"], f["severity"], f["locations"][0]["loc"]["page"], f["locations"][1]["loc"]["page"], f["expected"], f["found"])
                for f in body["findings"]
                if f["severity"] != "info"
            )
            want = sorted((x["rule"], x["severity"], x["page"], x["other_page"], x["expected"], x["found"]) for x in e["findings"])
            assert got == want, e["department"]
            names = {doc: {Path(f).name for f in e["doc"]}, other: {Path(f).name for f in e["other"]}}
            for f in body["findings"]:  # each place is of its group, named by the file it is in
                for loc in f["locations"]:
                    assert loc["document"] in names and loc["loc"]["file"] in names[loc["document"]], f
            back = c.get(f"/api/documents/{other}/related").json()
            assert [(d["id"], d["relation_zh"]) for d in back["related"]] == [(doc, "下一年度预算")]
            # the pair page: every page of both files of each group, each labelled by its file
            page = c.get(f"/pairs/{other}/{doc}").text
            for gid, parts in ((doc, e["doc"]), (other, e["other"])):
                views = {p["filename"]: p for p in c.get(f"/api/documents/{gid}").json()["parts"]}
                for name in (Path(f).name for f in parts):
                    v = views[name]
                    last = v["first_page"] + v["pages"] - 1
                    assert f'id="p-{gid}-{last}"' in page and f"《{name}》第 {v['pages']} 页" in page
        # no file checked within a group is linked, alone or with anything
        for pid in part_ids:
            assert c.get(f"/api/documents/{pid}/related").json()["related"] == [], pid
        # the groups' own findings stay their own: what the document list counts are not the pair's
        docs = {d["id"]: d for d in c.get("/api/documents").json()["documents"]}
        assert not part_ids & set(docs)
