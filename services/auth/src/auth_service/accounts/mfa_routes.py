"""`/v1/auth/mfa`: TOTP enrolment and removal, recovery codes (issue 3, item 2)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit.db import SessionDep
from ppid_kit.problems import problem_responses
from ppid_kit.tokens import CurrentClaims

from auth_service.accounts import enrolment
from auth_service.accounts.deps import (
    NO_STORE,
    AddressDep,
    CurrentUser,
    EnrollingUser,
    SettingsDep,
    refused,
)
from auth_service.accounts.schemas import MfaConfirmed, RecoveryCodes, TotpCode, TotpEnrolment
from auth_service.accounts.service import LoginRefused
from auth_service.tokens.service import MFA_ENROLL_SCOPE

router = APIRouter(prefix="/mfa")


@router.post(
    "/totp",
    response_model=TotpEnrolment,
    status_code=201,
    summary="Start TOTP enrolment: a new secret, shown once",
    description="Works with a full token or the `enrollment_token` of a refused login.",
    responses=problem_responses(401, 403, 409),
)
async def start_totp_enrolment(
    session: SessionDep, settings: SettingsDep, user: EnrollingUser
) -> Response:
    body = await enrolment.start(session, settings, user)
    return JSONResponse(body.model_dump(mode="json"), status_code=201, headers=NO_STORE)


@router.post(
    "/totp/confirm",
    response_model=MfaConfirmed,
    summary="Confirm TOTP with a first code: MFA on, ten recovery codes shown once",
    description=(
        "With the `enrollment_token` of a refused login the answer also holds `tokens`: "
        "the full session the login could not give."
    ),
    responses=problem_responses(401, 403, 409, 429),
)
async def confirm_totp_enrolment(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    address: AddressDep,
    claims: CurrentClaims,
    user: EnrollingUser,
    body: TotpCode,
) -> Response:
    finishes_login = claims.scope == MFA_ENROLL_SCOPE
    try:
        confirmed = await enrolment.confirm(
            session, settings, user, body.code, address=address, finishes_login=finishes_login
        )
    except LoginRefused as error:
        return refused(request, error)
    return JSONResponse(confirmed.model_dump(mode="json"), headers=NO_STORE)


@router.delete(
    "/totp",
    status_code=204,
    summary="Turn TOTP off (needs a current code; refused while a role requires it)",
    responses=problem_responses(401, 403, 409, 429),
)
async def disable_totp(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    address: AddressDep,
    user: CurrentUser,
    body: TotpCode,
) -> Response:
    try:
        await enrolment.disable(session, settings, user, body.code, address=address)
    except LoginRefused as error:
        return refused(request, error)
    return Response(status_code=204)


@router.post(
    "/recovery-codes",
    response_model=RecoveryCodes,
    summary="Replace the recovery codes (needs a current code); the new ones are shown once",
    responses=problem_responses(401, 403, 409, 429),
)
async def regenerate_recovery_codes(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    address: AddressDep,
    user: CurrentUser,
    body: TotpCode,
) -> Response:
    try:
        codes = await enrolment.regenerate(session, settings, user, body.code, address=address)
    except LoginRefused as error:
        return refused(request, error)
    return JSONResponse(codes.model_dump(mode="json"), headers=NO_STORE)
