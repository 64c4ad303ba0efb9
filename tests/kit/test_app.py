"""`create_service_app`: wiring, lifespan composition and the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, FastAPI, Query
from ppid_kit.cursor import CursorCodec, Page, PageParams
from ppid_kit.problems import problem_responses, register_kind
from ppid_kit.settings import ServiceSettings
from ppid_kit.tokens import CurrentClaims, TokenVerifier
from prometheus_client import CollectorRegistry
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.kit.helpers import build_app, serving


class Entry(BaseModel):
    id: str


router = APIRouter(prefix="/v1/entries", tags=["entries"])


@router.get("", responses=problem_responses(400))
async def list_entries(
    page: Annotated[PageParams, Depends()], q: Annotated[str | None, Query()] = None
) -> Page[Entry]:
    return Page(items=[])


@router.get("/{entry_id}", responses=problem_responses(401, 404))
async def get_entry(entry_id: str, claims: CurrentClaims) -> Entry:
    return Entry(id=entry_id)


async def test_state_is_built_in_the_lifespan(settings: ServiceSettings) -> None:
    app = build_app(settings, [router])
    assert isinstance(app.state.metrics_registry, CollectorRegistry)
    assert not hasattr(app.state, "engine")  # nothing connects before start-up
    async with serving(app):
        assert isinstance(app.state.engine, AsyncEngine)
        assert isinstance(app.state.http, httpx.AsyncClient)
        assert isinstance(app.state.token_verifier, TokenVerifier)
        assert isinstance(app.state.cursor, CursorCodec)
        assert app.state.settings is settings
        http = app.state.http
    assert http.is_closed


async def test_caller_lifespan_runs_inside_the_kits(settings: ServiceSettings) -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        events.append(f"start engine={hasattr(app.state, 'engine')}")
        app.state.extra = "mine"
        yield
        events.append(f"stop http_open={not app.state.http.is_closed}")

    app = build_app(settings, [router], lifespan=lifespan)
    async with serving(app) as client:
        assert app.state.extra == "mine"
        assert (await client.get("/healthz")).status_code == 200
    assert events == ["start engine=True", "stop http_open=True"]


def _openapi(settings: ServiceSettings) -> dict[str, Any]:
    return build_app(settings, [router]).openapi()


def test_openapi_document(settings: ServiceSettings) -> None:
    spec = _openapi(settings)
    assert spec["openapi"].startswith("3.1")
    operations = {
        (path, method): op for path, ops in spec["paths"].items() for method, op in ops.items()
    }
    assert set(operations) == {("/v1/entries", "get"), ("/v1/entries/{entry_id}", "get")}
    assert operations["/v1/entries", "get"]["operationId"] == "list_entries"
    assert operations["/v1/entries/{entry_id}", "get"]["operationId"] == "get_entry"
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for op in operations.values():
        assert op["responses"]["422"]["content"] == problem
    assert operations["/v1/entries/{entry_id}", "get"]["responses"]["404"]["content"] == problem
    assert operations["/v1/entries/{entry_id}", "get"]["security"]
    schemas = spec["components"]["schemas"]
    assert {"type", "title", "status"} <= set(schemas["Problem"]["required"])
    assert "request_id" in schemas["Problem"]["properties"]
    text = json.dumps(spec)
    assert "HTTPValidationError" not in text
    for hidden in ("/healthz", "/readyz", "/metrics"):
        assert hidden not in spec["paths"]


async def test_openapi_is_served(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get("/openapi.json")
        docs = await client.get("/docs")
    assert response.status_code == 200
    assert response.json()["components"]["schemas"]["Problem"]["title"] == "Problem"
    assert docs.status_code == 404  # the gateway serves the docs


def test_the_spec_lists_the_problem_kinds_the_service_registered(
    settings: ServiceSettings,
) -> None:
    register_kind("kit-test-own-kind", 409, "Jenis uji", "Test kind")
    listed = {kind["slug"]: kind for kind in _openapi(settings)["x-terbuka-problems"]}
    assert listed["kit-test-own-kind"]["title"] == {"id": "Jenis uji", "en": "Test kind"}
    assert listed["not-found"]["status"] == 404
