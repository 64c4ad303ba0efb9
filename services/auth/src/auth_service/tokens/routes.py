"""Token endpoint (RFC 6749), logout, revocation (RFC 7009), admin session revocation, JWKS."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from ppid_kit.db import SessionDep
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError, Text
from ppid_kit.problems import problem_responses as errors
from ppid_kit.tokens import CurrentClaims
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import permissions
from auth_service.accounts import repository as accounts
from auth_service.accounts.models import UserKind
from auth_service.clients import service as clients
from auth_service.grants.repository import active_grants
from auth_service.tokens import oauth, service
from auth_service.tokens.models import TokenResponse
from auth_service.tokens.oauth import OAuthProblem
from auth_service.tokens.wellknown import router as wellknown_router

router = APIRouter(tags=["tokens"])
router.include_router(wellknown_router)

_NO_SUCH_OFFICIAL = Text("Pejabat tidak ditemukan.", "No such official.")
_NO_SUCH_REQUESTER = Text("Pemohon tidak ditemukan.", "No such requester.")
_ADMINS_ONLY = Text(
    "Hanya admin yang dapat mengakhiri sesi pemohon.",
    "Only an admin may end a requester's sessions.",
)
_OAUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**errors(400)[400], "description": "OAuth2 error (`error`: invalid_grant, …)"},
    401: {**errors(401)[401], "description": "OAuth2 `invalid_client`"},
}
_TOKEN_FORM = oauth.form_schema(
    {
        "grant_type": {"type": "string", "enum": ["client_credentials", "refresh_token"]},
        "refresh_token": {"type": "string", "description": "For `refresh_token`."},
        "client_id": {"type": "string", "description": "Basic auth instead is preferred."},
        "client_secret": {"type": "string", "description": "Only with `client_id` in the body."},
        "scope": {"type": "string", "description": "Space-separated; a subset of the client's."},
    },
    ["grant_type"],
)


async def _refresh(session: AsyncSession, form: dict[str, str]) -> TokenResponse:
    raw = form.get("refresh_token")
    if raw is None:
        raise OAuthProblem(oauth.INVALID_REQUEST, "refresh_token is required")
    if "scope" in form:
        raise OAuthProblem(oauth.INVALID_SCOPE, "a refresh keeps the scope of the login")
    try:
        return await service.refresh_session(session, raw, client_id=form.get("client_id"))
    except service.InvalidGrantError as exc:
        # Returned, not raised, by the route: a revoked family must be committed.
        raise OAuthProblem(oauth.INVALID_GRANT, "refresh token invalid, expired or reused") from exc


async def _client_credentials(
    request: Request, session: AsyncSession, form: dict[str, str]
) -> TokenResponse:
    client_id, secret = oauth.client_credentials(request, form)
    client = await clients.authenticate(session, client_id, secret)
    if client is None:
        raise OAuthProblem(oauth.INVALID_CLIENT, "unknown client or wrong secret")
    try:
        return await service.issue_for_client(session, client, scope=form.get("scope"))
    except service.InvalidScopeError as exc:
        raise OAuthProblem(oauth.INVALID_SCOPE, f"not allowed for this client: {exc}") from exc


@router.post(
    "/v1/auth/token",
    response_model=TokenResponse,
    summary="OAuth2 token endpoint: client credentials, or refresh (rotates the refresh token)",
    description=(
        "`application/x-www-form-urlencoded` (RFC 6749). A refresh token can be used once; "
        "presenting it again revokes every token of its login. Errors are problems with the "
        "RFC 6749 §5.2 members `error` and `error_description`."
    ),
    responses=_OAUTH_ERRORS,
    openapi_extra=_TOKEN_FORM,
)
async def issue_token(request: Request, session: SessionDep) -> Response:
    try:
        form = await oauth.read_form(request)
        grant_type = form.get("grant_type")
        if grant_type == "refresh_token":
            return oauth.token_json(await _refresh(session, form))
        if grant_type == "client_credentials":
            return oauth.token_json(await _client_credentials(request, session, form))
        if grant_type is None:
            raise OAuthProblem(oauth.INVALID_REQUEST, "grant_type is required")
        raise OAuthProblem(oauth.UNSUPPORTED_GRANT_TYPE, "use client_credentials or refresh_token")
    except OAuthProblem as problem:
        return oauth.oauth_error_response(request, problem.error, problem.description)


class LogoutRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"refresh_token": "q8Xb1nY4cZ0u3"}]})

    refresh_token: str = Field(min_length=1, max_length=512)


@router.post(
    "/v1/auth/logout",
    status_code=204,
    summary="Log out: revoke the refresh token's whole login",
    description="Answers 204 whether or not the token was live (no oracle for tokens).",
    responses=errors(422),
)
async def logout(session: SessionDep, body: LogoutRequest) -> Response:
    await service.revoke_refresh_token(session, body.refresh_token, action="session.logout")
    return Response(status_code=204, headers=oauth.NO_STORE)


@router.post(
    "/v1/auth/revoke",
    response_class=Response,  # RFC 7009 2.2: an empty 200, no JSON body
    summary="Revoke a token (RFC 7009)",
    description=(
        "A refresh token's login is revoked; access tokens are short-lived and simply expire. "
        "Always 200 for a well-formed request, known token or not."
    ),
    responses={200: {"description": "Revoked, or nothing to revoke."}, 400: _OAUTH_ERRORS[400]},
    openapi_extra=oauth.form_schema(
        {"token": {"type": "string"}, "token_type_hint": {"type": "string"}}, ["token"]
    ),
)
async def revoke_token(request: Request, session: SessionDep) -> Response:
    try:
        form = await oauth.read_form(request)
        token = form.get("token")
        if token is None:
            raise OAuthProblem(oauth.INVALID_REQUEST, "token is required")
    except OAuthProblem as problem:
        return oauth.oauth_error_response(request, problem.error, problem.description)
    # The hint only speeds lookups up (RFC 7009 §2.1); refresh tokens are all we keep.
    await service.revoke_refresh_token(session, token, action="token.revoked")
    return Response(status_code=200, headers=oauth.NO_STORE)


class SessionsRevoked(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"revoked_sessions": 2}]})

    revoked_sessions: int = Field(description="Logins (refresh-token families) ended.")


async def _live_user(
    session: AsyncSession, user_id: uuid.UUID, kind: UserKind, missing: Text
) -> None:
    """404 (`missing`) unless `user_id` is an account of `kind` that is not deleted."""
    user = await accounts.get_user(session, user_id)
    if user is None or user.kind is not kind or user.deleted_at is not None:
        raise ProblemError(NOT_FOUND, missing)


@router.post(
    "/v1/auth/officials/{user_id}/sessions/revoke",
    response_model=SessionsRevoked,
    summary="End every session of an official (admin over one of the official's units)",
    description="Access tokens already issued stay valid until they expire (minutes).",
    responses=errors(401, 403, 404),
)
async def revoke_official_sessions(
    session: SessionDep,
    claims: CurrentClaims,
    user_id: Annotated[uuid.UUID, Path(description="The official's id.")],
) -> SessionsRevoked:
    await _live_user(session, user_id, UserKind.OFFICIAL, _NO_SUCH_OFFICIAL)
    units = [uuid.UUID(grant.unit_id) for grant in await active_grants(session, user_id)]
    tree = await permissions.load_tree(session)
    if not any(permissions.holds(claims, permissions.ADMIN, unit, tree) for unit in units):
        if not units:  # no grant: no root to tell who may see this official
            raise ProblemError(NOT_FOUND, _NO_SUCH_OFFICIAL)
        permissions.require_admin_over(claims, units[0], tree, hidden=True)
    revoked = await service.revoke_user_sessions(session, user_id, actor=claims.sub)
    return SessionsRevoked(revoked_sessions=revoked)


@router.post(
    "/v1/auth/requesters/{user_id}/sessions/revoke",
    response_model=SessionsRevoked,
    summary="End every session of a requester (any admin)",
    description=(
        "For a requester's account that was taken over or is being abused. Requesters "
        "belong to no unit, so an admin of any badan publik may do it; it is audited. "
        "Access tokens already issued stay valid until they expire (minutes). The requester "
        "ends their own sessions by resetting their password."
    ),
    responses=errors(401, 403, 404),
)
async def revoke_requester_sessions(
    session: SessionDep,
    claims: CurrentClaims,
    user_id: Annotated[uuid.UUID, Path(description="The requester's id.")],
) -> SessionsRevoked:
    # Asked before the lookup, so a non-admin cannot learn which ids are requesters.
    if not permissions.units_with(claims, permissions.ADMIN):
        raise ProblemError(FORBIDDEN, _ADMINS_ONLY)
    await _live_user(session, user_id, UserKind.REQUESTER, _NO_SUCH_REQUESTER)
    revoked = await service.revoke_user_sessions(session, user_id, actor=claims.sub)
    return SessionsRevoked(revoked_sessions=revoked)
