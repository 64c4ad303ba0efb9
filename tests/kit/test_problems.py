"""Problem details: shapes in both languages, routing errors, validation, 500 and 503."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import pytest
from fastapi import APIRouter, Query
from ppid_kit.db import SessionDep
from ppid_kit.problems import (
    CONFLICT,
    INVALID_TOKEN,
    KINDS,
    NOT_FOUND,
    FieldError,
    ProblemError,
    Text,
    negotiate_language,
    problem_body,
    register_kind,
)
from ppid_kit.settings import ServiceSettings
from pydantic import BaseModel, Field
from sqlalchemy import text

from tests.kit.helpers import build_app, closed_port_url, serving

PROBLEM_JSON = "application/problem+json"
DEADLINE = register_kind("test-deadline-passed", 409, "Tenggat terlewati", "Deadline passed")


class NoteCreate(BaseModel):
    title: str = Field(min_length=3, max_length=20)
    pages: int = Field(ge=1)


router = APIRouter(prefix="/v1/notes")


@router.post("", status_code=201)
async def create_note(body: NoteCreate) -> dict[str, str]:
    return {"title": body.title}


@router.get("/conflict")
async def conflicting_note() -> None:
    raise ProblemError(
        CONFLICT,
        Text("Catatan sudah dikunci.", "The note is locked."),
        errors=[FieldError("state", Text("Salah keadaan.", "Wrong state."))],
        extra={"state": "locked", "hint": Text("Buka kunci dulu.", "Unlock it first.")},
    )


@router.get("/deadline")
async def late_note() -> None:
    raise ProblemError(DEADLINE)


@router.get("/token")
async def bad_token() -> None:
    raise ProblemError(INVALID_TOKEN)


@router.get("/boom")
async def broken_note() -> None:
    raise RuntimeError("the secret is 1234567890")


@router.get("/db")
async def note_from_db(session: SessionDep) -> dict[str, int]:
    value = (await (await session.connection()).execute(text("SELECT 1"))).scalar_one()
    return {"value": value}


@router.get("/{note_id}")
async def get_note(note_id: uuid.UUID, size: Annotated[int, Query(le=100)] = 10) -> dict[str, str]:
    raise ProblemError(NOT_FOUND)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "id"),
        ("", "id"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("id-ID,id;q=0.9,en;q=0.8", "id"),
        ("en;q=0.5,id;q=0.9", "id"),
        ("id;q=0.4, en;q=0.6", "en"),
        ("fr, en;q=0.3", "en"),
        ("fr, de", "id"),
        ("en;q=0, id;q=0.1", "id"),
        ("in, en;q=0.8", "id"),
        ("*;q=0.9, en;q=0.5", "id"),
        ("en;q=abc", "id"),
        ("en, id", "id"),  # a tie goes to Indonesian
    ],
)
def test_negotiate_language(header: str | None, expected: str) -> None:
    assert negotiate_language(header) == expected


def test_problem_body_shape() -> None:
    body = problem_body(
        DEADLINE,
        "en",
        detail=Text("Lewat.", "Too late."),
        instance="/v1/x",
        request_id="rid-1",
        errors=[FieldError("when", Text("Salah.", "Wrong."))],
        extra={"due": "2026-01-01"},
    )
    assert body == {
        "type": "/problems/test-deadline-passed",
        "title": "Deadline passed",
        "status": 409,
        "detail": "Too late.",
        "instance": "/v1/x",
        "request_id": "rid-1",
        "errors": [{"field": "when", "message": "Wrong."}],
        "due": "2026-01-01",
    }


def test_register_kind_is_stable() -> None:
    assert register_kind("test-deadline-passed", 409, "Tenggat terlewati", "Deadline passed") == (
        DEADLINE
    )
    assert KINDS["test-deadline-passed"] is DEADLINE
    with pytest.raises(ValueError, match="already registered"):
        register_kind("test-deadline-passed", 410, "Lain", "Other")


async def test_problem_error_in_indonesian(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get("/v1/notes/conflict")
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["content-language"] == "id"
    body = response.json()
    assert body == {
        "type": "/problems/conflict",
        "title": "Konflik keadaan",
        "status": 409,
        "detail": "Catatan sudah dikunci.",
        "instance": "/v1/notes/conflict",
        "request_id": response.headers["x-request-id"],
        "errors": [{"field": "state", "message": "Salah keadaan."}],
        "state": "locked",
        "hint": "Buka kunci dulu.",
    }


async def test_problem_error_in_english(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get(
            "/v1/notes/conflict", headers={"Accept-Language": "en-GB,en;q=0.9,id;q=0.5"}
        )
    body = response.json()
    assert response.headers["content-language"] == "en"
    assert (body["title"], body["detail"]) == ("Conflict", "The note is locked.")
    assert body["errors"] == [{"field": "state", "message": "Wrong state."}]
    assert body["hint"] == "Unlock it first."


async def test_registered_kind_without_detail(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get("/v1/notes/deadline")
    body = response.json()
    assert response.status_code == 409
    assert body["type"] == "/problems/test-deadline-passed"
    assert body["title"] == "Tenggat terlewati"
    assert "detail" not in body


async def test_401_carries_www_authenticate(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get("/v1/notes/token")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["type"] == "/problems/invalid-token"


async def test_routing_404_and_405_are_problems(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        missing = await client.get("/v1/nothing-here", headers={"Accept-Language": "en"})
        wrong_method = await client.delete("/v1/notes/conflict")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM_JSON
    assert missing.json()["type"] == "/problems/not-found"
    assert missing.json()["title"] == "Not found"
    assert missing.json()["instance"] == "/v1/nothing-here"
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "GET"
    assert wrong_method.json()["type"] == "/problems/method-not-allowed"
    assert wrong_method.json()["title"] == "Metode tidak diizinkan"
    assert wrong_method.json()["request_id"] == wrong_method.headers["x-request-id"]


async def test_validation_errors_translated(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        short = await client.post("/v1/notes", json={"title": "ab", "pages": 0})
        missing = await client.post(
            "/v1/notes", json={"pages": "many"}, headers={"Accept-Language": "en"}
        )
        too_long = await client.post("/v1/notes", json={"title": "x" * 21, "pages": 1})
        path = await client.get("/v1/notes/not-a-uuid?size=500")
        broken = await client.post(
            "/v1/notes", content=b"{oops", headers={"Content-Type": "application/json"}
        )
    assert short.status_code == 422
    assert short.headers["content-type"] == PROBLEM_JSON
    assert short.json()["type"] == "/problems/validation-error"
    assert short.json()["title"] == "Data tidak valid"
    assert short.json()["errors"] == [
        {"field": "title", "message": "Minimal 3 karakter."},
        {"field": "pages", "message": "Harus paling sedikit 1."},
    ]
    assert missing.json()["title"] == "Validation failed"
    assert missing.json()["errors"] == [
        {"field": "title", "message": "This field is required."},
        {"field": "pages", "message": "Must be an integer."},
    ]
    assert too_long.json()["errors"] == [{"field": "title", "message": "Maksimal 20 karakter."}]
    assert path.json()["errors"] == [
        {"field": "path.note_id", "message": "Harus berupa UUID."},
        {"field": "query.size", "message": "Harus paling banyak 100."},
    ]
    assert broken.status_code == 422
    assert broken.json()["errors"] == [{"field": "body", "message": "JSON tidak valid."}]


async def test_unhandled_error_is_500_without_details(
    settings: ServiceSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    async with serving(build_app(settings, [router])) as client:
        capsys.readouterr()
        response = await client.get("/v1/notes/boom")
    out = capsys.readouterr().out
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"] == "/problems/internal-error"
    assert response.json()["request_id"] == response.headers["x-request-id"]
    assert "1234567890" not in response.text
    errors = [json.loads(line) for line in out.splitlines() if '"ERROR"' in line]
    assert len(errors) == 1
    assert errors[0]["exc_type"] == "RuntimeError"
    assert "Traceback" in errors[0]["exc"]
    assert errors[0]["request_id"] == response.headers["x-request-id"]


async def test_database_down_is_503_with_retry_after() -> None:
    down = ServiceSettings(database_url=closed_port_url())
    async with serving(build_app(down, [router])) as client:
        response = await client.get("/v1/notes/db", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"] == "/problems/service-unavailable"
    assert response.json()["title"] == "Service unavailable"


async def test_missing_database_is_503(kit_db_url: str) -> None:
    url = kit_db_url.rsplit("/", 1)[0] + "/terbuka_test_kit_does_not_exist"
    async with serving(build_app(ServiceSettings(database_url=url), [router])) as client:
        response = await client.get("/v1/notes/db")
    assert response.status_code == 503


async def test_database_up_answers(settings: ServiceSettings) -> None:
    async with serving(build_app(settings, [router])) as client:
        response = await client.get("/v1/notes/db")
    assert response.status_code == 200
    assert response.json() == {"value": 1}
