"""The web app and REST API (FastAPI, server-rendered Jinja2 pages, no build step).

``create_app(Settings(...))`` gives an ASGI app; ``serve()`` runs it with uvicorn. State lives in
``<data_dir>/juesuan.duckdb`` and ``<data_dir>/uploads`` (generated names), so a restart keeps
every document and picks unfinished jobs up again. One server process per data directory.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from .. import __version__
from ..api import DocumentResult
from ..ingest import sniff_format
from ..ingest.pdf.pdfium_access import PDFIUM_LOCK  # pdfium is not thread-safe: one lock per process
from ..model import Disclosure, Finding, Metadata, Severity
from ..report.crops import PageRenderer, SentenceLocator, finding_boxes, finding_fragments
from ..report.html import render_html
from ..report.items import ReportItem, family_of, rule_families
from ..report.jsonout import results_to_obj
from ..report.pdf_annotate import annotate_pdf
from ..report.xlsx import xlsx_bytes
from .store import Store
from .worker import STAGES_ZH, Processor, WorkerPool, process_file

HERE = Path(__file__).parent
EXT = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "ole": ".xls", "html": ".html", "txt": ".txt", "zip": ".zip"}
MEDIA = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
STATUS_ZH = {"queued": "排队中", "running": "处理中", "done": "完成", "failed": "失败"}
COOKIE = "juesuan_token"


@dataclass
class Settings:
    data_dir: Path = Path("juesuan-data")
    db_path: Path | None = None
    workers: int = 2
    timeout: float = 300.0
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 1000
    token: str | None = field(default_factory=lambda: os.environ.get("JUESUAN_TOKEN") or None)
    processor: Processor = process_file

    @property
    def db(self) -> Path:
        return self.db_path or self.data_dir / "juesuan.duckdb"


class App:
    """What the routes share: settings, store, worker pool."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.data = settings.data_dir
        self.uploads = self.data / "uploads"
        self.cache = self.data / "cache"
        self.uploads.mkdir(parents=True, exist_ok=True)
        self.cache.mkdir(parents=True, exist_ok=True)
        self.store = Store(settings.db)
        self.pool = WorkerPool(
            self.store,
            lambda stored: str(self.uploads / stored),
            workers=settings.workers,
            timeout=settings.timeout,
            max_pages=settings.max_pages,
            processor=settings.processor,
        )

    def start(self) -> None:
        self.pool.start()
        for doc_id in self.store.unfinished():
            self.pool.submit(doc_id)

    def stop(self) -> None:
        self.pool.stop()
        self.store.close()

    # -- documents ------------------------------------------------------------------------------
    def add_upload(self, filename: str, data: bytes) -> dict[str, Any]:
        doc_id = uuid.uuid4().hex
        fmt = sniff_format(data)
        stored = doc_id + EXT.get(fmt or "", ".bin")
        (self.uploads / stored).write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        if not data.strip():
            self.store.add(doc_id, filename=filename, stored=stored, size=len(data), sha256=sha, fmt=fmt,
                           status="failed", error=f"{filename}：文件为空", error_code="empty")  # fmt: skip
        elif fmt is None:
            self.store.add(
                doc_id, filename=filename, stored=stored, size=len(data), sha256=sha, fmt=None, status="failed",
                error=f"{filename}：不是可识别的文档（二进制内容，既非 PDF、Word、Excel、网页也非文本）",
                error_code="not_a_document",
            )  # fmt: skip
        else:
            self.store.add(doc_id, filename=filename, stored=stored, size=len(data), sha256=sha, fmt=fmt)
            self.pool.submit(doc_id)
        row = self.store.get(doc_id)
        assert row is not None
        return row

    def row(self, doc_id: str) -> dict[str, Any]:
        row = self.store.get(doc_id) if len(doc_id) == 32 and doc_id.isalnum() else None
        if row is None:
            raise HTTPException(404, "找不到这个文件（编号不存在）")
        return row

    def document_obj(self, row: dict[str, Any]) -> dict[str, Any]:
        """Job state plus the ``check --format json`` document object."""
        findings = [Finding.model_validate(f) for f in self.store.findings(row["id"])]
        md = Metadata.model_validate(json.loads(row["metadata"])) if row.get("metadata") else None
        result = DocumentResult(path=row["filename"], metadata=md, findings=findings)
        if row["status"] == "failed":
            result.error, result.error_code = row["error"], row["error_code"]
        obj = results_to_obj([result])["documents"][0]
        return {
            "id": row["id"],
            "status": row["status"],
            "stage": row["stage"],
            "progress": row["progress"],
            "filename": row["filename"],
            "format": row["format"],
            "size": row["size"],
            "pages": row["pages"],
            "created_at": row["created_at"].isoformat() if row["created_at"] else None,
            "finished_at": row["finished_at"].isoformat() if row["finished_at"] else None,
            **obj,
        }

    def report_item(self, row: dict[str, Any]) -> ReportItem:
        raw = self.store.disclosure_json(row["id"])
        doc = Disclosure.model_validate_json(raw) if raw else None
        findings = [Finding.model_validate(f) for f in self.store.findings(row["id"])]
        result = DocumentResult(path=row["filename"], metadata=doc.metadata if doc else None, findings=findings)
        data = (self.uploads / row["stored"]).read_bytes()
        return ReportItem(result=result, doc=doc, data=data, name=row["filename"])

    def report(self, row: dict[str, Any], fmt: str) -> bytes:
        target = self.cache / row["id"] / f"report.{fmt}"
        if target.exists():
            return target.read_bytes()
        item = self.report_item(row)
        with PDFIUM_LOCK:
            if fmt == "html":
                out = render_html([item]).encode("utf-8")
            elif fmt == "xlsx":
                out = xlsx_bytes([item])
            else:
                assert item.data is not None
                out = annotate_pdf(item.data, item.result.findings, name=row["filename"], title=item.title)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")  # concurrent requests each write their own
        tmp.write_bytes(out)
        tmp.replace(target)
        return out

    def finding_boxes(self, row: dict[str, Any], findings: list[Finding]) -> list[dict[int, list[Any]]]:
        """Per finding (in the given order), page → boxes, with quoted sentences narrowed to
        their printed lines (pdfium's characters); computed once per document and cached."""
        target = self.cache / row["id"] / "boxes.json"
        if target.exists():
            try:
                cached = json.loads(target.read_text(encoding="utf-8"))
                if len(cached) == len(findings):
                    return [{int(k): v for k, v in d.items()} for d in cached]
            except (OSError, ValueError):
                pass
        out: list[dict[int, list[Any]]]
        if row.get("format") != "pdf":
            return [dict(finding_boxes(f)) for f in findings]
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            try:
                pdf = pdfium.PdfDocument((self.uploads / row["stored"]).read_bytes())
            except Exception:  # unreadable now: the reader's boxes as they are
                return [dict(finding_boxes(f)) for f in findings]
            try:
                loc = SentenceLocator(pdf)
                out = [dict(finding_boxes(f, loc)) for f in findings]
            finally:
                pdf.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")  # concurrent requests each write their own
        tmp.write_text(json.dumps([{str(k): v for k, v in d.items()} for d in out]), encoding="utf-8")
        tmp.replace(target)
        return out

    def page_png(self, row: dict[str, Any], page: int) -> bytes:
        target = self.cache / row["id"] / f"page-{page}.png"
        if target.exists():
            return target.read_bytes()
        with PDFIUM_LOCK:
            r = PageRenderer((self.uploads / row["stored"]).read_bytes(), scale=1.5)
            try:
                if not 1 <= page <= len(r):
                    raise HTTPException(404, "没有这一页")
                out = r.page_png(page)
            finally:
                r.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")  # concurrent requests each write their own
        tmp.write_bytes(out)
        tmp.replace(target)
        return out


def _findings_view(
    row: dict[str, Any], findings: list[Finding], doc: Disclosure | None, boxes: list[dict[int, list[Any]]] | None = None
) -> list[dict[str, Any]]:
    """The findings in display order with their boxes in percent of the page size; ``boxes``
    (from ``App.finding_boxes``, same order as ``findings``) replaces the reader's boxes."""
    families = rule_families()
    sizes = json.loads(row["page_sizes"]) if row.get("page_sizes") else None
    order = sorted(range(len(findings)), key=lambda i: Finding.sort_key(findings[i]))
    out = []
    for n, i in enumerate(order):
        f = findings[i]
        pages = [ref.loc.page for ref in f.locations if ref.loc is not None and ref.loc.page is not None]
        first_page = pages[0] if pages else None
        page_boxes = boxes[i] if boxes is not None and i < len(boxes) else finding_boxes(f)
        view_boxes = []
        for page, bbs in sorted(page_boxes.items()):
            if not sizes or not 1 <= page <= len(sizes):
                continue
            w, h = sizes[page - 1]
            for x0, t, x1, b in bbs:
                view_boxes.append(
                    {
                        "page": page,
                        "left": round(100 * x0 / w, 3),
                        "top": round(100 * t / h, 3),
                        "width": round(100 * (x1 - x0) / w, 3),
                        "height": round(100 * (b - t) / h, 3),
                    }
                )
        frags: list[Markup] = []
        if not sizes and doc is not None:
            frags = finding_fragments(doc, f)
        out.append(
            {"n": n + 1, "f": f, "family": family_of(f.rule_id, families), "boxes": view_boxes, "page": first_page, "frags": frags}
        )
    return out


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    state: dict[str, App] = {}
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(version=__version__, STATUS_ZH=STATUS_ZH, STAGES_ZH=STAGES_ZH)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        a = App(settings)
        a.start()
        state["app"] = a
        try:
            yield
        finally:
            a.stop()
            state.pop("app", None)

    api = FastAPI(
        title="juesuan 决算公开核对",
        version=__version__,
        description="上传部门决算公开文件（PDF、Word、Excel、网页、文本），核对表内、表间和文字说明的勾稽关系，下载报告。",
        lifespan=lifespan,
    )
    api.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def ctx() -> App:
        return state["app"]

    def authorized(request: Request) -> bool:
        token = settings.token
        if not token:
            return True
        given = request.headers.get("authorization", "")
        if given.lower().startswith("bearer "):
            given = given[7:].strip()
        else:
            given = request.cookies.get(COOKIE, "")
        return bool(given) and hmac.compare_digest(given.encode(), token.encode())

    def require_api(request: Request) -> None:
        if not authorized(request):
            raise HTTPException(401, "需要有效的访问令牌（Authorization: Bearer …）", headers={"WWW-Authenticate": "Bearer"})

    def page_auth(request: Request) -> RedirectResponse | None:
        if authorized(request):
            return None
        return RedirectResponse("/login", status_code=303)

    @api.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/healthz":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return templates.TemplateResponse(
            request, "error.html", {"message": exc.detail, "status": exc.status_code}, status_code=exc.status_code
        )

    @api.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        missing = [".".join(str(x) for x in e.get("loc", ())[1:]) for e in exc.errors()]
        return JSONResponse({"detail": f"请求不完整或格式不对：{', '.join(missing) or '参数错误'}"}, status_code=422)

    async def read_upload(request: Request, file: UploadFile) -> bytes:
        limit = settings.max_bytes
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

    def clean_name(name: str | None) -> str:
        base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
        return base[:200] or "未命名文件"

    # -- REST API -----------------------------------------------------------------------------
    @api.get("/healthz", tags=["服务"], summary="健康检查")
    def healthz() -> dict[str, Any]:
        a = state.get("app")
        return {"status": "ok", "version": __version__, "jobs": a.store.counts() if a else {}}

    @api.post("/api/documents", tags=["文件"], summary="上传一个文件并排队核对", status_code=201,
              dependencies=[Depends(require_api)])  # fmt: skip
    async def upload(request: Request, file: UploadFile = File(..., description="决算公开文件")) -> dict[str, Any]:
        data = await read_upload(request, file)
        row = ctx().add_upload(clean_name(file.filename), data)
        return {"id": row["id"], "status": row["status"]}

    @api.get("/api/documents", tags=["文件"], summary="全部文件及其处理状态", dependencies=[Depends(require_api)])
    def list_documents() -> dict[str, Any]:
        rows = ctx().store.list_documents()
        return {
            "documents": [
                {
                    "id": r["id"],
                    "filename": r["filename"],
                    "status": r["status"],
                    "stage": r["stage"],
                    "progress": r["progress"],
                    "error": r["error"],
                    "summary": {"error": r["n_error"], "warning": r["n_warning"], "info": r["n_info"]},
                }
                for r in rows
            ]
        }

    @api.get("/api/documents/{doc_id}", tags=["文件"], summary="状态、元数据和问题（同 check --format json）",
             dependencies=[Depends(require_api)])  # fmt: skip
    def get_document(doc_id: str) -> dict[str, Any]:
        a = ctx()
        return a.document_obj(a.row(doc_id))

    @api.get("/api/documents/{doc_id}/extract.json", tags=["文件"], summary="提取的结构化数据",
             dependencies=[Depends(require_api)])  # fmt: skip
    def get_extract(doc_id: str) -> Response:
        a = ctx()
        row = a.row(doc_id)
        if row["status"] != "done":
            raise HTTPException(409, "尚未处理完成，暂无提取结果")
        return Response(a.store.disclosure_json(doc_id) or "{}", media_type="application/json")

    @api.get("/api/documents/{doc_id}/report.{fmt}", tags=["报告"], summary="下载报告（html、xlsx、pdf）",
             dependencies=[Depends(require_api)])  # fmt: skip
    def get_report(doc_id: str, fmt: str) -> Response:
        a = ctx()
        row = a.row(doc_id)
        if fmt not in MEDIA:
            raise HTTPException(404, f"没有这种报告格式：{fmt}（可选 html、xlsx、pdf）")
        if row["status"] == "failed":
            raise HTTPException(409, f"此文件处理失败，没有报告：{row['error']}")
        if row["status"] != "done":
            raise HTTPException(409, "尚未处理完成，请稍后再下载报告")
        if fmt == "pdf" and row["format"] != "pdf":
            raise HTTPException(409, "批注版 PDF 报告需要 PDF 格式的输入文件（此文件不是 PDF），请下载 HTML 或 XLSX 报告")
        body = a.report(row, fmt)
        stem = Path(row["filename"]).stem
        from urllib.parse import quote

        disp = f"attachment; filename=report.{fmt}; filename*=UTF-8''{quote(stem + '-核对报告.' + fmt)}"
        return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": disp})

    @api.get("/api/documents/{doc_id}/pages/{page}.png", tags=["文件"], summary="PDF 页面图片",
             dependencies=[Depends(require_api)])  # fmt: skip
    def get_page(doc_id: str, page: int) -> Response:
        a = ctx()
        row = a.row(doc_id)
        if row["format"] != "pdf":
            raise HTTPException(404, "只有 PDF 文件有页面图片")
        return Response(a.page_png(row, page), media_type="image/png", headers={"Cache-Control": "max-age=86400"})

    # -- pages --------------------------------------------------------------------------------
    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        if (r := page_auth(request)) is not None:
            return r
        a = ctx()
        return templates.TemplateResponse(
            request, "index.html", {"docs": a.store.list_documents(), "max_mb": settings.max_bytes / 1024 / 1024}
        )

    @api.post("/upload", include_in_schema=False)
    async def upload_form(request: Request, files: list[UploadFile] = File(...)) -> Response:
        if (r := page_auth(request)) is not None:
            return r
        for f in files:
            data = await read_upload(request, f)
            ctx().add_upload(clean_name(f.filename), data)
        return RedirectResponse("/", status_code=303)

    @api.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str) -> Response:
        if (r := page_auth(request)) is not None:
            return r
        a = ctx()
        row = a.row(doc_id)
        findings = [Finding.model_validate(f) for f in a.store.findings(doc_id)]
        raw = a.store.disclosure_json(doc_id)
        doc = Disclosure.model_validate_json(raw) if raw else None
        sizes = (json.loads(row["page_sizes"]) if row.get("page_sizes") else None) or []
        views = _findings_view(row, findings, doc, a.finding_boxes(row, findings) if sizes else None)
        rules = sorted({v["f"].rule_id for v in views})
        md = doc.metadata if doc else None
        return templates.TemplateResponse(
            request,
            "document.html",
            {
                "row": row,
                "md": md,
                "views": views,
                "rules": rules,
                "pages": [{"n": i + 1, "ratio": h / w} for i, (w, h) in enumerate(sizes)],
                "severities": [(s.value, s.zh) for s in Severity],
                "counts": {s.value: sum(1 for v in views if v["f"].severity is s) for s in Severity},
            },
        )

    @api.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request) -> Response:
        return templates.TemplateResponse(request, "login.html", {"bad": False})

    @api.post("/login", include_in_schema=False)
    def login(request: Request, token: str = Form("")) -> Response:
        if settings.token and hmac.compare_digest(token.encode(), settings.token.encode()):
            resp = RedirectResponse("/", status_code=303)
            resp.set_cookie(COOKIE, token, httponly=True, samesite="strict")
            return resp
        return templates.TemplateResponse(request, "login.html", {"bad": True}, status_code=401)

    return api


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    data_dir: Path = Path("juesuan-data"),
    db_path: Path | None = None,
    workers: int = 2,
    timeout: float = 300.0,
) -> None:
    import uvicorn

    settings = Settings(data_dir=data_dir, db_path=db_path, workers=workers, timeout=timeout)
    print(f"juesuan 网页应用：http://{host}:{port}/  （API 文档：/docs，数据目录：{data_dir}）", flush=True)
    if settings.token:
        print("已启用访问令牌（JUESUAN_TOKEN）。", flush=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")

