"""The fee schedule (standar biaya, DOMAIN.md 12) and the fee lines of a notice.

The schedule is set by the head's decree and announced publicly; a `PUT` replaces the
whole list (its version bumped, the new list in the audit log). A notice's lines are
priced from the items in force on the notice's date and kept as a snapshot.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from ppid_kit.access import Actor
from ppid_kit.audit import write_audit
from ppid_kit.etag import etag_for
from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from requests_service.workflow.models import FeeItem, FeeSchedule
from requests_service.workflow.schemas import (
    FeeItemIn,
    FeeItemPublic,
    FeeLine,
    FeeLineIn,
    FeeSchedulePublic,
)

_DUPLICATE_ITEM = Text(
    "Kode dengan tanggal berlaku yang sama sudah ada dalam daftar.",
    "The list already has this code with the same effective date.",
)
_UNKNOWN_CODE = Text(
    "Kode biaya tidak ada atau tidak berlaku dalam standar biaya badan publik ini.",
    "No fee item with this code is in force in this public body's schedule.",
)
_DUPLICATE_LINE = Text("Kode biaya disebut lebih dari sekali.", "The fee code is listed twice.")


def schedule_etag(root_id: uuid.UUID, version: int) -> str:
    return etag_for(f"fee-schedule:{root_id}:{version}")


async def get_schedule(
    session: AsyncSession, root_id: uuid.UUID, *, lock: bool = False
) -> FeeSchedule | None:
    stmt = sa.select(FeeSchedule).where(col(FeeSchedule.root_id) == root_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def items_of(session: AsyncSession, root_id: uuid.UUID) -> list[FeeItem]:
    stmt = (
        sa.select(FeeItem)
        .where(col(FeeItem.root_id) == root_id)
        .order_by(col(FeeItem.position), col(FeeItem.code))
    )
    return list((await session.execute(stmt)).scalars())


async def schedule_public(session: AsyncSession, root_id: uuid.UUID) -> FeeSchedulePublic:
    """The announced schedule; version 0 and no items while the root has none."""
    schedule = await get_schedule(session, root_id)
    if schedule is None:
        return FeeSchedulePublic(root_id=root_id, version=0, updated_at=None, items=[])
    items = [
        FeeItemPublic.model_validate(item, from_attributes=True)
        for item in await items_of(session, root_id)
    ]
    return FeeSchedulePublic(
        root_id=root_id, version=schedule.version, updated_at=schedule.updated_at, items=items
    )


def _check_unique(items: list[FeeItemIn]) -> None:
    seen: set[tuple[str, dt.date]] = set()
    errors = []
    for index, item in enumerate(items):
        key = (item.code, item.effective_from)
        if key in seen:
            errors.append(FieldError(f"items.{index}.code", _DUPLICATE_ITEM))
        seen.add(key)
    if errors:
        raise ProblemError(VALIDATION, errors=errors)


async def replace_schedule(
    session: AsyncSession,
    root_id: uuid.UUID,
    schedule: FeeSchedule | None,
    items: list[FeeItemIn],
    actor: Actor,
) -> FeeSchedule:
    """Replace the root's list (a new schedule at version 1, else the version bumped)."""
    _check_unique(items)
    if schedule is None:
        schedule = FeeSchedule(root_id=root_id, version=1, updated_by=actor.user_id)
        session.add(schedule)
    else:
        schedule.version += 1
        schedule.updated_by = actor.user_id
        await session.execute(sa.delete(FeeItem).where(col(FeeItem.root_id) == root_id))
    await session.flush()
    session.add_all(
        FeeItem(root_id=root_id, position=index, **item.model_dump())
        for index, item in enumerate(items)
    )
    await session.flush()
    await session.refresh(schedule)
    listed: list[dict[str, Any]] = [
        {"code": i.code, "unit_price": i.unit_price, "effective_from": i.effective_from.isoformat()}
        | {"active": i.active, "decree_no": i.decree_no}
        for i in items
    ]
    await write_audit(
        session,
        action="fee_schedule.replaced",
        object_type="fee_schedule",
        object_id=root_id,
        actor_id=actor.user_id,
        actor_type=actor.role,
        unit_id=root_id,
        details={"version": schedule.version, "items": listed},
    )
    return schedule


async def items_in_force(
    session: AsyncSession, root_id: uuid.UUID, on: dt.date
) -> dict[str, FeeItem]:
    """Per code, the active item with the latest `effective_from` on or before `on`."""
    stmt = (
        sa.select(FeeItem)
        .where(
            col(FeeItem.root_id) == root_id,
            col(FeeItem.effective_from) <= on,
        )
        .order_by(col(FeeItem.effective_from))
    )
    latest: dict[str, FeeItem] = {}
    for item in (await session.execute(stmt)).scalars():
        latest[item.code] = item
    return {code: item for code, item in latest.items() if item.active}


async def price_lines(
    session: AsyncSession, root_id: uuid.UUID, lines: list[FeeLineIn], on: dt.date
) -> tuple[list[FeeLine], list[FieldError]]:
    """The priced lines of a notice, and the errors of unknown or repeated codes."""
    if not lines:
        return [], []
    in_force = await items_in_force(session, root_id, on)
    priced: list[FeeLine] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, line in enumerate(lines):
        item = in_force.get(line.code)
        if line.code in seen:
            errors.append(FieldError(f"fee_lines.{index}.code", _DUPLICATE_LINE))
        elif item is None:
            errors.append(FieldError(f"fee_lines.{index}.code", _UNKNOWN_CODE))
        else:
            priced.append(
                FeeLine(
                    code=item.code,
                    description=item.description,
                    unit=item.unit,
                    unit_price=item.unit_price,
                    quantity=line.quantity,
                    amount=item.unit_price * line.quantity,
                )
            )
        seen.add(line.code)
    return priced, errors
