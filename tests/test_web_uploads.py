"""Uploading many files to ``juesuan serve``: a zip unpacked on the server (nested folders, GBK and
UTF-8 names, members that are no document skipped and listed), refused when it would unpack past
the budgets, its paths never reaching the disk; a folder's files marked as having come together."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from test_web_api import client, spec_text, wait


class Gbk(str):
    """A member's name to be written in GBK without the UTF-8 flag, as Windows' own zip tool
    writes Chinese names (zipfile itself writes non-ASCII names in UTF-8 with the flag)."""


def make_zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    swaps = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members):
            if isinstance(name, Gbk):
                raw = name.encode("gbk")
                stand_in = f"~{i:03d}".encode("ascii").ljust(len(raw), b"~")  # same length, ASCII
                swaps.append((stand_in, raw))
                name = stand_in.decode("ascii")
            zf.writestr(name, data)
    out = buf.getvalue()
    for stand_in, raw in swaps:  # the name is in the local header and in the central directory
        assert out.count(stand_in) == 2
        out = out.replace(stand_in, raw)
    return out


def post_zip(c: Any, name: str, data: bytes, **kw: Any) -> Any:
    return c.post("/api/documents", files={"file": (name, data, "application/zip")}, **kw)


def test_a_zip_becomes_one_document_per_file(tmp_path: Path) -> None:
    data = make_zip([
        ("2024/决算/测试局.txt", spec_text("示例市测试局")),
        (Gbk("预算/审计局.txt"), spec_text("示例市审计局")),
        ("说明.md", b"# readme\nthis folder holds the disclosures\n"),
        ("2024/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)),
        ("__MACOSX/2024/._测试局.txt", b"\x00\x05\x16\x07" + bytes(40)),
        (".DS_Store", b"\x00\x00\x00\x01Bud1" + bytes(40)),
        ("style.css", b"body { color: red }"),
        ("inner.zip", make_zip([("a.txt", spec_text())])),
        ("空文件.txt", b""),
    ])  # fmt: skip
    with client(tmp_path) as c:
        r = post_zip(c, "全部.zip", data)
        assert r.status_code == 201, r.text
        body = r.json()
        assert "id" not in body  # many documents: every id is in ``documents``
        names = sorted(d["filename"] for d in body["documents"])
        assert names == ["审计局.txt", "测试局.txt", "说明.md"]
        reasons = {s["name"]: s["reason"] for s in body["skipped"]}
        assert reasons == {
            "2024/logo.png": "不是可识别的文档（图片或其他二进制文件）",
            "__MACOSX/2024/._测试局.txt": "系统或隐藏文件",
            ".DS_Store": "系统或隐藏文件",
            "style.css": "不是公开文件的格式（.css）",
            "inner.zip": "压缩包中的压缩包不展开，请单独上传",
            "空文件.txt": "文件为空",
        }
        done = {d["filename"]: wait(c, d["id"]) for d in body["documents"]}
        assert done["测试局.txt"]["status"] == "done" and done["测试局.txt"]["metadata"]["department"] == "示例市测试局"
        assert done["审计局.txt"]["metadata"]["department"] == "示例市审计局"  # the GBK name and its content
        listed = {d["filename"]: d for d in c.get("/api/documents").json()["documents"]}
        # the README came with the others and is no disclosure: listed as skipped, not as a failure
        assert listed["说明.md"]["status"] == "failed" and listed["说明.md"]["skipped"] is True
        assert listed["说明.md"]["source"] == "全部.zip" and listed["测试局.txt"]["skipped"] is False
        assert "已跳过" in c.get("/").text
        audit = c.get("/api/audit").json()["entries"]
        assert any(e["action"] == "unpacked" and e["detail"] == {"filename": "全部.zip", "files": 3, "skipped": 6} for e in audit)


def test_a_file_alone_that_is_no_disclosure_is_a_failure(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        r = c.post("/api/documents", files={"file": ("说明.md", b"# readme\n")})
        assert r.status_code == 201 and r.json()["documents"][0]["filename"] == "说明.md"
        assert wait(c, r.json()["id"])["status"] == "failed"
        row = c.get("/api/documents").json()["documents"][0]
        assert row["skipped"] is False  # named by the user: an input error, as ``check`` says
        # from a folder: the same file is skipped
        r = c.post("/api/documents", files={"file": ("说明.md", b"# readme\n")}, data={"folder": "江苏预算"})
        wait(c, r.json()["id"])
        row = next(d for d in c.get("/api/documents").json()["documents"] if d["id"] == r.json()["id"])
        assert row["skipped"] is True and row["source"] == "江苏预算"


def test_paths_in_a_zip_never_reach_the_disk(tmp_path: Path) -> None:
    data = make_zip([
        ("../../逃逸.txt", spec_text("示例市逃逸局")),
        ("/etc/绝对路径.txt", spec_text("示例市绝对局")),
        ("a/../../上级.txt", spec_text("示例市上级局")),
        ("子目录/正常.txt", spec_text("示例市正常局")),
    ])  # fmt: skip
    with client(tmp_path) as c:
        r = post_zip(c, "traversal.zip", data)
        assert r.status_code == 201, r.text
        body = r.json()
        assert [d["filename"] for d in body["documents"]] == ["正常.txt"]
        assert sorted(s["name"] for s in body["skipped"]) == ["../../逃逸.txt", "a/../../上级.txt", "etc/绝对路径.txt"]
        assert all(s["reason"] == "路径不安全（绝对路径或含“..”），未解压" for s in body["skipped"])
        wait(c, body["documents"][0]["id"])
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert not [p for p in written if "逃逸" in p.name or "上级" in p.name or "绝对" in p.name]
    uploads = sorted(p.name for p in (tmp_path / "data" / "uploads").iterdir())
    assert uploads == [body["documents"][0]["id"] + ".txt"]  # a generated name, nothing else


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = make_zip([(f"part{i}.txt", b"0" * (3 * 2**20)) for i in range(4)])  # 12 MB in a few KB
    assert len(bomb) < 100_000
    monkeypatch.setenv("JUESUAN_MAX_UNPACKED_MB", "10")
    with client(tmp_path) as c:
        r = post_zip(c, "bomb.zip", bomb)
        assert r.status_code == 413
        assert r.json()["detail"] == "bomb.zip：压缩包解压后大小超出上限（12 MB，上限 10 MB；可用环境变量 JUESUAN_MAX_UNPACKED_MB 调整）"
        monkeypatch.setenv("JUESUAN_MAX_ZIP_PARTS", "3")
        r = post_zip(c, "many.zip", make_zip([(f"{i}.txt", spec_text()) for i in range(5)]))
        assert r.status_code == 413 and "压缩包内文件数超出上限（5 个，上限 3 个" in r.json()["detail"]
        assert c.get("/api/documents").json()["documents"] == []
        assert list((tmp_path / "data" / "uploads").iterdir()) == []
        # a member larger than one upload may be is skipped, the others kept
        monkeypatch.delenv("JUESUAN_MAX_ZIP_PARTS")
    with client(tmp_path / "small", max_bytes=200_000) as c:
        r = post_zip(c, "mixed.zip", make_zip([("big.txt", b"1" * 300_000), ("ok.txt", spec_text())]))
        assert r.status_code == 201
        assert [d["filename"] for d in r.json()["documents"]] == ["ok.txt"]
        assert r.json()["skipped"] == [{"name": "big.txt", "reason": "文件过大（0.3 MB，上限 0.2 MB）"}]


def test_a_damaged_or_empty_zip_is_refused(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        good = make_zip([("a.txt", spec_text())])
        r = post_zip(c, "broken.zip", good[: len(good) // 2])
        assert r.status_code == 422 and r.json()["detail"] == "broken.zip：压缩包已损坏，无法解压"
        r = post_zip(c, "pictures.zip", make_zip([("a.png", b"\x89PNG\r\n\x1a\n" + bytes(64))]))
        assert r.status_code == 422
        assert r.json()["detail"] == "pictures.zip：压缩包中没有可核对的文件（a.png：不是可识别的文档（图片或其他二进制文件））"


def test_a_zip_of_web_pages_is_one_disclosure(tmp_path: Path) -> None:
    site = make_zip([("index.html", b"<html><body><p>page</p></body></html>"), ("img/a.png", b"\x89PNG" + bytes(20))])
    with client(tmp_path) as c:
        r = post_zip(c, "site.zip", site)
        assert r.status_code == 201
        body = r.json()
        assert len(body["documents"]) == 1 and body["documents"][0]["filename"] == "site.zip" and body["id"]


def test_the_form_takes_a_zip_too(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        data = make_zip([("甲.txt", spec_text("示例市甲局")), ("乙.txt", spec_text("示例市乙局"))])
        r = c.post("/upload", files=[("files", ("两份.zip", data, "application/zip")), ("files", ("丙.txt", spec_text("示例市丙局")))],
                   follow_redirects=False)  # fmt: skip
        assert r.status_code == 303
        docs = c.get("/api/documents").json()["documents"]
        assert sorted(d["filename"] for d in docs) == ["丙.txt", "乙.txt", "甲.txt"]
        assert {d["source"] for d in docs} == {"两份.zip", None}


def test_the_api_description_names_zips_and_deleting(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        paths = c.get("/openapi.json").json()["paths"]
        post = paths["/api/documents"]["post"]
        assert post["summary"] == "上传文件并排队核对：单个文件，或 zip 压缩包（逐个解压、每个文件一份，返回全部编号）"
        assert "`skipped`" in post["description"] and "与上传顺序无关" in post["description"]
        assert paths["/api/documents/{doc_id}"]["delete"]["summary"].startswith("删除文件")
