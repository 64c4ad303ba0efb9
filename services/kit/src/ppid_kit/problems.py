"""RFC 9457 problem details: the error type, bodies, responses and handlers."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from ppid_kit._kinds import (
    BAD_GATEWAY,
    BAD_REQUEST,
    CONFLICT,
    FORBIDDEN,
    GATEWAY_TIMEOUT,
    IDEMPOTENCY_MISMATCH,
    INTERNAL,
    INVALID_CURSOR,
    INVALID_TOKEN,
    KINDS,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    PAYLOAD_TOO_LARGE,
    PRECONDITION_FAILED,
    PRECONDITION_REQUIRED,
    RATE_LIMITED,
    SERVICE_UNAVAILABLE,
    UNAUTHORIZED,
    UNSTORABLE_TEXT,
    UNSUPPORTED_MEDIA_TYPE,
    VALIDATION,
    FieldError,
    Lang,
    ProblemKind,
    Text,
    kind_for_status,
    register_kind,
)
from ppid_kit._validation import translate_validation_errors
from ppid_kit.db import connectivity_error_types, is_connectivity_error, is_unstorable_text
from ppid_kit.logging import get_request_id

__all__ = [
    "BAD_GATEWAY",
    "BAD_REQUEST",
    "CONFLICT",
    "FORBIDDEN",
    "GATEWAY_TIMEOUT",
    "IDEMPOTENCY_MISMATCH",
    "INTERNAL",
    "INVALID_CURSOR",
    "INVALID_TOKEN",
    "KINDS",
    "METHOD_NOT_ALLOWED",
    "NOT_FOUND",
    "PAYLOAD_TOO_LARGE",
    "PRECONDITION_FAILED",
    "PRECONDITION_REQUIRED",
    "PROBLEM_MEDIA_TYPE",
    "PROBLEM_REF",
    "RATE_LIMITED",
    "SERVICE_UNAVAILABLE",
    "UNAUTHORIZED",
    "UNSUPPORTED_MEDIA_TYPE",
    "VALIDATION",
    "FieldError",
    "Lang",
    "Problem",
    "ProblemError",
    "ProblemKind",
    "ProblemModel",
    "ProblemResponse",
    "Text",
    "install_problem_handlers",
    "kind_for_status",
    "negotiate_language",
    "problem_body",
    "problem_response",
    "problem_responses",
    "register_kind",
    "request_language",
    "respond",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
_log = logging.getLogger("ppid_kit.problems")


class ProblemError(Exception):
    """Raise anywhere in a request to answer with a problem-details response."""

    def __init__(
        self,
        kind: ProblemKind,
        detail: Text | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(kind.slug)
        self.kind = kind
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def negotiate_language(accept_language: str | None) -> Lang:
    """Indonesian unless the client ranks English strictly higher (RFC 9110 q-values)."""
    if not accept_language:
        return "id"
    q_id = q_en = q_any = 0.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = _q_value(params)
        if q is None:
            continue
        if primary in ("id", "in"):  # "in" is the withdrawn ISO 639 code still sent by old Androids
            q_id = max(q_id, q)
        elif primary == "en":
            q_en = max(q_en, q)
        elif primary == "*":
            q_any = max(q_any, q)
    if q_id == 0.0 and q_en == 0.0:
        return "id"
    return "en" if q_en > (q_id or q_any) else "id"


def _q_value(params: str) -> float | None:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value)
            except ValueError:
                return None
            return q if 0.0 <= q <= 1.0 else None
    return 1.0


def _localize(value: Any, lang: Lang) -> Any:
    return value.get(lang) if isinstance(value, Text) else value


def problem_body(
    kind: ProblemKind,
    lang: Lang,
    *,
    detail: Text | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    errors: Sequence[FieldError] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": kind.type,
        "title": kind.title.get(lang),
        "status": kind.status,
    }
    chosen = detail or kind.detail
    if chosen is not None:
        body["detail"] = chosen.get(lang)
    if instance is not None:
        body["instance"] = instance
    body["request_id"] = request_id or get_request_id()
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message.get(lang)} for e in errors]
    for key, value in (extra or {}).items():
        body.setdefault(key, _localize(value, lang))
    return body


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def problem_response(
    kind: ProblemKind,
    *,
    lang: Lang,
    detail: Text | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    body = problem_body(
        kind,
        lang,
        detail=detail,
        instance=instance,
        request_id=request_id,
        errors=errors,
        extra=extra,
    )
    all_headers = dict(headers or {})
    if kind.status == 401 and not any(h.lower() == "www-authenticate" for h in all_headers):
        all_headers["WWW-Authenticate"] = "Bearer"
    all_headers["Content-Language"] = lang
    return ProblemResponse(body, status_code=kind.status, headers=all_headers)


class ProblemFieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """The body of every error response (RFC 9457), extensions included."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[ProblemFieldError] | None = None


ProblemModel = Problem
PROBLEM_REF = "#/components/schemas/Problem"


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status documented as a `Problem`."""
    return {
        status: {
            "description": kind_for_status(status).title.en,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
        }
        for status in statuses
    }


def request_language(request: Request) -> Lang:
    return negotiate_language(request.headers.get("accept-language"))


def respond(request: Request, kind: ProblemKind, **kwargs: Any) -> JSONResponse:
    """A problem response for `request` (language, instance and request id filled in)."""
    return problem_response(
        kind, lang=request_language(request), instance=request.url.path, **kwargs
    )


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return respond(
        request,
        exc.kind,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra,
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    # The raw `detail` string is English-only and may come from a library; use our texts.
    return respond(request, kind_for_status(exc.status_code), headers=exc.headers)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [FieldError(f, Text(m_id, m_en)) for f, m_id, m_en in translate_validation_errors(exc)]
    return respond(request, VALIDATION, errors=errors)


async def _on_unavailable(request: Request, exc: Exception) -> JSONResponse:
    _log.warning("dependency unreachable: %s", type(exc).__name__)
    return respond(request, SERVICE_UNAVAILABLE, headers={"Retry-After": "2"})


async def _on_unhandled(request: Request, exc: Exception) -> JSONResponse:
    # A library error caused by a refused or broken connection (object storage down,
    # e.g. urllib3's MaxRetryError over ConnectionRefusedError) is unavailability, not a bug.
    if is_connectivity_error(exc):
        return await _on_unavailable(request, exc)
    # The transaction of the request is rolled back with the error: nothing was stored.
    if is_unstorable_text(exc):
        return respond(request, UNSTORABLE_TEXT)
    _log.error("unhandled error", exc_info=exc)
    return respond(request, INTERNAL)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)

    async def on_db_error(request: Request, exc: Exception) -> JSONResponse:
        if is_connectivity_error(exc):
            return await _on_unavailable(request, exc)
        return await _on_unhandled(request, exc)

    for exc_type in connectivity_error_types():
        app.add_exception_handler(exc_type, on_db_error)
    app.add_exception_handler(Exception, _on_unhandled)
