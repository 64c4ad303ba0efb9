"""Requesters' single-use email links and their one profile field beyond `users`.

DOMAIN.md 7 and 17: the identity a request needs (NIK, address) lives in the
requests service; here a requester is an email, a name, a password and maybe a
phone number (minimisation, PDP).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from ppid_kit.models import CreatedAt, PublicModel, Timestamps, enum_type, values_in
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Field

# RFC 5322 dot-atom local part and a dotted domain: no spaces, commas or angle brackets,
# so an address can never smuggle a second recipient or a header.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
PHONE_PATTERN = r"^\+?[0-9]{8,15}$"  # E.164 digits, optionally with the plus


class TokenPurpose(StrEnum):
    VERIFY = "verify"  # confirms an address: a new account's, or the new one on email change
    RESET = "reset"  # sets a new password


def _fk_users(name: str) -> list[sa.ForeignKey]:
    return [sa.ForeignKey("users.id", ondelete="CASCADE", name=name)]


class EmailToken(CreatedAt, table=True):
    """A link's token, stored only as its SHA-256; used once, then dead."""

    __tablename__ = "email_tokens"
    __table_args__ = (
        sa.UniqueConstraint("token_hash", name="uq_email_tokens_token_hash"),
        sa.CheckConstraint(values_in("purpose", TokenPurpose), name="ck_email_tokens_purpose"),
        # Recent links of one account (rate limit, invalidation).
        sa.Index("ix_email_tokens_user_id_purpose_created_at", "user_id", "purpose", "created_at"),
        sa.Index("ix_email_tokens_expires_at", "expires_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(sa_column_args=_fk_users("fk_email_tokens_user_id_users"))
    purpose: TokenPurpose = Field(sa_type=enum_type(TokenPurpose))
    token_hash: str = Field(max_length=64)
    # The address a verify link confirms; cleared once used (no copy kept longer than needed).
    email: str | None = Field(default=None, max_length=320)
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    used_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class RequesterProfile(Timestamps, table=True):
    __tablename__ = "requester_profiles"

    user_id: uuid.UUID = Field(
        primary_key=True, sa_column_args=_fk_users("fk_requester_profiles_user_id_users")
    )
    phone: str | None = Field(default=None, max_length=32)


# ---- API bodies ----------------------------------------------------------------------------

_EMAIL = PydanticField(max_length=254, pattern=EMAIL_PATTERN, examples=["warga@example.id"])
_PASSWORD = PydanticField(min_length=1, max_length=1024, examples=["kopi-tubruk-sore-hari"])
# At least one visible character: a name of spaces is no name.
_NAME = PydanticField(min_length=1, max_length=255, pattern=r"\S", examples=["Siti Rahayu"])
_TOKEN = PydanticField(min_length=1, max_length=128, examples=["q0vQ1c3f…"])


class Registration(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"email": "warga@example.id", "name": "Siti Rahayu", "password": "kopi-tubruk-sore"}
            ]
        }
    )

    email: str = _EMAIL
    name: str = _NAME
    password: str = _PASSWORD


class EmailAddress(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "warga@example.id"}]})

    email: str = _EMAIL


class LinkToken(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"token": "q0vQ1c3f…"}]})

    token: str = _TOKEN


class PasswordResetConfirmation(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"token": "q0vQ1c3f…", "new_password": "teh-manis-pagi"}]}
    )

    token: str = _TOKEN
    new_password: str = _PASSWORD


class ProfileUpdate(BaseModel):
    """Only the fields sent change; `phone: null` removes the number."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Siti R.", "phone": "+6281234567890"}]},
    )

    name: str | None = PydanticField(default=None, min_length=1, max_length=255, pattern=r"\S")
    phone: str | None = PydanticField(default=None, pattern=PHONE_PATTERN)
    email: str | None = PydanticField(
        default=None,
        max_length=254,
        pattern=EMAIL_PATTERN,
        description="A new address; it takes effect once confirmed by the link sent to it.",
    )


class AccountDeletion(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"password": "kopi-tubruk-sore"}]})

    password: str = _PASSWORD


class Accepted(PublicModel):
    """The same answer whether or not an account exists (no account enumeration)."""

    model_config = {  # noqa: RUF012 (pydantic config, read once at class creation)
        "json_schema_extra": {
            "examples": [{"message": "Jika alamat itu dapat dipakai, kami telah mengirim email."}]
        }
    }

    message: str


class RequesterPublic(PublicModel):
    """The requester's own account, as they see it."""

    model_config = {  # noqa: RUF012 (pydantic config, read once at class creation)
        "json_schema_extra": {
            "examples": [
                {
                    "id": "6f1c7d0e-5b7a-4f4e-9d0a-2b3c4d5e6f70",
                    "email": "warga@example.id",
                    "name": "Siti Rahayu",
                    "phone": "+6281234567890",
                    "email_verified_at": "2025-03-01T10:15:00+07:00",
                    "created_at": "2025-03-01T10:00:00+07:00",
                }
            ]
        }
    }

    id: uuid.UUID
    email: str
    name: str
    phone: str | None
    email_verified_at: datetime | None
    created_at: datetime
