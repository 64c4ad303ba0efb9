"""Dependencies of the accounts routes: settings, the calling user, the client address."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request, Response
from ppid_kit.db import SessionDep
from ppid_kit.problems import FORBIDDEN, INVALID_TOKEN, ProblemError, Text, respond
from ppid_kit.tokens import Claims, CurrentClaims

from auth_service.accounts import lockout, repository
from auth_service.accounts.errors import RESTRICTED_TOKEN
from auth_service.accounts.models import User
from auth_service.accounts.service import LoginRefused
from auth_service.settings import AuthSettings
from auth_service.tokens.service import MFA_ENROLL_SCOPE

_USER_TYPES = ("official", "requester")


def auth_settings(request: Request) -> AuthSettings:
    settings = request.app.state.settings
    assert isinstance(settings, AuthSettings)
    return settings


SettingsDep = Annotated[AuthSettings, Depends(auth_settings)]


def client_address(request: Request, settings: SettingsDep) -> str:
    return lockout.client_address(request, settings.trusted_proxies)


AddressDep = Annotated[str, Depends(client_address)]


_CHALLENGE = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
_NOT_A_USER = Text("Token ini bukan milik pengguna.", "This token does not belong to a user.")


async def _user_of(session: SessionDep, claims: Claims) -> User:
    """The token's user; a token of a deleted or deactivated user is no longer good."""
    if claims.typ not in _USER_TYPES:  # an API client's token: valid, but nobody's account
        raise ProblemError(FORBIDDEN, _NOT_A_USER)
    try:
        user_id = uuid.UUID(claims.sub)
    except ValueError as exc:
        raise ProblemError(INVALID_TOKEN, headers=_CHALLENGE) from exc
    user = await repository.get_user(session, user_id)
    if user is None or not user.is_active or user.deleted_at is not None:
        raise ProblemError(INVALID_TOKEN, headers=_CHALLENGE)
    return user


async def enrolling_user(session: SessionDep, claims: CurrentClaims) -> User:
    """A user with a full token or with the MFA enrolment token (login without TOTP yet)."""
    if claims.scope not in (None, MFA_ENROLL_SCOPE):
        raise ProblemError(RESTRICTED_TOKEN)
    return await _user_of(session, claims)


async def current_user(session: SessionDep, claims: CurrentClaims) -> User:
    """A user with a full session: the enrolment token is refused here."""
    if claims.scope is not None:
        raise ProblemError(RESTRICTED_TOKEN)
    return await _user_of(session, claims)


EnrollingUser = Annotated[User, Depends(enrolling_user)]
CurrentUser = Annotated[User, Depends(current_user)]


# RFC 6749 section 5.1: token responses (and anything with a secret) must not be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# Personal data: never in a shared cache, revalidated on every use.
PRIVATE = "private, no-cache"


def refused(request: Request, error: LoginRefused) -> Response:
    """The refusal as a problem, returned (not raised) so the transaction still commits."""
    problem = error.problem
    return respond(
        request, problem.kind, detail=problem.detail, headers=problem.headers, extra=problem.extra
    )
