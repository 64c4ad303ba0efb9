"""`/v1/auth`: login, the caller's profile and password (officials and requesters alike)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import paging
from ppid_kit.db import SessionDep
from ppid_kit.etag import json_with_etag
from ppid_kit.problems import problem_responses

from auth_service.accounts import mfa_routes, officials_routes, profile, service
from auth_service.accounts.deps import (
    NO_STORE,
    PRIVATE,
    AddressDep,
    CurrentUser,
    SettingsDep,
    refused,
)
from auth_service.accounts.schemas import LoginRequest, PasswordChange, UserPublic
from auth_service.tokens.service import TokenResponse

router = APIRouter(prefix="/v1/auth", tags=["accounts"])
router.include_router(mfa_routes.router)
router.include_router(officials_routes.router)


def tokens_response(tokens: TokenResponse) -> Response:
    return JSONResponse(tokens.model_dump(mode="json"), headers=NO_STORE)


@router.post(
    "/login",
    response_model=TokenResponse,
    summary="Log in with email and password (and a TOTP or recovery code)",
    description=(
        "Officials and requesters. Wrong email and wrong password answer alike "
        "(`invalid-credentials`). Repeated failures lock the account (`account-locked`) and "
        "the client address (`rate-limited`), with `Retry-After`. With TOTP on, a login "
        "without `otp` answers `mfa-required`. An official whose roles need TOTP and who "
        "has none gets `mfa-enrollment-required` with an `enrollment_token` that only opens "
        "the `/v1/auth/mfa/totp` routes."
    ),
    responses=problem_responses(401, 403, 429),
)
async def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    address: AddressDep,
    body: LoginRequest,
) -> Response:
    try:
        tokens = await service.login(session, settings, body, address)
    except service.LoginRefused as error:
        return refused(request, error)
    return tokens_response(tokens)


@router.get(
    "/me",
    response_model=UserPublic,
    summary="The caller's account and live grants",
    description="`Cache-Control: private, no-cache`: revalidate with `If-None-Match`.",
    responses={**paging.ITEM_RESPONSES, **problem_responses(401, 403)},
)
async def get_me(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    body = await profile.profile(session, user)
    return json_with_etag(request, body.model_dump(mode="json"), cache_control=PRIVATE)


@router.post(
    "/password",
    response_model=TokenResponse,
    summary="Change the caller's password",
    description=(
        "Checks the current password (failures count towards the login lockout) and the "
        "policy for the new one; ends every other session and returns fresh tokens."
    ),
    responses=problem_responses(401, 403, 429),
)
async def change_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    address: AddressDep,
    user: CurrentUser,
    body: PasswordChange,
) -> Response:
    try:
        tokens = await profile.change_password(session, settings, user, body, address)
    except service.LoginRefused as error:
        return refused(request, error)
    return tokens_response(tokens)
