"""Reading requests. Never commits: the request's transaction does (STYLE.md)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from ppid_kit.problems import NOT_FOUND, ProblemError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.core.access import REQUEST_NOT_FOUND
from requests_service.core.models import (
    InformationRequest,
    RequesterIdentity,
    RequestEvent,
    RequestFile,
    RequestFileKind,
)


async def get_request(
    session: AsyncSession, request_id: uuid.UUID, *, for_update: bool = False
) -> InformationRequest:
    """The request, locked for the transaction when `for_update` (every action): else 404."""
    stmt = sa.select(InformationRequest).where(col(InformationRequest.id) == request_id)
    if for_update:
        stmt = stmt.with_for_update()
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is None:
        raise ProblemError(NOT_FOUND, REQUEST_NOT_FOUND)
    return found


async def get_by_number(session: AsyncSession, number: str) -> InformationRequest | None:
    stmt = sa.select(InformationRequest).where(
        col(InformationRequest.registration_number) == number
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def history(session: AsyncSession, request_id: uuid.UUID) -> list[RequestEvent]:
    stmt = (
        sa.select(RequestEvent)
        .where(col(RequestEvent.request_id) == request_id)
        .order_by(col(RequestEvent.version))
    )
    return list((await session.execute(stmt)).scalars())


async def identity(session: AsyncSession, request_id: uuid.UUID) -> RequesterIdentity | None:
    return await session.get(RequesterIdentity, request_id)


async def files(
    session: AsyncSession,
    request_id: uuid.UUID,
    kinds: frozenset[RequestFileKind] | None = None,
    *,
    include_deleted: bool = False,
) -> list[RequestFile]:
    stmt = sa.select(RequestFile).where(col(RequestFile.request_id) == request_id)
    if kinds is not None:
        stmt = stmt.where(col(RequestFile.kind).in_(kinds))
    if not include_deleted:
        stmt = stmt.where(col(RequestFile.deleted_at).is_(None))
    return list((await session.execute(stmt.order_by(col(RequestFile.created_at)))).scalars())
