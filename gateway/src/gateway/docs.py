"""`/openapi.json`, `/docs` (Swagger UI with its assets served locally) and `/problems`."""

from __future__ import annotations

import functools
import hashlib
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from ppid_kit.openapi import PROBLEMS_EXTENSION
from ppid_kit.problems import NOT_FOUND, ProblemError

from gateway.live_spec import LiveSpec

ASSETS_PATH = "/docs/assets"
# The bundle of the installed fastapi-offline (swagger-ui 5, reads OpenAPI 3.1): no CDN.
_ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
_SWAGGER_PARAMETERS: dict[str, Any] = {
    "validatorUrl": None,  # the default posts the spec to validator.swagger.io
    "tryItOutEnabled": True,
    "persistAuthorization": True,
}


@functools.cache
def _asset(name: str) -> tuple[bytes, str]:
    """The asset's bytes and strong ETag, read once per process."""
    data = files("fastapi_offline").joinpath("static", name).read_bytes()
    return data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


async def problem_kinds(request: Request) -> dict[str, dict[str, Any]]:
    """Every documented kind by slug: the gateway's and those the services publish."""
    spec: LiveSpec = request.app.state.live_spec
    merged = await spec.get()
    return {kind["slug"]: kind for kind in merged.get(PROBLEMS_EXTENSION, [])}


def docs_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/openapi.json")
    async def openapi(request: Request) -> JSONResponse:
        spec: LiveSpec = request.app.state.live_spec
        return JSONResponse(await spec.get(), headers={"Cache-Control": "no-cache"})

    @router.get("/docs")
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Terbuka API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
            swagger_ui_parameters=_SWAGGER_PARAMETERS,
        )

    @router.get(ASSETS_PATH + "/{name}")
    async def swagger_asset(name: str, request: Request) -> Response:
        if name not in _ASSET_TYPES:  # an allowlist: no path ever reaches the filesystem
            raise ProblemError(NOT_FOUND)
        data, etag = _asset(name)
        headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(data, media_type=_ASSET_TYPES[name], headers=headers)

    @router.get("/problems")
    async def list_problems(request: Request) -> JSONResponse:
        return JSONResponse({"items": list((await problem_kinds(request)).values())})

    @router.get("/problems/{slug}")
    async def describe_problem(slug: str, request: Request) -> JSONResponse:
        kind = (await problem_kinds(request)).get(slug)
        if kind is None:
            raise ProblemError(NOT_FOUND)
        return JSONResponse(kind, headers={"Cache-Control": "public, max-age=3600"})

    return router
