"""OAuth2 plumbing of the token and revocation endpoints (RFC 6749, RFC 7009).

Errors are RFC 9457 problems that also carry RFC 6749 §5.2's `error` and
`error_description`, so OAuth2 libraries and problem-aware clients both read them.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qs, unquote_plus

from fastapi import Request
from fastapi.responses import JSONResponse
from ppid_kit.problems import ProblemKind, register_kind, respond

from auth_service.tokens.models import TokenResponse

FORM_TYPE: Final = "application/x-www-form-urlencoded"
# RFC 6749 §5.1 and §5.2: token responses must never be cached.
NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_BASIC_CHALLENGE: Final = {"WWW-Authenticate": 'Basic realm="terbuka", charset="UTF-8"'}


@dataclass(frozen=True)
class OAuthError:
    code: str  # RFC 6749 §5.2 `error`
    kind: ProblemKind


def _kind(code: str, status: int, title_id: str, title_en: str) -> OAuthError:
    slug = "oauth-" + code.replace("_", "-")
    return OAuthError(code, register_kind(slug, status, title_id, title_en))


INVALID_REQUEST = _kind(
    "invalid_request", 400, "Permintaan token tidak lengkap atau cacat", "Malformed token request"
)
INVALID_CLIENT = _kind(
    "invalid_client", 401, "Autentikasi klien gagal", "Client authentication failed"
)
INVALID_GRANT = _kind(
    "invalid_grant",
    400,
    "Grant tidak sah, kedaluwarsa, sudah dipakai, atau dicabut",
    "The grant is invalid, expired, already used or revoked",
)
UNAUTHORIZED_CLIENT = _kind(
    "unauthorized_client",
    400,
    "Klien tidak boleh memakai jenis grant ini",
    "The client may not use this grant type",
)
UNSUPPORTED_GRANT_TYPE = _kind(
    "unsupported_grant_type", 400, "Jenis grant tidak didukung", "Unsupported grant type"
)
INVALID_SCOPE = _kind(
    "invalid_scope",
    400,
    "Cakupan (scope) yang diminta melebihi izin klien",
    "The requested scope exceeds what the client holds",
)
OAUTH_ERRORS: Final = (
    INVALID_REQUEST,
    INVALID_CLIENT,
    INVALID_GRANT,
    UNAUTHORIZED_CLIENT,
    UNSUPPORTED_GRANT_TYPE,
    INVALID_SCOPE,
)


class OAuthProblem(Exception):
    """Raised while reading a request; answered by `oauth_error_response`."""

    def __init__(self, error: OAuthError, description: str) -> None:
        super().__init__(error.code)
        self.error = error
        self.description = description


def oauth_error_response(request: Request, error: OAuthError, description: str) -> JSONResponse:
    """A problem with `error`/`error_description`; 401 `invalid_client` challenges Basic."""
    headers = {**NO_STORE, **(_BASIC_CHALLENGE if error.kind.status == 401 else {})}
    # RFC 6749 descriptions are ASCII English for developers; the title is localised.
    extra = {"error": error.code, "error_description": description}
    return respond(request, error.kind, headers=headers, extra=extra)


def token_json(tokens: TokenResponse) -> JSONResponse:
    return JSONResponse(tokens.model_dump(exclude_none=True), headers=NO_STORE)


async def read_form(request: Request) -> dict[str, str]:
    """RFC 6749 §3.2: urlencoded parameters; empty ones count as absent; none may repeat."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        raise OAuthProblem(INVALID_REQUEST, f"the body must be {FORM_TYPE}")
    try:
        parsed = parse_qs((await request.body()).decode("utf-8"), strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise OAuthProblem(INVALID_REQUEST, "the body is not UTF-8") from exc
    repeated = sorted(name for name, values in parsed.items() if len(values) > 1)
    if repeated:
        raise OAuthProblem(INVALID_REQUEST, f"repeated parameters: {', '.join(repeated)}")
    return {name: values[0] for name, values in parsed.items() if values[0]}


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """RFC 6749 §2.3.1: Basic with form-urlencoded id and secret; None without Basic."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthProblem(INVALID_CLIENT, "malformed Basic credentials") from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep or not client_id:
        raise OAuthProblem(INVALID_CLIENT, "malformed Basic credentials")
    return unquote_plus(client_id), unquote_plus(secret)


def client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """The client's id and secret from Basic or the body, never both (RFC 6749 §2.3)."""
    basic = basic_credentials(request)
    in_body = "client_secret" in form
    if basic is not None and in_body:
        raise OAuthProblem(INVALID_REQUEST, "use one client authentication method, not two")
    if basic is not None:
        return basic
    if not in_body or "client_id" not in form:
        raise OAuthProblem(INVALID_CLIENT, "client authentication is required")
    return form["client_id"], form["client_secret"]


def form_schema(fields: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """`openapi_extra` documenting an urlencoded body (parsed by hand: no multipart dep)."""
    schema = {"type": "object", "properties": fields, "required": required}
    return {"requestBody": {"required": True, "content": {FORM_TYPE: {"schema": schema}}}}
