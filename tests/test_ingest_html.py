"""The HTML reader: a saved government web page (encodings, layout tables, spans, chrome),
a composed disclosure read back, a folder or zip of pages, and pages that are not a disclosure."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from juesuan.compose import render
from juesuan.ingest import InputError, read, sniff_format
from juesuan.ingest.office.html import decode_html, read_html_raw
from juesuan.ingest.office.pages import natural_key
from juesuan.ingest.raw import RawGrid, RawLine
from test_ingest_docx import (  # noqa: F401
    SEEDS,
    assert_round_trip,
    assert_same_as_text,
    composed,
    narrative,
    reference,
    seed_layout,
    tables_dump,
)


@pytest.fixture(scope="module")
def html_bytes(composed) -> bytes:  # noqa: F811
    return render(composed, "html")


# -- round trip ---------------------------------------------------------------------------------
def test_html_round_trip_same_tables_narrative_and_findings(composed, reference, html_bytes, tmp_path: Path) -> None:  # noqa: F811
    p = tmp_path / "决算.html"
    p.write_bytes(html_bytes)
    doc = read(p)
    assert doc.metadata.source_format == "html"
    assert_round_trip(composed, reference, doc)
    cell = doc.tables[1].rows[0].cells["total"]
    assert cell.loc is not None and cell.loc.ref is not None and re.fullmatch(r"/html/body/.*/table/tbody/tr\[1\]/td\[3\]", cell.loc.ref)


def _pages(html: bytes) -> list[tuple[str, bytes]]:
    """The composed page cut into one page per part (cover, 目录, 第一部分 …), as sites publish."""
    text = html.decode("utf-8")
    head, body = text.split("<body>", 1)
    body = body.rsplit("</body>", 1)[0]
    parts = re.split(r'(?=<div class="(?:cover|toc|part[^"]*)">)', body)
    parts = [p for p in parts if p.strip()]
    assert len(parts) >= 5
    return [(f"page{i + 1}.html", (head + "<body>" + p + "</body></html>").encode("utf-8")) for i, p in enumerate(parts)]


def test_folder_and_zip_of_pages_read_as_one_document(composed, reference, html_bytes, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "网页"
    folder.mkdir()
    pages = _pages(html_bytes)
    for name, data in pages:
        (folder / name).write_bytes(data)
    (folder / "style.css").write_text("body{}", encoding="utf-8")  # not a page: left out
    doc = read(folder)
    assert_round_trip(composed, reference, doc)
    loc = doc.tables[0].loc
    assert loc is not None and loc.ref is not None and loc.ref.startswith("page")
    zpath = tmp_path / "网页.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for name, data in reversed(pages):  # stored out of order: read in name order
            zf.writestr(name, data)
    assert sniff_format(zpath.read_bytes()) == "zip"
    assert tables_dump(read(zpath)) == tables_dump(doc)


def test_pages_in_natural_name_order() -> None:
    assert sorted(["p10.html", "p2.html", "p1.html"], key=natural_key) == ["p1.html", "p2.html", "p10.html"]


def test_folder_without_pages_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00\x01")
    with pytest.raises(InputError) as ei:
        read(tmp_path)
    assert "文件夹" in str(ei.value) and ei.value.code == "is_directory"


# -- a saved government page --------------------------------------------------------------------
GOV_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某区财政局2024年度部门决算公开</title>
<style>.nav{color:red} .row { display: flex; }</style>
<script>var msg = "不应读取的脚本文字";</script></head>
<body>
<nav><a href="/">首页</a><a href="/zw">政务公开</a></nav>
<table width="100%"><tr><td>
  <table width="960"><tr><td class="content">
    <h2>某某区财政局2024年度部门决算</h2>
    <p><span style="font-size:16px">一、收入支出决算总体情况说明</span></p>
    <p>2024年度收入总计<span>1,051.37</span>万元。<br>支出总计1,051.37万元。</p>
    <div class="row"><span>部门：某某区财政局</span><span>单位：万元</span></div>
    <table border="1">
      <tr><th colspan="2">项目</th><th rowspan="2">本年支出合计</th></tr>
      <tr><th>科目代码</th><th>科目名称</th></tr>
      <tr><td>201</td><td>一般公共服务支出</td><td>1,051.37</td></tr>
      <tr><td>20106</td><td>财政事务</td><td>1,051.37</td></tr>
    </table>
    <noscript>请启用脚本</noscript>
  </td></tr></table>
</td></tr></table>
<div class="footer">版权所有 某某区人民政府</div>
</body></html>"""


def test_gbk_government_page_layout() -> None:
    data = GOV_PAGE.encode("gbk")
    assert sniff_format(data) == "html"
    text, enc = decode_html(data)
    assert enc == "gb18030" and "某某区财政局" in text
    raw = read_html_raw("page.htm", data)
    lines = [b.text for b in raw.blocks if isinstance(b, RawLine)]
    assert lines == [
        "某某区财政局2024年度部门决算",
        "一、收入支出决算总体情况说明",
        "2024年度收入总计1,051.37万元。",
        "支出总计1,051.37万元。",
        "部门：某某区财政局",  # children of a flex container are separate blocks
        "单位：万元",
        "版权所有 某某区人民政府",
    ]
    grids = [b for b in raw.blocks if isinstance(b, RawGrid)]
    assert len(grids) == 1  # the two layout tables are walked as blocks
    g = grids[0]
    assert [[(c.text, c.colspan, c.rowspan) for c in r] for r in g.rows[:2]] == [
        [("项目", 2, 1), ("本年支出合计", 1, 2)],
        [("科目代码", 1, 1), ("科目名称", 1, 1)],
    ]
    assert g.rows[2][2].loc is not None and g.rows[2][2].loc.ref == "/html/body/table/tr/td/table/tr/td/table/tr[3]/td[3]"
    heading = next(b for b in raw.blocks if isinstance(b, RawLine))
    assert heading.bold and heading.size is not None


def test_encodings_without_declaration() -> None:
    body = "<div><p>某某局2024年度部门决算，收入合计1,051.37万元。</p></div>"
    # GBK with no charset and a long preamble before any tag the sniffer knows
    gbk = ("<!-- " + "x" * 5000 + " -->" + body).encode("gbk")
    assert sniff_format(gbk) == "html"
    assert [b.text for b in read_html_raw("a.htm", gbk).blocks] == ["某某局2024年度部门决算，收入合计1,051.37万元。"]
    utf16 = ("<html><body>" + body + "</body></html>").encode("utf-16")
    assert sniff_format(utf16) == "html"
    assert [b.text for b in read_html_raw("b.htm", utf16).blocks] == ["某某局2024年度部门决算，收入合计1,051.37万元。"]
    xml = ('<?xml version="1.0" encoding="GB2312"?><html><body>' + body + "</body></html>").encode("gb2312")
    assert [b.text for b in read_html_raw("c.xhtml", xml).blocks] == ["某某局2024年度部门决算，收入合计1,051.37万元。"]


def test_page_with_no_disclosure_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "新闻.html"
    p.write_text("<html><body><nav>首页</nav><p>今日天气晴。</p><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(InputError) as ei:
        read(p)
    assert "没有找到部门决算内容" in str(ei.value) and p.name in str(ei.value)
    empty = tmp_path / "空.html"
    empty.write_bytes(b"<html><head><title></title></head><body>  </body></html>")
    with pytest.raises(InputError):
        read(empty)


def test_zip_without_pages_or_office_files(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    p = tmp_path / "x.zip"
    p.write_bytes(buf.getvalue())
    with pytest.raises(InputError) as ei:
        read(p)
    assert "压缩包中没有" in str(ei.value)


def raw_to_html(raw) -> bytes:
    """Each line as a <p>, each grid as a <table>, saved in GBK as many government sites do."""
    from html import escape

    out = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>']
    for b in raw.blocks:
        if isinstance(b, RawLine):
            out.append(f"<p>{escape(b.text)}</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td>{escape(c.text)}</td>" for c in r) + "</tr>" for r in b.rows)
            out.append(f'<table border="1">{rows}</table>')
    return ("\n".join(out) + "</body></html>").encode("gb18030")


@pytest.mark.parametrize("name", SEEDS)
def test_real_seed_as_web_page_reads_like_the_text(name: str) -> None:
    from juesuan.ingest.office import read_office_bytes

    raw, ref = seed_layout(name)
    assert_same_as_text(read_office_bytes(name + ".html", raw_to_html(raw)), ref)


def test_layout_table_around_running_text() -> None:
    """A three-column page layout (menu | content | links) without nested tables is not a table."""
    page = (
        "<html><body><table><tr><td><a href='/'>首页</a></td><td>"
        "<h3>某某局2024年度部门决算</h3><p>一、部门职责</p><p>负责全区财政工作。</p><p>二、机构设置</p>"
        "</td><td>友情链接</td></tr></table>"
        "<table><tr><td><p>项目</p></td><td><p>决算数</p></td></tr><tr><td>合计</td><td>1.00</td></tr></table>"
        "</body></html>"
    ).encode()
    raw = read_html_raw("p.html", page)
    assert [b.text for b in raw.blocks if isinstance(b, RawLine)] == ["首页", "某某局2024年度部门决算", "一、部门职责", "负责全区财政工作。", "二、机构设置", "友情链接"]
    grids = [b for b in raw.blocks if isinstance(b, RawGrid)]
    assert len(grids) == 1 and [[c.text for c in r] for r in grids[0].rows] == [["项目", "决算数"], ["合计", "1.00"]]


WORD_PAGE = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312"><meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>张三</o:Author></o:DocumentProperties></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0cm;} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><div class=WordSection1>
<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;font-family:黑体'>某某局<span lang=EN-US>2024</span>年度部门决算<span lang=EN-US><o:p></o:p></span></span></b></p>
<p class=MsoListParagraph style='margin-left:32.0pt;text-indent:-32.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:黑体'><span style='mso-list:Ignore'>一、<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span style='font-family:黑体'>部门职责<span lang=EN-US><o:p></o:p></span></span></p>
<p class=MsoNormal style='text-indent:32.0pt'><span>本年收入合计</span><span lang=EN-US>1,051.37</span><span>万元，与上年相比增加</span><span lang=EN-US>12.00</span><span>万元。</span></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none'>
 <tr style='height:20.0pt'><td width=100 rowspan=2 style='border:solid windowtext 1.0pt'><p class=MsoNormal align=center><span>项目</span></p></td>
  <td width=200 colspan=2 style='border:solid windowtext 1.0pt'><p class=MsoNormal align=center><span>金额</span></p></td></tr>
 <tr><td><p class=MsoNormal><span>预算数</span></p></td><td><p class=MsoNormal><span>决算数</span></p></td></tr>
 <tr><td><p class=MsoNormal><span>公务接待费</span></p></td><td><p class=MsoNormal align=right><span lang=EN-US>1.00<o:p></o:p></span></p></td><td><p class=MsoNormal align=right><span lang=EN-US>0.50</span></p></td></tr>
</table>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
</div></body></html>
"""


def test_page_saved_by_word() -> None:
    """Word's “save as web page”: MsoNormal paragraphs split into spans, list labels in
    downlevel-revealed conditional comments, o:p tags, a table with merges."""
    raw = read_html_raw("word.htm", WORD_PAGE.encode("gb2312"))
    lines = [b for b in raw.blocks if isinstance(b, RawLine)]
    assert [b.text for b in lines] == ["某某局2024年度部门决算", "一、 部门职责", "本年收入合计1,051.37万元，与上年相比增加12.00万元。"]
    assert lines[0].bold and lines[0].centered and lines[0].size == 22.0
    assert lines[2].loc is not None and lines[2].loc.ref == "/html/body/div/p[3]"
    grid = next(b for b in raw.blocks if isinstance(b, RawGrid))
    assert [[(c.text, c.colspan, c.rowspan) for c in r] for r in grid.rows] == [
        [("项目", 1, 2), ("金额", 2, 1)], [("预算数", 1, 1), ("决算数", 1, 1)], [("公务接待费", 1, 1), ("1.00", 1, 1), ("0.50", 1, 1)]
    ]  # fmt: skip


def test_table_cut_with_repeated_header_is_one_grid() -> None:
    head = "<tr><th>项目</th><th>预算数</th><th>决算数</th></tr>"
    page = (
        f"<html><body><p>三公经费</p><table>{head}<tr><td>因公出国（境）费</td><td>1.00</td><td>0.50</td></tr></table>"
        f"<table>{head}<tr><td>合计</td><td>1.00</td><td>0.50</td></tr></table>"
        f"<p>注：无。</p><table>{head}<tr><td>另一表</td><td>2.00</td><td>2.00</td></tr></table></body></html>"
    ).encode()
    grids = [b for b in read_html_raw("cut.html", page).blocks if isinstance(b, RawGrid)]
    assert [[c.text for c in r] for r in grids[0].rows] == [["项目", "预算数", "决算数"], ["因公出国（境）费", "1.00", "0.50"], ["合计", "1.00", "0.50"]]
    assert grids[0].rows[2][0].loc is not None and grids[0].rows[2][0].loc.ref == "/html/body/table[2]/tr[2]/td[1]"
    assert len(grids) == 2  # a table after text is another table


def test_web_archive_mht(tmp_path: Path) -> None:
    """Word's “single file web page” (.mht): a MIME message whose HTML part is quoted-printable GB2312."""
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    msg = MIMEMultipart("related")
    msg.attach(MIMEText(WORD_PAGE, "html", "gb2312"))
    p = tmp_path / "决算.mht"
    p.write_bytes(msg.as_bytes())
    assert sniff_format(p.read_bytes()) == "html"
    raw = read_html_raw(p.name, p.read_bytes())
    assert [b.text for b in raw.blocks if isinstance(b, RawLine)][0] == "某某局2024年度部门决算"
    assert sum(isinstance(b, RawGrid) for b in raw.blocks) == 1
    bad = tmp_path / "坏.mht"
    bad.write_bytes(b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=x\n\n--x\nContent-Type: image/png\n\nabc\n--x--\n")
    with pytest.raises(InputError) as ei:
        read(bad)
    assert "没有网页内容" in str(ei.value)


@pytest.mark.parametrize("depth", [300, 3000])
def test_a_page_buried_in_nested_divs_reads_like_the_page(composed, reference, html_bytes, depth: int, tmp_path: Path) -> None:  # noqa: F811
    """libxml2 stops at 256 levels and the walk recurses per level: a page inside 300 <div>s lost
    its content (no disclosure found) and one inside thousands would not be read at all. Both
    read now as the page itself, quickly."""
    import time

    text = html_bytes.decode("utf-8")
    head, body = text.split("<body>", 1)
    body = body.rsplit("</body>", 1)[0]
    p = tmp_path / "deep.html"
    p.write_text(head + "<body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>", encoding="utf-8")
    t0 = time.monotonic()
    doc = read(p)
    assert time.monotonic() - t0 < 10
    assert_round_trip(composed, reference, doc)
