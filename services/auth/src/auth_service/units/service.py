"""Changing units: every change writes a `unit_versions` row and an audit record.

One transaction (the request's) holds the change, its history row and its audit row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlalchemy.exc
from ppid_kit.audit import write_audit
from ppid_kit.problems import NOT_FOUND, ProblemError
from ppid_kit.tokens import Claims
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.permissions import NO_SUCH_UNIT, forget_tree, load_tree
from auth_service.units import repository, rules
from auth_service.units.models import (
    PpidDesignation,
    RootTimeZone,
    Unit,
    UnitCreate,
    UnitDetails,
    UnitKind,
    UnitPublic,
    UnitUpdate,
)
from auth_service.units.versions import UnitChange, UnitVersion


@dataclass(frozen=True)
class Actor:
    """Who made a change, as history and audit name them (an id, never a name or email)."""

    id: str
    type: str | None

    @classmethod
    def of(cls, claims: Claims) -> Actor:
        return cls(claims.sub, claims.typ)


OPERATOR = Actor("operator", "operator")


def _plain(value: Any) -> Any:
    """A value as JSON stores it (history rows, comparisons with the body)."""
    if isinstance(value, Enum):
        return value.value
    return str(value) if isinstance(value, uuid.UUID) else value


async def record(
    session: AsyncSession,
    unit: Unit,
    action: UnitChange,
    changes: dict[str, dict[str, Any]],
    actor: Actor,
    reason: str | None,
) -> UnitVersion:
    """The history row and the audit record of one change (the unit is already flushed)."""
    version = UnitVersion(
        unit_id=unit.id,
        version=await repository.next_version(session, unit.id),
        root_id=unit.root_id,
        action=action,
        actor_id=actor.id,
        actor_type=actor.type,
        reason=reason,
        changes=changes,
        snapshot=UnitPublic.model_validate(unit).model_dump(mode="json"),
    )
    await repository.add_version(session, version)
    await _audit(session, version)
    forget_tree(session)
    return version


async def _audit(session: AsyncSession, version: UnitVersion) -> None:
    # Field names only: contact details and free-text reasons stay out of the audit log.
    await write_audit(
        session,
        action=f"unit.{version.action.value}",
        object_type="unit",
        object_id=version.unit_id,
        actor_id=version.actor_id,
        actor_type=version.actor_type,
        unit_id=version.unit_id,
        details={"version": version.version, "fields": sorted(version.changes)},
    )


async def _insert(session: AsyncSession, unit: Unit, actor: Actor, reason: str | None) -> Unit:
    if await repository.code_taken(session, unit.code):
        raise ProblemError(rules.UNIT_CODE_TAKEN)
    try:
        await repository.add_unit(session, unit)
    except sqlalchemy.exc.IntegrityError as exc:  # a concurrent create took the code first
        if "uq_units_code" in str(exc.orig):
            raise ProblemError(rules.UNIT_CODE_TAKEN) from exc
        raise
    await record(session, unit, UnitChange.CREATED, {}, actor, reason)
    return unit


async def create_root(
    session: AsyncSession,
    *,
    code: str,
    name: str,
    time_zone: RootTimeZone,
    details: UnitDetails | None = None,
    actor: Actor = OPERATOR,
    unit_id: uuid.UUID | None = None,
) -> Unit:
    """A new badan publik; no one is above a root, so only the operator makes one."""
    unit_id = unit_id or uuid.uuid4()
    unit = Unit(
        id=unit_id,
        root_id=unit_id,
        code=code,
        name=name,
        kind=UnitKind.BADAN_PUBLIK,
        time_zone=time_zone,
        **(details or UnitDetails()).model_dump(),
    )
    return await _insert(session, unit, actor, "root created by the operator")


async def _take_over_utama(
    session: AsyncSession, unit: Unit, actor: Actor, why: str | None
) -> None:
    """Move the root's PPID Utama designation to `unit`: the former holder becomes a pelaksana."""
    current = await repository.ppid_utama_of(session, unit.root_id)
    if current is None or current.id == unit.id:
        return
    current.ppid = PpidDesignation.PELAKSANA
    await repository.save_unit(session, current)
    change = {"ppid": {"from": PpidDesignation.UTAMA.value, "to": current.ppid.value}}
    await record(session, current, UnitChange.UPDATED, change, actor, why)


async def create_unit(session: AsyncSession, body: UnitCreate, claims: Claims) -> Unit:
    """A unit below `body.parent_id`: 404 unknown parent, 403 not its admin, 409 inactive parent."""
    tree = await load_tree(session)
    rules.authorize_create(claims, body.parent_id, body.ppid == PpidDesignation.UTAMA, tree)
    return await add_child(session, body, Actor.of(claims))


async def add_child(
    session: AsyncSession, body: UnitCreate, actor: Actor, *, unit_id: uuid.UUID | None = None
) -> Unit:
    """Insert an authorized new unit (the demo seeder and tests call it directly)."""
    parent = await repository.lock_unit(session, body.parent_id, shared=True)
    if parent is None:
        raise ProblemError(NOT_FOUND, NO_SUCH_UNIT)
    if not parent.is_active:
        raise ProblemError(rules.UNIT_PARENT_INACTIVE)
    fields = body.model_dump(exclude={"reason", "service_hours"})
    hours = [period.model_dump(mode="json") for period in body.service_hours]
    unit = Unit(**fields, id=unit_id or uuid.uuid4(), root_id=parent.root_id, service_hours=hours)
    if unit.ppid == PpidDesignation.UTAMA:
        await _take_over_utama(session, unit, actor, body.reason)
    return await _insert(session, unit, actor, body.reason)


def plan_update(unit: Unit, body: UnitUpdate) -> dict[str, dict[str, Any]]:
    """`{field: {from, to}}` for the fields of `body` that differ from the unit."""
    wanted = body.changes()
    plan: dict[str, dict[str, Any]] = {}
    for name, value in wanted.items():
        before, after = _plain(getattr(unit, name)), _plain(value)
        if before != after:
            plan[name] = {"from": before, "to": after}
    return plan


def _action(changes: dict[str, dict[str, Any]]) -> UnitChange:
    if "is_active" in changes:
        return UnitChange.REACTIVATED if changes["is_active"]["to"] else UnitChange.DEACTIVATED
    return UnitChange.MOVED if "parent_id" in changes else UnitChange.UPDATED


async def _check_state(
    session: AsyncSession, unit: Unit, changes: dict[str, dict[str, Any]]
) -> None:
    """409 for what the tree does not allow now: cycles, inactive parents, active children."""
    tree = await load_tree(session)
    if "parent_id" in changes:
        rules.check_move(unit, uuid.UUID(changes["parent_id"]["to"]), tree)
    active_after = changes.get("is_active", {}).get("to", unit.is_active)
    if not active_after and await repository.has_active_children(session, unit.id):
        raise ProblemError(rules.UNIT_HAS_ACTIVE_CHILDREN)
    parent_id = changes.get("parent_id", {}).get("to", unit.parent_id)
    if active_after and parent_id is not None and changes.keys() & {"parent_id", "is_active"}:
        parent = await repository.lock_unit(session, uuid.UUID(str(parent_id)), shared=True)
        if parent is None or not parent.is_active:
            raise ProblemError(rules.UNIT_PARENT_INACTIVE)


async def apply_update(session: AsyncSession, unit: Unit, body: UnitUpdate, claims: Claims) -> Unit:
    """Make the (authorized) changes of `body`, with history; no change writes nothing."""
    changes = plan_update(unit, body)
    rules.check_shape(unit, changes)
    await _check_state(session, unit, changes)
    if not changes:
        return unit
    actor = Actor.of(claims)
    if changes.get("ppid", {}).get("to") == PpidDesignation.UTAMA.value:
        await _take_over_utama(session, unit, actor, body.reason)
    wanted = body.changes()
    for name in changes:
        setattr(unit, name, wanted[name])
    await repository.save_unit(session, unit)
    await record(session, unit, _action(changes), changes, actor, body.reason)
    return unit
