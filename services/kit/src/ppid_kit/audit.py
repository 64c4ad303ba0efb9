"""The append-only audit log: state changes and reads of personal data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ppid_kit.logging import get_request_id
from ppid_kit.tables import AUDIT_TABLE

# Words that mark personal data or secrets in a key ("requester_phone", "nikHash", "alamat").
PERSONAL_WORDS = frozenset(
    {
        "nik", "ktp", "kk", "npwp", "passport", "paspor",
        "password", "passwd", "pin", "otp", "token", "secret", "credential", "credentials",
        "phone", "telepon", "telp", "hp", "handphone", "whatsapp", "msisdn",
        "address", "alamat", "email", "surel",
        "birth", "birthdate", "dob", "lahir",
    }
)  # fmt: skip
_WORDS = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def personal_keys(details: Any, path: str = "") -> list[str]:
    """Paths of keys in `details` (nested dicts and lists too) that look personal."""
    found: list[str] = []
    if isinstance(details, Mapping):
        for key, value in details.items():
            here = f"{path}.{key}" if path else str(key)
            words = _WORDS.findall(_CAMEL.sub("_", str(key)).lower())
            if PERSONAL_WORDS.intersection(words):
                found.append(here)
            found.extend(personal_keys(value, here))
    elif isinstance(details, list | tuple):
        for index, item in enumerate(details):
            found.extend(personal_keys(item, f"{path}[{index}]"))
    return found


def _text(value: str | UUID | None) -> str | None:
    return None if value is None else str(value)


async def write_audit(
    session: AsyncSession,
    *,
    action: str,
    object_type: str,
    object_id: str | UUID,
    actor_id: str | UUID | None = None,
    actor_type: str | None = None,
    unit_id: str | UUID | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Append one audit record in the caller's transaction (request id from the context)."""
    refused = personal_keys(details or {})
    if refused:
        raise ValueError(f"personal data must not enter the audit log: {', '.join(refused)}")
    conn = await session.connection()  # core insert, in the session's transaction
    await conn.execute(
        insert(AUDIT_TABLE).values(
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            actor_id=_text(actor_id),
            actor_type=actor_type,
            unit_id=None if unit_id is None else UUID(str(unit_id)),
            request_id=get_request_id(),
            details=dict(details or {}),
        )
    )
