"""Requesters' own accounts: register, confirm the address, reset the password, profile.

The routes that take an email address answer 202 with the same body whatever the
address is: the caller cannot learn which addresses have accounts.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import JSONResponse
from ppid_kit import idempotency
from ppid_kit.db import SessionDep
from ppid_kit.etag import etag_for, not_modified, require_if_match
from ppid_kit.problems import problem_responses, request_language, respond
from ppid_kit.tokens import CurrentClaims
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.accounts.deps import AddressDep, SettingsDep
from auth_service.accounts.models import User
from auth_service.accounts.service import LoginRefused
from auth_service.requesters import profile, service
from auth_service.requesters.models import (
    Accepted,
    AccountDeletion,
    EmailAddress,
    LinkToken,
    PasswordResetConfirmation,
    ProfileUpdate,
    Registration,
    RequesterPublic,
)

router = APIRouter(tags=["requesters"])

_ACCEPTED = {
    "id": "Jika alamat itu dapat dipakai, kami telah mengirim email ke sana. Periksa kotak masuk.",
    "en": "If the address can be used, we have sent an email to it. Check your inbox.",
}
_REGISTER_SCOPE = "auth:requesters:register"  # anonymous callers: one scope for all
_ETAG_HEADER = {
    "ETag": {"description": "Version of the account, for `If-Match`.", "schema": {"type": "string"}}
}
_ACCOUNT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": _ETAG_HEADER},
    **problem_responses(401, 403, 404),
}


def _accepted(request: Request) -> dict[str, Any]:
    return Accepted(message=_ACCEPTED[request_language(request)]).model_dump()


@router.post(
    "/v1/auth/requesters",
    status_code=202,
    response_model=Accepted,
    summary="Register as a requester (pemohon)",
    description="Emails a confirmation link, or a notice when the address already has an account; "
    "the answer is the same either way. Log in once the address is confirmed.",
    responses=problem_responses(422),
)
async def register_requester(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    data: Registration,
    idempotency_key: idempotency.IdempotencyKeyHeader = None,
) -> Response:
    # The password stays out of the fingerprint: no fast hash of it is stored anywhere.
    identity = data.model_dump_json(include={"email", "name"}).encode()

    async def produce() -> idempotency.Outcome:
        await service.register(session, settings, data)
        return idempotency.Outcome(202, _accepted(request))

    return await idempotency.respond_once(
        request,
        session,
        scope=_REGISTER_SCOPE,
        key=idempotency_key,
        produce=produce,
        fingerprinted=identity,
    )


@router.post(
    "/v1/auth/email-verifications",
    status_code=204,
    summary="Confirm an email address with the emailed link's token",
    responses=problem_responses(400, 409, 422),
)
async def verify_email_address(session: SessionDep, data: LinkToken) -> Response:
    await service.verify_email(session, data.token)
    return Response(status_code=204)


@router.post(
    "/v1/auth/email-verifications/resend",
    status_code=202,
    response_model=Accepted,
    summary="Send the confirmation link again",
    description="At most three links per account and hour; the answer is always the same.",
    responses=problem_responses(422),
)
async def resend_email_verification(
    request: Request, session: SessionDep, settings: SettingsDep, data: EmailAddress
) -> JSONResponse:
    await service.resend_verification(session, settings, data.email)
    return JSONResponse(_accepted(request), status_code=202)


@router.post(
    "/v1/auth/password-resets",
    status_code=202,
    response_model=Accepted,
    summary="Ask for a password reset link",
    description="A requester's address receives a link valid for one hour; the answer is always "
    "the same.",
    responses=problem_responses(422),
)
async def request_password_reset(
    request: Request, session: SessionDep, settings: SettingsDep, data: EmailAddress
) -> JSONResponse:
    await service.request_password_reset(session, settings, data.email)
    return JSONResponse(_accepted(request), status_code=202)


@router.post(
    "/v1/auth/password-resets/confirm",
    status_code=204,
    summary="Set a new password with the emailed link's token",
    description="Ends every session of the account and lifts a login lockout.",
    responses=problem_responses(400, 422),
)
async def confirm_password_reset(
    session: SessionDep, settings: SettingsDep, data: PasswordResetConfirmation
) -> Response:
    await service.confirm_password_reset(session, settings, data)
    return Response(status_code=204)


async def _account(session: AsyncSession, user: User) -> tuple[bytes, str]:
    body = (await profile.public(session, user)).model_dump_json().encode()
    return body, etag_for(body)


def _account_response(request: Request, body: bytes, etag: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}  # personal data: no shared cache
    cached = not_modified(request, etag) if request.method == "GET" else None
    if cached is not None:
        cached.headers.update(headers)
        return cached
    return Response(body, media_type="application/json", headers=headers)


@router.get(
    "/v1/auth/requesters/me",
    response_model=RequesterPublic,
    summary="My requester account",
    responses={**_ACCOUNT_RESPONSES, 304: {"description": "Not modified."}},
)
async def get_own_requester_account(
    request: Request, session: SessionDep, claims: CurrentClaims
) -> Response:
    user = await profile.me(session, claims, lock=False)
    return _account_response(request, *await _account(session, user))


@router.patch(
    "/v1/auth/requesters/me",
    response_model=RequesterPublic,
    summary="Change my name, phone number or email address",
    description="Needs `If-Match`. A new email address takes effect once the link sent to it is "
    "followed; the old address is told.",
    responses={**_ACCOUNT_RESPONSES, **problem_responses(412, 422, 428, 429)},
)
async def update_own_requester_account(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    claims: CurrentClaims,
    changes: ProfileUpdate,
) -> Response:
    user = await profile.me(session, claims)
    require_if_match(request, (await _account(session, user))[1])
    await profile.update(session, settings, user, changes)
    return _account_response(request, *await _account(session, user))


@router.delete(
    "/v1/auth/requesters/me",
    status_code=204,
    summary="Delete my requester account",
    description="Needs the password. Erases the personal data and ends every session; requests "
    "already filed stay with the requests service as the law requires.",
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def delete_own_requester_account(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    client: AddressDep,
    claims: CurrentClaims,
    data: Annotated[AccountDeletion, Body()],
) -> Response:
    user = await profile.me(session, claims)
    try:
        await profile.check_password(session, settings, user, data.password, client)
    except LoginRefused as refused:  # returned, not raised: the counted failure must commit
        problem = refused.problem
        return respond(request, problem.kind, detail=problem.detail, headers=problem.headers)
    await profile.erase(session, settings, user)
    return Response(status_code=204)
