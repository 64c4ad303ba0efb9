"""Changing a root's calendar days: each change is one more calendar version, audited.

Stored deadlines do not move with it (DOMAIN.md 14.3): only the explicit
recalculation (`calendar.recalculate`) recomputes them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ppid_kit.access import Actor
from ppid_kit.audit import write_audit
from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text, register_kind
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.calendar import repository
from requests_service.calendar.models import CalendarDay, CalendarDayKind, CalendarPolicy
from requests_service.calendar.schemas import CalendarDayCreate
from requests_service.calendar.service import bump_version

DAY_EXISTS = register_kind(
    "calendar-day-exists",
    409,
    "Hari sudah ada di kalender",
    "Day already in the calendar",
    detail_id="Kalender ini sudah memuat hari dengan tanggal dan jenis yang sama.",
    detail_en="This calendar already holds a day of the same date and kind.",
)
NOT_ESTIMATED = register_kind(
    "calendar-day-not-estimated",
    409,
    "Hari ini bukan perkiraan",
    "This day is not an estimate",
    detail_id="Hanya hari yang masih perkiraan yang dikonfirmasi dengan keputusan.",
    detail_en="Only a day that is still an estimate is confirmed by a decree.",
)
NO_SUCH_DAY = Text("Hari kalender tidak ditemukan.", "No such calendar day.")
_NOT_NULL = Text("Tidak boleh kosong (null).", "Must not be null.")


def _actor_type(actor: Actor) -> str:
    return f"official:{actor.role}"


async def _require_free(
    session: AsyncSession, root_id: uuid.UUID, date: dt.date, kind: CalendarDayKind
) -> None:
    if await repository.find_day(session, root_id, date, kind) is not None:
        raise ProblemError(DAY_EXISTS)


async def _audit(
    session: AsyncSession, action: str, day: CalendarDay, actor: Actor, version: int, **more: Any
) -> None:
    details = {
        "date": day.date.isoformat(),
        "kind": str(day.kind),
        "name": day.name,
        "source": day.source,
        "is_estimated": day.is_estimated,
        "calendar_version": version,
        **more,
    }
    await write_audit(
        session,
        action=f"calendar_day.{action}",
        object_type="calendar_day",
        object_id=day.id,
        actor_id=actor.user_id,
        actor_type=_actor_type(actor),
        unit_id=day.root_id,
        details=details,
    )


async def create_day(
    session: AsyncSession,
    root_id: uuid.UUID,
    body: CalendarDayCreate,
    actor: Actor,
    time_zone: str | None,
) -> CalendarDay:
    """Add a day (409 when the root has one of the same date and kind)."""
    await repository.lock_calendar(session, root_id)
    await _require_free(session, root_id, body.date, body.kind)
    day = await repository.add_day(session, CalendarDay(root_id=root_id, **body.model_dump()))
    await repository.forget_removal(session, root_id, day.date, day.kind)
    policy = await bump_version(session, root_id, time_zone)
    await _audit(session, "create", day, actor, policy.version)
    return day


def checked_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """A PATCH's fields: an explicit null on a required field is a 422."""
    errors = [FieldError(name, _NOT_NULL) for name, value in changes.items() if value is None]
    if errors:
        raise ProblemError(VALIDATION, errors=errors)
    return changes


async def update_day(
    session: AsyncSession,
    day: CalendarDay,
    changes: dict[str, Any],
    actor: Actor,
    time_zone: str | None,
    *,
    action: str = "update",
) -> CalendarPolicy | None:
    """Apply `changes`; a new date leaves the old one out of later seeds. None: nothing
    changed (no new version, no audit record). The caller holds the calendar's lock."""
    changed = {name: value for name, value in changes.items() if getattr(day, name) != value}
    if not changed:
        return None
    old_date = day.date
    if "date" in changed:
        await _require_free(session, day.root_id, changed["date"], day.kind)
        await repository.remember_removal(session, day.root_id, old_date, day.kind)
        await repository.forget_removal(session, day.root_id, changed["date"], day.kind)
    for name, value in changed.items():
        setattr(day, name, value)
    session.add(day)
    await session.flush()
    policy = await bump_version(session, day.root_id, time_zone)
    moved = {"from_date": old_date.isoformat()} if "date" in changed else {}
    await _audit(session, action, day, actor, policy.version, changed=sorted(changed), **moved)
    return policy


async def confirm_day(
    session: AsyncSession,
    day: CalendarDay,
    changes: dict[str, Any],
    actor: Actor,
    time_zone: str | None,
) -> CalendarPolicy | None:
    """An estimate fixed by the decree: no longer estimated, its source the decree."""
    if not day.is_estimated:
        raise ProblemError(NOT_ESTIMATED)
    confirmed = {**changes, "is_estimated": False}
    return await update_day(session, day, confirmed, actor, time_zone, action="confirm")


async def delete_day(
    session: AsyncSession, day: CalendarDay, actor: Actor, time_zone: str | None
) -> CalendarPolicy:
    """Remove a day; a later seed will not bring its (date, kind) back. The caller holds
    the calendar's lock."""
    await repository.remember_removal(session, day.root_id, day.date, day.kind)
    await session.delete(day)
    await session.flush()
    policy = await bump_version(session, day.root_id, time_zone)
    await _audit(session, "delete", day, actor, policy.version)
    return policy
