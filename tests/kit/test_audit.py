"""The audit log: append-only in the database, no personal data in details."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy.exc
from ppid_kit.audit import personal_keys, write_audit
from ppid_kit.logging import request_id_var
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession


async def _write(engine: AsyncEngine, object_id: str, **details: object) -> None:
    async with AsyncSession(engine) as session, session.begin():
        await write_audit(
            session,
            action="request.extend",
            object_type="request",
            object_id=object_id,
            actor_id=uuid.UUID(int=7),
            actor_type="official",
            unit_id=str(uuid.UUID(int=9)),
            details=details or None,
        )


async def test_write_audit_records_context(kit_engine: AsyncEngine) -> None:
    object_id = uuid.uuid4().hex
    token = request_id_var.set("req-audit-1")
    try:
        await _write(kit_engine, object_id, reason="complex", days=7)
    finally:
        request_id_var.reset(token)
    async with kit_engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT * FROM audit_log WHERE object_id = :o"), {"o": object_id}
            )
        ).one()
    assert row.action == "request.extend"
    assert row.object_type == "request"
    assert row.actor_id == str(uuid.UUID(int=7))
    assert row.actor_type == "official"
    assert row.unit_id == uuid.UUID(int=9)
    assert row.request_id == "req-audit-1"
    assert row.details == {"reason": "complex", "days": 7}
    assert row.occurred_at.tzinfo is not None


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'forged' WHERE object_id = :o",
        "DELETE FROM audit_log WHERE object_id = :o",
        "TRUNCATE audit_log",
    ],
)
async def test_audit_log_refuses_changes(kit_engine: AsyncEngine, statement: str) -> None:
    object_id = uuid.uuid4().hex
    await _write(kit_engine, object_id)
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        async with kit_engine.begin() as conn:
            await conn.execute(text(statement), {"o": object_id} if ":o" in statement else {})
    async with kit_engine.connect() as conn:
        action = (
            await conn.execute(
                text("SELECT action FROM audit_log WHERE object_id = :o"), {"o": object_id}
            )
        ).scalar_one()
    assert action == "request.extend"


@pytest.mark.parametrize(
    "details",
    [
        {"nik": "3171234567890123"},
        {"requester_phone": "0812"},
        {"alamat": "Jl. Merdeka 1"},
        {"new": {"email": "a@b.id"}},
        {"items": [{"accessToken": "x"}]},
        {"Password": "x"},
        {"tanggal_lahir": "1990-01-01"},
    ],
)
async def test_personal_keys_are_refused(
    kit_engine: AsyncEngine, details: dict[str, object]
) -> None:
    object_id = uuid.uuid4().hex
    with pytest.raises(ValueError, match="personal data"):
        await _write(kit_engine, object_id, **details)
    async with kit_engine.connect() as conn:
        count = (
            await conn.execute(
                text("SELECT count(*) FROM audit_log WHERE object_id = :o"), {"o": object_id}
            )
        ).scalar_one()
    assert count == 0


def test_harmless_keys_pass_and_paths_are_reported() -> None:
    harmless = {"status": "x", "unit_name": "Dinas", "unique": 1, "tokens_used": 2, "days": 7}
    assert personal_keys(harmless) == []
    assert personal_keys({"a": [{"b": {"nik": 1}}], "userEmail": "x"}) == [
        "a[0].b.nik",
        "userEmail",
    ]
