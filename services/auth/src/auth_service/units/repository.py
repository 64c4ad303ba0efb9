"""Queries on units. Never commits: the request's transaction does (STYLE.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from ppid_kit.db import add_and_refresh
from ppid_kit.paging import Keyset
from ppid_kit.query import equal_where_given
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from auth_service.units.models import PpidDesignation, Unit, UnitKind
from auth_service.units.versions import UnitVersion

# The directory's order; ix_units_name_id and ix_units_root_id_name_id serve it.
BY_NAME = Keyset(Unit, "name", "id")
# A unit's history, newest first; the primary key (unit_id, version) serves it.
NEWEST_FIRST = Keyset(UnitVersion, "version", descending=True)


@dataclass(frozen=True)
class UnitFilter:
    root: uuid.UUID | None = None
    kind: UnitKind | None = None
    parent_id: uuid.UUID | None = None
    q: str | None = None
    is_active: bool | None = None


def escape_like(text: str) -> str:
    """`%` and `_` typed by a user are literal characters, not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def select_units(filters: UnitFilter) -> sa.Select[Unit]:
    """The units that pass `filters`, in no order yet: `keyset_page` pages them."""
    stmt = sa.select(Unit).where(
        *equal_where_given(
            (col(Unit.root_id), filters.root),
            (col(Unit.kind), filters.kind),
            (col(Unit.parent_id), filters.parent_id),
            (col(Unit.is_active), filters.is_active),
        )
    )
    if filters.q:
        stmt = stmt.where(col(Unit.name).ilike(f"%{escape_like(filters.q)}%", escape="\\"))
    return stmt


async def get_unit(session: AsyncSession, unit_id: uuid.UUID) -> Unit | None:
    return await session.get(Unit, unit_id)


async def add_unit(session: AsyncSession, unit: Unit) -> Unit:
    """Stage a new unit; its server defaults (timestamps) are loaded after the flush."""
    return await add_and_refresh(session, unit)


async def lock_unit(
    session: AsyncSession, unit_id: uuid.UUID, *, shared: bool = False
) -> Unit | None:
    """The unit, row-locked until the transaction ends: If-Match and the write see one state.

    `shared` for a parent: a child is added or moved below it while no one deactivates it.
    """
    stmt = sa.select(Unit).where(col(Unit.id) == unit_id).with_for_update(read=shared)
    return (await session.scalars(stmt.execution_options(populate_existing=True))).first()


async def code_taken(session: AsyncSession, code: str) -> bool:
    found = await session.scalar(sa.select(col(Unit.id)).where(col(Unit.code) == code))
    return found is not None


async def has_active_children(session: AsyncSession, unit_id: uuid.UUID) -> bool:
    stmt = sa.select(col(Unit.id)).where(col(Unit.parent_id) == unit_id, col(Unit.is_active))
    return await session.scalar(stmt.limit(1)) is not None


async def ppid_utama_of(session: AsyncSession, root_id: uuid.UUID) -> Unit | None:
    """The unit carrying the root's PPID Utama, locked (ux_units_root_id_ppid_utama: one)."""
    stmt = sa.select(Unit).where(
        col(Unit.root_id) == root_id, col(Unit.ppid) == PpidDesignation.UTAMA
    )
    return (await session.scalars(stmt.with_for_update())).first()


async def save_unit(session: AsyncSession, unit: Unit) -> Unit:
    """Flush a changed unit and load what the database set (`updated_at`)."""
    await session.flush()
    await session.refresh(unit)
    return unit


async def next_version(session: AsyncSession, unit_id: uuid.UUID) -> int:
    """The unit's next history number; callers hold the unit's row lock (or just created it)."""
    latest = sa.func.coalesce(sa.func.max(col(UnitVersion.version)), 0)
    found = await session.scalar(sa.select(latest).where(col(UnitVersion.unit_id) == unit_id))
    return int(found or 0) + 1


async def add_version(session: AsyncSession, version: UnitVersion) -> UnitVersion:
    return await add_and_refresh(session, version)


def select_versions(unit_id: uuid.UUID) -> sa.Select[UnitVersion]:
    return sa.select(UnitVersion).where(col(UnitVersion.unit_id) == unit_id)


async def tree_units(session: AsyncSession, root: uuid.UUID | None) -> list[Unit]:
    """All units of `root` (every root's when None) in a stable order, for the tree's ETag."""
    stmt = sa.select(Unit).where(*equal_where_given((col(Unit.root_id), root)))
    stmt = stmt.order_by(col(Unit.root_id), col(Unit.name), col(Unit.id))
    return list((await session.scalars(stmt)).all())
