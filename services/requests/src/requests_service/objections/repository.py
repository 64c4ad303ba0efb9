"""Reading objections: one by id (404 otherwise), its history, its objector, its files."""

from __future__ import annotations

import uuid

from ppid_kit.problems import NOT_FOUND, ProblemError, Text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from requests_service.objections.models import (
    Objection,
    ObjectionEvent,
    ObjectionFile,
    ObjectorIdentity,
)

OBJECTION_NOT_FOUND = Text("Keberatan tidak ditemukan.", "Objection not found.")


async def get_objection(
    session: AsyncSession, objection_id: uuid.UUID, *, for_update: bool = False
) -> Objection:
    """The objection, locked for the transaction when `for_update` (404 when unknown)."""
    query = select(Objection).where(col(Objection.id) == objection_id)
    if for_update:
        query = query.with_for_update()
    found = (await session.execute(query)).scalars().first()
    if found is None:
        raise ProblemError(NOT_FOUND, OBJECTION_NOT_FOUND)
    return found


async def history(session: AsyncSession, objection_id: uuid.UUID) -> list[ObjectionEvent]:
    query = (
        select(ObjectionEvent)
        .where(col(ObjectionEvent.objection_id) == objection_id)
        .order_by(col(ObjectionEvent.version))
    )
    return list((await session.execute(query)).scalars().all())


async def objector(session: AsyncSession, objection_id: uuid.UUID) -> ObjectorIdentity | None:
    return await session.get(ObjectorIdentity, objection_id)


async def files(session: AsyncSession, objection_id: uuid.UUID) -> list[ObjectionFile]:
    query = (
        select(ObjectionFile)
        .where(
            col(ObjectionFile.objection_id) == objection_id,
            col(ObjectionFile.deleted_at).is_(None),
        )
        .order_by(col(ObjectionFile.created_at), col(ObjectionFile.id))
    )
    return list((await session.execute(query)).scalars().all())
