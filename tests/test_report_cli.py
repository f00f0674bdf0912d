"""``juesuan check --format html|xlsx|pdf -o OUT`` wiring (the reader is replaced by a
disclosure built from the compact case form, so these tests do not depend on the readers)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import juesuan.api as api_mod
from conftest import sample
from juesuan.cli import app
from juesuan.ingest import InputError
from juesuan.model import Disclosure, Location
from juesuan.rules.cases import build_disclosure

SPEC = {
    "metadata": {"department": "示例市测试局"},
    "tables": [
        {
            "kind": "T09",
            "rows": {
                "total": {"budget": "12.00", "actual": "8.00"},
                "abroad": {"budget": "", "actual": ""},
                "car": {"budget": "8.50", "actual": "6.00"},
                "reception": {"budget": "2.50", "actual": "2.00"},
            },
        }
    ],
}


def fake_read(path: str | Path) -> Disclosure:
    """A disclosure from a YAML case spec; for a PDF, the spec's cells are placed on page 14."""
    p = Path(path)
    data = p.read_bytes()
    if data.startswith(b"%PDF"):
        doc = build_disclosure(SPEC)
        for i, r in enumerate(doc.tables[0].rows):
            for j, (k, c) in enumerate(r.cells.items()):
                r.cells[k] = c.model_copy(update={"loc": Location(page=14, bbox=(300 + 80 * j, 200 + 30 * i, 340 + 80 * j, 215 + 30 * i))})
        doc.metadata.source_format = "pdf"
        return doc
    try:
        spec = yaml.safe_load(data.decode("utf-8"))
    except Exception:
        raise InputError(str(path), "不是可识别的文档", code="not_a_document") from None
    if not isinstance(spec, dict):
        raise InputError(str(path), "不是可识别的文档", code="not_a_document")
    doc = build_disclosure(spec)
    doc.metadata.source_format = "txt"
    return doc


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(api_mod, "read", fake_read)
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(SPEC, allow_unicode=True), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("只是一句话", encoding="utf-8")
    return tmp_path


def test_check_html(files: Path) -> None:
    out = files / "r.html"
    res = CliRunner().invoke(app, ["check", str(files / "a.yaml"), "--format", "html", "-o", str(out)])
    assert res.exit_code == 1, res.output  # an error-level finding
    text = out.read_text(encoding="utf-8")
    assert "T09-001" in text and "示例市测试局" in text and 'class="hl"' in text
    assert "已写入 HTML 报告" in res.output


def test_check_xlsx_with_a_bad_file(files: Path) -> None:
    from openpyxl import load_workbook

    out = files / "r.xlsx"
    res = CliRunner().invoke(
        app, ["check", "-r", "T09", str(files / "a.yaml"), str(files / "bad.yaml"), "--format", "xlsx", "-o", str(out)]
    )
    assert res.exit_code == 2, res.output  # a file could not be read
    assert "无法检查" in res.output and "不是可识别的文档" in res.output
    ws = load_workbook(out)["问题清单"]
    assert [r[3].value for r in ws.iter_rows(min_row=2)] == ["T09-001", "not_a_document"]


def test_check_needs_output(files: Path) -> None:
    res = CliRunner().invoke(app, ["check", str(files / "a.yaml"), "--format", "html"])
    assert res.exit_code == 2 and "需要用 -o 指定输出文件" in res.output


def test_check_pdf_of_non_pdf_input(files: Path) -> None:
    res = CliRunner().invoke(app, ["check", str(files / "a.yaml"), "--format", "pdf", "-o", str(files / "x.pdf")])
    assert res.exit_code == 2
    assert "批注版 PDF 报告需要 PDF 格式的输入文件" in res.output
    assert not (files / "x.pdf").exists()


def test_check_pdf_annotates(files: Path) -> None:
    from pypdf import PdfReader

    src = sample("shanghai-putuo-social-work-2024.pdf")
    out = files / "批注.pdf"
    res = CliRunner().invoke(app, ["check", "-r", "T09", str(src), "--format", "pdf", "-o", str(out)])
    assert res.exit_code == 1, res.output
    assert "已写入批注版 PDF" in res.output
    r = PdfReader(io.BytesIO(out.read_bytes()))
    hl = [a.get_object() for a in r.pages[14]["/Annots"] if a.get_object()["/Subtype"] == "/Highlight"]
    assert len(hl) == 1 and "T09-001" in hl[0]["/Contents"]
    # four budget cells of rows 0..3, column 0 → four quads
    assert len(hl[0]["/QuadPoints"]) == 4 * 8


def test_example_to_html_and_xlsx(tmp_path: Path) -> None:
    """The built-in example through the real reader (skipped until the example and reader exist)."""
    import importlib.util

    from juesuan.api import example_path

    if not example_path().exists() or importlib.util.find_spec("juesuan.ingest.text") is None:
        pytest.skip("the built-in example or the text reader is not there yet")
    for fmt in ("html", "xlsx"):
        out = tmp_path / f"example.{fmt}"
        res = CliRunner().invoke(app, ["check", "--example", "--format", fmt, "-o", str(out)])
        assert res.exit_code in (0, 1), res.output
        assert out.stat().st_size > 1000
    res = CliRunner().invoke(app, ["check", "--example", "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2 and "批注版 PDF 报告需要 PDF 格式的输入文件" in res.output


def test_several_files_make_one_html_with_an_index(files: Path) -> None:
    (files / "b.yaml").write_text(yaml.safe_dump(SPEC, allow_unicode=True), encoding="utf-8")
    out = files / "all.html"
    res = CliRunner().invoke(app, ["check", str(files / "a.yaml"), str(files / "b.yaml"), "-f", "html", "-o", str(out)])
    assert res.exit_code == 1, res.output
    text = out.read_text(encoding="utf-8")
    index = text[text.index('<nav class="index">') : text.index("</nav>")]
    assert "文件一览" in index and index.count('href="#doc-') == 2 and "示例市测试局" in index
    assert "已写入 HTML 报告" in res.output and "（2 个文件）" in res.output
    assert not re.search(r"(src|href)=\"https?:", text)  # offline: nothing fetched from the net


def test_output_folder_gives_one_report_per_file(files: Path) -> None:
    (files / "b.yaml").write_text(yaml.safe_dump(SPEC, allow_unicode=True), encoding="utf-8")
    for fmt in ("html", "xlsx"):
        out = files / f"out-{fmt}"
        res = CliRunner().invoke(app, ["check", str(files / "a.yaml"), str(files / "b.yaml"), "-f", fmt, "-o", f"{out}/"])
        assert res.exit_code == 1, res.output
        assert sorted(p.name for p in out.iterdir()) == [f"a.核对报告.{fmt}", f"b.核对报告.{fmt}"]


def test_a_name_without_extension_is_not_silently_a_folder(files: Path) -> None:
    out = files / "all"
    res = CliRunner().invoke(app, ["check", str(files / "a.yaml"), str(files / "a.yaml"), "-f", "html", "-o", str(out)])
    assert res.exit_code == 2 and "没有扩展名" in res.output and not out.exists()


def test_folder_with_a_readme_to_one_pdf(files: Path) -> None:
    """``check FOLDER -f pdf -o all.pdf``: one PDF (not a folder named all.pdf) with an index page
    linking to each PDF; the README skipped and the YAML disclosure listed as not a PDF; the
    README does not make the exit code an input error."""
    import pypdfium2 as pdfium

    folder = files / "in"
    folder.mkdir()
    data = sample("shanghai-putuo-social-work-2024.pdf").read_bytes()
    (folder / "甲.pdf").write_bytes(data)
    (folder / "乙.pdf").write_bytes(data)
    (folder / "说明.yaml").write_text("只是一句话", encoding="utf-8")
    (folder / "丙.yaml").write_text(yaml.safe_dump(SPEC, allow_unicode=True), encoding="utf-8")
    out = files / "all.pdf"
    res = CliRunner().invoke(app, ["check", "-r", "T09", str(folder), "-f", "pdf", "-o", str(out)])
    assert res.exit_code == 1, res.output
    assert out.is_file()
    assert "已跳过" in res.output and "说明.yaml" in res.output
    pdf = pdfium.PdfDocument(out.read_bytes())
    try:
        assert len(pdf) == 1 + 2 * (1 + 24)
        assert pdf.get_metadata_dict()["Title"] == "决算/预算公开核对意见（2 个文件）"
        text = pdf[0].get_textpage().get_text_range()
        assert "1. 示例市测试局" in text and "丙.yaml：不是 PDF 文件" in text and "说明.yaml：已跳过" in text
        top = [(b.get_title(), b.get_dest().get_index()) for b in pdf.get_toc() if b.level == 0]
        assert top[0] == ("文件一览", 0) and [i for _, i in top[1:]] == [1, 26]
        # the second document's own summary links into its own pages
        page = pdf[26]
        targets = set()
        for k in range(pdfium.raw.FPDFPage_GetAnnotCount(page.raw)):
            annot = pdfium.raw.FPDFPage_GetAnnot(page.raw, k)
            dest = pdfium.raw.FPDFLink_GetDest(pdf.raw, pdfium.raw.FPDFAnnot_GetLink(annot))
            targets.add(pdfium.raw.FPDFDest_GetDestPageIndex(pdf.raw, dest))
        assert targets == {26 + 14}
    finally:
        pdf.close()
