"""Uploads: one file, many files, a folder (the browser sends its files one by one) or a zip
unpacked here.

A zip is unpacked in memory within the budgets of runtime/limits.py (how many members, how much
they unpack to, checked from its directory before a byte is unpacked; each member within the
upload size limit), each member becoming an upload of its own under a generated name: a member's
path is only ever shown (its last part), never used to write a file, so ``../`` in it reaches
nothing. Names are read as the zip says (UTF-8 flag), else as UTF-8, else as GBK (Windows'
Chinese zips). Members that are no document are skipped and listed with the reason: folders,
system files (``__MACOSX``, ``.DS_Store``), pictures and other binaries, web assets (``.css``,
``.js``), a zip inside the zip, empty or damaged or encrypted members.

A zip holding only web pages (and their pictures) is one disclosure saved as a web site, read as
one document, as ``check`` reads it.

A file that came with others (a zip, a folder) and turns out to be no disclosure once read (a
README) is listed as skipped, not as a failure: as ``check`` does for a folder's files.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from ..ingest import sniff_format
from ..runtime.limits import LIMITS, over_budget
from .auth import Identity, page_identity, writer

# what a member's name may end with to be taken as a document when its content reads as text
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml"}
# a member with one of these names makes a zip a collection of files rather than one web site
DOCUMENT_SUFFIXES = {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".et", ".wps", ".txt", ".md", ".zip"}
SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


def clean_name(name: str | None) -> str:
    """The name to show: its last path part, without control or format characters (a NUL, a
    right-to-left override) and at most 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if not unicodedata.category(ch).startswith("C")).strip()
    return base[:200] or "未命名文件"


async def read_upload(request: Request, file: UploadFile, limit: int) -> bytes:
    """The uploaded file's bytes, refused (413) past ``limit`` as they arrive."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise HTTPException(413, f"文件过大：超过上限 {limit / 1024 / 1024:g} MB")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await file.read(1024 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"{file.filename or '文件'}：文件过大，超过上限 {limit / 1024 / 1024:g} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's path as its author wrote it: UTF-8 when the zip says so, else the raw bytes
    (which zipfile decoded as cp437) read as UTF-8, else as GBK."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gbk"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unsafe(path: str) -> bool:
    p = path.replace("\\", "/")
    return p.startswith("/") or (len(p) > 1 and p[1] == ":") or ".." in PurePosixPath(p).parts


def _system(path: str) -> bool:
    parts = [x for x in path.replace("\\", "/").split("/") if x]
    return any(x.startswith(".") or x == "__MACOSX" for x in parts) or (bool(parts) and parts[-1].lower() in SYSTEM_NAMES)


@dataclass
class Unpacked:
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (display name, content)
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"name", "reason"}


def is_site(zf: zipfile.ZipFile) -> bool:
    """A zip holding web pages and no other document: one disclosure saved as a web site."""
    suffixes = {PurePosixPath(member_name(i)).suffix.lower() for i in zf.infolist() if not i.is_dir()}
    return bool(suffixes & HTML_SUFFIXES) and not suffixes & DOCUMENT_SUFFIXES


def open_zip(name: str, data: bytes) -> zipfile.ZipFile:
    """The zip, its directory checked against the budgets before anything is unpacked (422 when
    it is no zip, 413 over a budget)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, KeyError, IndexError):
        raise HTTPException(422, f"{name}：压缩包已损坏，无法解压") from None
    if len(infos) > LIMITS.zip_parts.count():
        raise HTTPException(413, f"{name}：压缩包" + over_budget(LIMITS.zip_parts, len(infos)))
    declared = sum(i.file_size for i in infos)
    if declared > LIMITS.unpacked_mb.value() * 2**20:
        raise HTTPException(413, f"{name}：压缩包" + over_budget(LIMITS.unpacked_mb, declared / 2**20))
    return zf


def unpack(zf: zipfile.ZipFile, max_bytes: int) -> Unpacked:
    """The zip's documents and what was skipped (see the module docstring)."""
    out = Unpacked()
    budget = int(LIMITS.unpacked_mb.value() * 2**20)
    for info in zf.infolist():
        path = member_name(info)
        shown = path.replace("\\", "/").strip("/") or "（无名）"

        def skip(reason: str, shown: str = shown) -> None:
            out.skipped.append({"name": shown, "reason": reason})

        if info.is_dir():
            continue
        if _unsafe(path):
            skip("路径不安全（绝对路径或含“..”），未解压")
            continue
        if _system(path):
            skip("系统或隐藏文件")
            continue
        if info.flag_bits & 0x1:
            skip("文件已加密，无法解压")
            continue
        if info.file_size > max_bytes:
            skip(f"文件过大（{round(info.file_size / 2**20, 1):g} MB，上限 {round(max_bytes / 2**20, 1):g} MB）")
            continue
        if info.file_size > budget:
            skip("压缩包" + over_budget(LIMITS.unpacked_mb, info.file_size / 2**20))
            continue
        try:
            with zf.open(info) as fh:
                data = fh.read(info.file_size + 1)  # zipfile stops at the declared size
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, ValueError, NotImplementedError):
            skip("文件已损坏，无法解压")
            continue
        budget -= len(data)
        if not data.strip():
            skip("文件为空")
            continue
        fmt = sniff_format(data)
        suffix = PurePosixPath(path).suffix.lower()
        if fmt is None:
            skip("不是可识别的文档（图片或其他二进制文件）")
        elif fmt == "zip":
            skip("压缩包中的压缩包不展开，请单独上传")
        elif fmt == "txt" and suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            skip(f"不是公开文件的格式（{suffix}）")
        else:
            out.files.append((clean_name(path), data))
    return out


def uploads_router() -> APIRouter:
    router = APIRouter()

    def add_all(a: Any, filename: str, data: bytes, who: Identity, folder: str | None) -> dict[str, Any]:
        """One upload: a file, or a zip's files; the documents made and what was skipped."""
        name = clean_name(filename)
        if sniff_format(data) == "zip":
            zf = open_zip(name, data)
            if not is_site(zf):
                got = unpack(zf, a.settings.max_bytes)
                if not got.files:
                    detail = "；".join(f"{s['name']}：{s['reason']}" for s in got.skipped[:20])
                    raise HTTPException(422, f"{name}：压缩包中没有可核对的文件" + (f"（{detail}）" if detail else ""))
                rows = [a.add_upload(n, d, who.name, source=name) for n, d in got.files]
                a.decisions.log(who.name, "unpacked", None, filename=name, files=len(rows), skipped=len(got.skipped))
                return {"documents": [_brief(r) for r in rows], "skipped": got.skipped}
        row = a.add_upload(name, data, who.name, source=clean_name(folder) if folder else None)
        return {"id": row["id"], "status": row["status"], "documents": [_brief(row)], "skipped": []}

    @router.post(
        "/api/documents",
        tags=["文件"],
        status_code=201,
        summary="上传文件并排队核对：单个文件，或 zip 压缩包（逐个解压、每个文件一份，返回全部编号）",
        description=(
            "上传一个部门预算或决算公开文件（PDF、Word、Excel、网页、文本）并排队核对，返回其编号 `id`。\n\n"
            "也可上传 **zip 压缩包**：在服务器上解压（文件数和解压后大小受限，路径中的“..”不起作用，"
            "文件名按 UTF-8 或 GBK 识别，子文件夹中的文件一并上传），每个文件成为一份文件，"
            "`documents` 列出全部编号，`skipped` 列出跳过的文件及原因（图片、系统文件、压缩包中的压缩包等）。"
            "只含网页的压缩包视为一份以网页形式保存的公开文件。\n\n"
            "同一部门、年度、类型的情况说明和表格分为两个文件时，两者都核对完成后自动合并为一份文件核对，"
            "与上传顺序无关（见 `GET /api/documents` 的 `parts`）。\n\n"
            "可选字段 `folder`：文件来自上传的文件夹时填文件夹名；其中不是预决算公开文件的（如说明文档）列为“已跳过”而非“失败”。"
        ),
    )
    async def upload(
        request: Request,
        file: UploadFile = File(..., description="公开文件或 zip 压缩包"),
        folder: str | None = Form(None, description="所在文件夹的名称（上传整个文件夹时）"),
        who: Identity = Depends(writer),
    ) -> dict[str, Any]:
        a = request.app.state.juesuan
        data = await read_upload(request, file, a.settings.max_bytes)
        return add_all(a, file.filename or "", data, who, folder)

    @router.post("/upload", include_in_schema=False)
    async def upload_form(request: Request, files: list[UploadFile] = File(...)) -> Response:
        r = page_identity(request)
        if isinstance(r, RedirectResponse):
            return r
        who = await writer(request)
        a = request.app.state.juesuan
        for f in files:
            data = await read_upload(request, f, a.settings.max_bytes)
            add_all(a, f.filename or "", data, who, None)
        return RedirectResponse("/", status_code=303)

    return router


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "filename": row["filename"], "status": row["status"]}
