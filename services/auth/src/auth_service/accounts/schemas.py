"""Request and response bodies of the accounts routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from ppid_kit.cursor import Page
from ppid_kit.models import PublicModel
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue

from auth_service.accounts.models import UserKind
from auth_service.accounts.passwords import MAX_LENGTH
from auth_service.grants.models import GRANT_EXAMPLE, GrantCreate, GrantPublic
from auth_service.tokens.service import TokenResponse


def _lower_email(value: str) -> str:
    value = value.strip().lower()
    local, at, domain = value.partition("@")
    if not (local and at and "." in domain) or any(ch.isspace() for ch in value):
        raise ValueError("not an email address")
    return value


Email = Annotated[str, Field(max_length=320), AfterValidator(_lower_email)]
# The length limits of the policy are checked by check_password_policy; this bound only
# keeps absurd bodies from reaching argon2.
PasswordField = Annotated[str, Field(min_length=1, max_length=MAX_LENGTH * 4)]
OtpField = Annotated[str, Field(min_length=6, max_length=10, pattern=r"^[0-9 ]+$")]
_USER_ID = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99"


class LoginRequest(BaseModel):
    """Email and password; `otp` (TOTP) or `recovery_code` when the account has MFA."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"email": "sari@kota-contoh.go.id", "password": "kopi-tubruk-senja-42"},
                {
                    "email": "sari@kota-contoh.go.id",
                    "password": "kopi-tubruk-senja-42",
                    "otp": "492039",
                },
            ]
        }
    )

    email: Email
    password: PasswordField
    otp: OtpField | None = None
    recovery_code: Annotated[str, Field(min_length=16, max_length=32)] | None = None


class PasswordChange(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "current_password": "kopi-tubruk-senja-42",
                    "new_password": "teh-manis-pagi-hari-7",
                }
            ]
        }
    )

    current_password: PasswordField
    new_password: PasswordField


class TotpCode(BaseModel):
    """A current code from the authenticator app."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "492039"}]})

    code: OtpField


class TotpEnrolment(BaseModel):
    """Shown once: put it in the authenticator app (QR code of `otpauth_uri`), then confirm."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
                    "otpauth_uri": "otpauth://totp/Terbuka:sari%40kota-contoh.go.id"
                    "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Terbuka",
                }
            ]
        }
    )

    secret: str
    otpauth_uri: str


class RecoveryCodes(BaseModel):
    """Ten one-time codes, shown once; each replaces a TOTP code at one login."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"recovery_codes": ["k7pq-3mzt-x9ab-4hrc"] * 2}]}
    )

    recovery_codes: list[str]


class MfaConfirmed(RecoveryCodes):
    """The recovery codes; and, when enrolment finished a login, the full session's tokens."""

    tokens: TokenResponse | None = None


_PROFILE_EXAMPLE: dict[str, JsonValue] = {
    "id": _USER_ID,
    "kind": "official",
    "email": "sari@kota-contoh.go.id",
    "name": "Sari Wulandari",
    "is_active": True,
    "email_verified_at": "2025-01-06T08:00:00+07:00",
    "mfa_enabled": True,
    "created_at": "2025-01-06T08:00:00+07:00",
    "updated_at": "2025-03-01T10:15:00+07:00",
    "grants": [GRANT_EXAMPLE],
}


class UserPublic(PublicModel):
    """A user as they see themselves, or as an admin sees an official, with grants."""

    model_config = {"json_schema_extra": {"examples": [_PROFILE_EXAMPLE]}}  # noqa: RUF012 (pydantic config)

    id: uuid.UUID
    kind: UserKind
    email: str
    name: str
    is_active: bool
    email_verified_at: datetime | None
    mfa_enabled: bool
    created_at: datetime
    updated_at: datetime
    grants: list[GrantPublic]


class OfficialPage(Page[UserPublic]):
    """A page of officials, in name order."""


class OfficialCreate(BaseModel):
    """A new official, with an initial password (policy-checked) and at least one grant."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "budi@kota-contoh.go.id",
                    "name": "Budi Santoso",
                    "password": "sawah-hijau-di-lereng-9",
                    "grants": [{"role": "ppid_pelaksana", "unit_id": GRANT_EXAMPLE["unit_id"]}],
                }
            ]
        }
    )

    email: Email
    name: Annotated[str, Field(min_length=1, max_length=255)]
    password: PasswordField
    grants: Annotated[list[GrantCreate], Field(min_length=1, max_length=20)]
