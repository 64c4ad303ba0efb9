"""`/.well-known/jwks.json` and the OIDC-style discovery document (RFC 7517, RFC 8414)."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request, Response
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag
from pydantic import BaseModel, JsonValue

from auth_service.clients.scopes import CLIENT_SCOPES
from auth_service.settings import AuthSettings
from auth_service.tokens.keys import published_keys

router = APIRouter(prefix="/.well-known", tags=["tokens"])

# Short: a verifier that revalidates (ETag) learns of a new key within a minute; the
# kit's JWKSCache also refetches at once on an unknown kid.
_JWKS_CACHE: Final = "public, max-age=60, must-revalidate"
_METADATA_CACHE: Final = "public, max-age=300"
_CACHED: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "headers": {
            "ETag": {
                "description": "Send it back in `If-None-Match`.",
                "schema": {"type": "string"},
            },
            "Cache-Control": {"description": "Short `max-age`.", "schema": {"type": "string"}},
        }
    },
    304: {"description": "Not modified: the `If-None-Match` ETag still matches."},
}
CLAIMS: Final = [
    "iss",
    "aud",
    "sub",
    "typ",
    "grants",
    "exp",
    "iat",
    "nbf",
    "jti",
    "client_id",
    "scope",
]
_EXAMPLE_KEY: dict[str, JsonValue] = {
    "kty": "EC",
    "crv": "P-256",
    "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    "kid": "20260101-5c0ffee0ab12",
    "alg": "ES256",
    "use": "sig",
}


class JsonWebKeySet(BaseModel):
    """RFC 7517 §5: the public keys that verify access tokens, by `kid`."""

    model_config = {"json_schema_extra": {"examples": [{"keys": [_EXAMPLE_KEY]}]}}

    keys: list[dict[str, Any]]


class ServerMetadata(BaseModel):
    """RFC 8414 authorization-server metadata (served at the OIDC discovery path too)."""

    model_config = {"extra": "allow"}

    issuer: str
    jwks_uri: str
    token_endpoint: str
    revocation_endpoint: str
    grant_types_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    scopes_supported: list[str]


@router.get(
    "/jwks.json",
    response_model=JsonWebKeySet,
    summary="Public keys that verify access tokens (JWKS)",
    description="The active key and retired keys whose tokens may still be valid.",
    responses=_CACHED,
)
async def get_jwks(request: Request, session: SessionDep) -> Response:
    keys = [key.public_jwk for key in await published_keys(session)]
    return json_with_etag(request, {"keys": keys}, cache_control=_JWKS_CACHE)


def _metadata(settings: AuthSettings) -> ServerMetadata:
    base = settings.public_url.rstrip("/")
    return ServerMetadata(
        issuer=settings.jwt_issuer,  # equal to the tokens' `iss`, which verifiers compare
        jwks_uri=f"{base}/.well-known/jwks.json",
        token_endpoint=f"{base}/v1/auth/token",
        revocation_endpoint=f"{base}/v1/auth/revoke",
        grant_types_supported=["client_credentials", "refresh_token"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        revocation_endpoint_auth_methods_supported=["none"],
        scopes_supported=sorted(CLIENT_SCOPES),
        response_types_supported=[],  # no authorization endpoint: logins use /v1/auth/login
        subject_types_supported=["public"],
        claims_supported=CLAIMS,
    )


@router.get(
    "/openid-configuration",
    response_model=ServerMetadata,
    summary="Discovery document: issuer, endpoints, grant types and scopes",
    responses=_CACHED,
)
async def get_server_metadata(request: Request) -> Response:
    settings: AuthSettings = request.app.state.settings
    body = _metadata(settings).model_dump(mode="json")
    return json_with_etag(request, body, cache_control=_METADATA_CACHE)
