"""The API documentation (Swagger UI) served from the package: a finance bureau's network often
has no internet access, and FastAPI's default page loads its script and styles from a CDN.
The files in static/swagger are swagger-ui-dist unchanged (Apache-2.0, see VERSION.txt there).
The schema and the page need a login once users exist, like every other page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response

from .auth import Identity, page_identity, reader

ASSETS = "/static/swagger"


def apidocs_router(api: FastAPI) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/openapi.json")
    def openapi(_: Identity = Depends(reader)) -> Response:
        return JSONResponse(api.openapi())

    @router.get("/docs", response_class=HTMLResponse)
    def docs(request: Request) -> Any:
        ident = page_identity(request)
        if isinstance(ident, Response):
            return ident
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{api.title} · API 文档",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
            # no badge from the online validator: it would fetch an image from the internet
            swagger_ui_parameters={"validatorUrl": None, "docExpansion": "list"},
        )

    return router
