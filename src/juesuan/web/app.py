"""The web app and REST API (FastAPI, server-rendered Jinja2 pages, no build step).

``create_app(Settings(...))`` gives an ASGI app; ``serve()`` runs it with uvicorn. State lives in
``<data_dir>/juesuan.duckdb`` and ``<data_dir>/uploads`` (generated names), so a restart keeps
every document and picks unfinished jobs up again. One server process per data directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..api import DocumentResult
from ..ingest import sniff_format
from ..ingest.pdf.pdfium_access import PDFIUM_LOCK  # pdfium is not thread-safe: one lock per process
from ..model import Finding, Metadata, Unchecked
from ..report.crops import SentenceLocator, finding_boxes
from ..report.jsonout import results_to_obj
from ..runtime.crashlog import write_crash_log
from ..runtime.limits import LIMITS
from .accounts import Accounts
from .apidocs import apidocs_router
from .auth import Auth, login_router, page_identity, reader
from .decisions import REVIEW_ZH, Decisions, decisions_router, finding_id
from .grouping import (
    ROLE_ZH,
    Grouper,
    group_boxes,
    locate,
    part_pages,
    process_parts,
)
from .guard import Guard
from .letters import default_bureau, letters_router
from .organizations import Organizations, organizations_router
from .orgedit import orgedit_router
from .pairs import pairs_router
from .related import Related
from .render import Job, Renderer
from .serving import run
from .store import Store
from .summary import summary_router
from .triage import summaries, triage_router
from .uploads import uploads_router
from .views import document_context
from .worker import STAGES_ZH, GroupProcessor, Processor, WorkerPool, process_file

HERE = Path(__file__).parent
EXT = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "ole": ".xls", "html": ".html", "txt": ".txt", "zip": ".zip"}
MEDIA = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
STATUS_ZH = {"queued": "排队中", "running": "处理中", "done": "完成", "failed": "失败"}


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
    group_processor: GroupProcessor = process_parts  # the files of one disclosure read as one
    bureau: str = field(default_factory=default_bureau)  # who signs the letters (JUESUAN_BUREAU)

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
        self.accounts = Accounts(self.store)
        self.auth = Auth(self.accounts, settings.token)
        self.decisions = Decisions(self.store)
        self.organizations = Organizations(self.store)
        self.related = Related(self.store, self.organizations)
        self.store.on_finish.append(self.related.after_finish)  # a finished document is paired
        self._pairing: threading.Thread | None = None
        self.pool = WorkerPool(
            self.store,
            lambda stored: str(self.uploads / stored),
            workers=settings.workers,
            timeout=settings.timeout,
            max_pages=settings.max_pages,
            processor=settings.processor,
            parts=self.parts_of,
            group_processor=settings.group_processor,
            after=self.after_job,
        )
        self.grouper = Grouper(self.store, self.decisions, self.pool.submit, self.cache)
        self.renderer = Renderer()

    def start(self) -> None:
        self.store.requeue_interrupted()  # a job running when the server last stopped runs again
        self.pool.start()
        for doc_id in self.store.unfinished():
            self.pool.submit(doc_id)
        self.grouper.regroup()  # files read before a stop may call for a group
        # pairs made by older rules are checked again, off the start-up path
        self._pairing = threading.Thread(target=self.related.catch_up, name="juesuan-pairs", daemon=True)
        self._pairing.start()

    def parts_of(self, row: dict[str, Any]) -> list[tuple[str, str]] | None:
        """A group row's files (stored path, display name), the narrative's first; None for a file."""
        if not row.get("parts"):
            return None
        out = []
        for pid in row["parts"].split(","):
            part = self.store.get(pid)
            if part is not None and part.get("stored"):
                out.append((str(self.uploads / part["stored"]), part["filename"]))
        return out

    def after_job(self, doc_id: str) -> None:
        """A file read: the groups it may form or dissolve (a group's own job changes none)."""
        row = self.store.get(doc_id)
        if row is not None and not row.get("parts"):
            self.grouper.regroup()
            # a file that joined a group (or left one) pairs no longer (or again) on its own
            self.related.catch_up(f"文件 {doc_id} 分组后的关联文件核对")

    def stop(self) -> None:
        self.pool.stop(grace=LIMITS.stop_grace_seconds.value())
        if self._pairing is not None:
            self._pairing.join(30)  # not cut off by the store closing under it
        self.store.requeue_interrupted()
        self.store.close()

    # -- documents ------------------------------------------------------------------------------
    def add_upload(self, filename: str, data: bytes, user: str | None = None, source: str | None = None) -> dict[str, Any]:
        """A new document for an uploaded file (``source``: the zip or folder it came with)."""
        doc_id = uuid.uuid4().hex
        fmt = sniff_format(data)
        stored = doc_id + EXT.get(fmt or "", ".bin")
        (self.uploads / stored).write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        if not data.strip():
            self.store.add(doc_id, filename=filename, stored=stored, size=len(data), sha256=sha, fmt=fmt,
                           status="failed", error=f"{filename}：文件为空", error_code="empty", uploaded_by=user,
                           source=source)  # fmt: skip
        elif fmt is None:
            self.store.add(
                doc_id, filename=filename, stored=stored, size=len(data), sha256=sha, fmt=None, status="failed",
                error=f"{filename}：不是可识别的文档（二进制内容，既非 PDF、Word、Excel、网页也非文本）",
                error_code="not_a_document", uploaded_by=user, source=source,
            )  # fmt: skip
        else:
            self.store.add(doc_id, filename=filename, stored=stored, size=len(data), sha256=sha, fmt=fmt,
                           uploaded_by=user, source=source)  # fmt: skip
            self.pool.submit(doc_id)
        row = self.store.get(doc_id)
        assert row is not None
        self.decisions.log(user, "uploaded", doc_id, filename=filename, sha256=sha, **({"source": source} if source else {}))
        return row

    def delete(self, doc_id: str, user: str | None = None) -> list[str]:
        """Delete a document: its stored file, findings, cells, decisions, comments, derived
        files. A group goes with its parts; a part takes its group with it (what was checked
        together is gone), the other part is listed again. Returns the ids deleted."""
        row = self.row(doc_id)
        ids = [row["id"]]
        if row.get("parts"):
            ids += row["parts"].split(",")
        elif row.get("group_id"):
            ids.append(row["group_id"])
        rows = [r for r in (self.store.get(i) for i in ids) if r is not None]
        groups = [r for r in rows if r.get("parts")]
        for g in groups:  # the remaining part of a broken group is listed again
            self.store.set_group([p for p in g["parts"].split(",") if p not in ids], None)
        self.store.delete([r["id"] for r in rows])
        self.decisions.forget([r["id"] for r in rows])
        self.organizations.forget([r["id"] for r in rows])
        for r in rows:
            if r.get("stored"):
                (self.uploads / r["stored"]).unlink(missing_ok=True)
            shutil.rmtree(self.cache / r["id"], ignore_errors=True)
        self.decisions.log(user, "deleted", row["id"], filename=row["filename"], deleted=[r["id"] for r in rows])
        self.grouper.regroup()
        # the pairs of what was deleted go, with their findings on the partner (its review counts)
        self.related.catch_up(f"删除文件 {row['id']} 后的关联文件核对")
        return [r["id"] for r in rows]

    def recheck(self, doc_id: str, user: str | None = None) -> bool:
        """Queue a finished document again; what was derived from its findings (boxes, reports)
        is dropped, its page images stay (same file)."""
        if not self.store.requeue(doc_id):
            return False
        folder = self.cache / doc_id
        if folder.is_dir():
            for p in folder.iterdir():
                if not p.name.startswith("page-"):
                    p.unlink(missing_ok=True)
        self.decisions.log(user, "rechecked", doc_id)
        self.pool.submit(doc_id)
        return True

    def row(self, doc_id: str) -> dict[str, Any]:
        row = self.store.get(doc_id) if len(doc_id) == 32 and doc_id.isalnum() else None
        if row is None:
            raise HTTPException(404, "找不到这个文件（编号不存在）")
        return row

    def document_obj(self, row: dict[str, Any]) -> dict[str, Any]:
        """Job state plus the ``check --format json`` document object."""
        pairs = self.store.findings_with_fingerprints(row["id"])
        findings = [Finding.model_validate(f) for f, _ in pairs]
        md = Metadata.model_validate(json.loads(row["metadata"])) if row.get("metadata") else None
        unchecked = [Unchecked.model_validate(u) for u in json.loads(row.get("unchecked") or "[]")]
        result = DocumentResult(path=row["filename"], metadata=md, findings=findings, unchecked=unchecked)
        if row["status"] == "failed":
            result.error, result.error_code = row["error"], row["error_code"]
        obj = results_to_obj([result])["documents"][0]
        decided = self.decisions.of(row["id"])
        cross = {c["fingerprint"]: c for c in self.related.findings(row["id"]) if c["doc_id"] == row["id"]}
        for f, (_, fp) in zip(obj["findings"], pairs, strict=True):
            f["id"] = finding_id(row["id"], fp)
            f["decision"] = decided.get(fp)
            if fp in cross:  # a finding of a pair (related.py): the other document it compares with
                f["related_document"], f["relation"] = cross[fp]["other_id"], cross[fp]["relation"]
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
            # a disclosure checked from several files: the files; a file checked within one: its group
            "parts": self.parts_view(row),
            "group": row.get("group_id"),
            **obj,
        }

    def parts_view(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        """A group's files: id, name, which part it holds, pages (empty for a single file)."""
        if not row.get("parts"):
            return []
        pages = {p.id: p for p in part_pages(row)}
        out = []
        for pid in row["parts"].split(","):
            part = self.store.get(pid)
            if part is None:
                continue
            pp = pages.get(pid)
            out.append({"id": pid, "filename": part["filename"], "part": part["part_role"],
                        "part_zh": ROLE_ZH.get(part["part_role"] or "", ""), "pages": pp.pages if pp else part["pages"],
                        "first_page": pp.offset + 1 if pp else None})  # fmt: skip
        return out

    def group_files(self, row: dict[str, Any]) -> list[tuple[str, str]]:
        """A group's files, (name as the locations give it, stored path), in the group's order."""
        names = [p.name for p in part_pages(row)]
        files = self.parts_of(row) or []
        return [(names[i] if i < len(names) else name, path) for i, (path, name) in enumerate(files)]

    def report(self, row: dict[str, Any], fmt: str) -> bytes:
        """The report of a checked document, rendered once in a child with the render limits
        (web/render.py)."""
        target = self.cache / row["id"] / f"report.{fmt}"
        return self.renderer.get(
            target,
            lambda: Job(
                "report", str(self.uploads / row["stored"]) if row.get("stored") else "", str(target),
                row["filename"], fmt=fmt,
                findings=json.dumps(self.store.findings(row["id"]), ensure_ascii=False),
                disclosure=self.store.disclosure_json(row["id"]), metadata=row.get("metadata"),
                unchecked=row.get("unchecked") or "[]",
                # a group has no file of its own: its PDF report is its files' annotated one after the other
                parts=tuple(self.group_files(row)),
            ),
        )  # fmt: skip

    def finding_boxes(self, row: dict[str, Any], findings: list[Finding]) -> list[dict[int, list[Any]]]:
        """Per finding (in the given order), page → boxes, with quoted sentences narrowed to
        their printed lines (pdfium's characters); computed once per document and cached."""
        # named by the places asked for: the pages of a document show its own findings and those
        # of its pairs, placed on it (views.py), and a pair's findings change without the document
        key = hashlib.sha256(json.dumps([[r.model_dump(mode="json") for r in f.locations] for f in findings]).encode()).hexdigest()
        target = self.cache / row["id"] / f"boxes-{key[:20]}.json"
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

        if row.get("parts"):  # each place on its own file's page, in the group's numbering
            files = {name: Path(path).read_bytes() for name, path in self.group_files(row)}
            with PDFIUM_LOCK:
                out = group_boxes([(p, files.get(p.name)) for p in part_pages(row)], findings)
            self._cache_boxes(target, out)
            return out
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
        self._cache_boxes(target, out)
        return out

    def _cache_boxes(self, target: Path, out: list[dict[int, list[Any]]]) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")  # concurrent requests each write their own
        tmp.write_text(json.dumps([{str(k): v for k, v in d.items()} for d in out]), encoding="utf-8")
        tmp.replace(target)

    def page_png(self, row: dict[str, Any], page: int) -> bytes:
        if row.get("parts"):  # a group's page is a page of one of its files
            hit = locate(part_pages(row), page)
            part = self.store.get(hit[0].id) if hit else None
            if hit is None or part is None or part["format"] != "pdf":
                raise HTTPException(404, "没有这一页")
            return self.page_png(part, hit[1])
        return self.renderer.page_png(row, self.uploads / row["stored"], self.cache / row["id"] / f"page-{page}.png", page)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    state: dict[str, App] = {}
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(version=__version__, STATUS_ZH=STATUS_ZH, STAGES_ZH=STAGES_ZH, REVIEW_ZH=REVIEW_ZH)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        a = App(settings)
        a.start()
        state["app"] = a
        api.state.juesuan = a  # the routers of the desk's modules reach the app through the request
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
        docs_url=None,  # served by apidocs_router from the package, behind the login
        redoc_url=None,
        openapi_url=None,
    )
    api.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    # auth and size from the headers before the body is read, throttling, security headers
    def authorized(scope: Any) -> bool:
        # the accounts' own judgement (a session, a user's token, the shared token, or the open
        # app), from the request's headers: the body is not read before it is known to be wanted
        app_ = state.get("app")
        return app_ is not None and app_.auth.identify(Request(scope)) is not None

    api.add_middleware(Guard, settings=settings, authorize=authorized)

    def ctx() -> App:
        return state["app"]

    require_api = reader

    def page_auth(request: Request) -> RedirectResponse | None:
        r = page_identity(request)
        return r if isinstance(r, RedirectResponse) else None

    @api.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path in ("/healthz", "/openapi.json"):
            rid = getattr(request.state, "request_id", "")
            return JSONResponse({"detail": exc.detail, "request_id": rid}, status_code=exc.status_code, headers=exc.headers)
        return templates.TemplateResponse(
            request, "error.html", {"message": exc.detail, "status": exc.status_code}, status_code=exc.status_code
        )

    @api.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        """A bug answers a short Chinese message with the request id; the traceback goes to a log."""
        rid = getattr(request.state, "request_id", "") or uuid.uuid4().hex[:12]
        log = write_crash_log(f"{request.method} {request.url.path}（请求编号 {rid}）", exc)
        detail = f"服务器内部错误，请报告此问题（请求编号 {rid}）"
        if request.url.path.startswith("/api/") or request.url.path == "/healthz":
            return JSONResponse({"detail": detail, "request_id": rid, "log": str(log) if log else None}, status_code=500)
        return templates.TemplateResponse(request, "error.html", {"message": detail, "status": 500}, status_code=500)

    @api.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        missing = [".".join(str(x) for x in e.get("loc", ())[1:]) for e in exc.errors()]
        return JSONResponse({"detail": f"请求不完整或格式不对：{', '.join(missing) or '参数错误'}"}, status_code=422)

    # -- REST API -----------------------------------------------------------------------------
    @api.get("/healthz", tags=["服务"], summary="健康检查")
    def healthz(request: Request) -> dict[str, Any]:
        a = state.get("app")
        if a is None or a.auth.identify(request) is None:  # alive or not, nothing more to whoever asks
            return {"status": "ok"}
        return {"status": "ok", "version": __version__, "jobs": a.store.counts() if a else {}}

    api.include_router(uploads_router())
    api.include_router(triage_router())
    api.include_router(decisions_router())
    api.include_router(letters_router())
    api.include_router(organizations_router(templates))
    api.include_router(orgedit_router())
    api.include_router(summary_router())
    api.include_router(pairs_router(templates))
    api.include_router(apidocs_router(api))

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
            request, "index.html", {"docs": summaries(a), "max_mb": settings.max_bytes / 1024 / 1024}
        )

    @api.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str) -> Response:
        if (r := page_auth(request)) is not None:
            return r
        a = ctx()
        return templates.TemplateResponse(request, "document.html", document_context(a, a.row(doc_id)))

    api.include_router(login_router(templates))

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
    settings = Settings(data_dir=data_dir, db_path=db_path, workers=workers, timeout=timeout)
    print(f"juesuan 网页应用：http://{host}:{port}/  （API 文档：/docs，数据目录：{data_dir}）", flush=True)
    if settings.token:
        print("已启用访问令牌（JUESUAN_TOKEN）。", flush=True)
    run(create_app(settings), host=host, port=port)  # with read timeouts and bounds (web/serving.py)
