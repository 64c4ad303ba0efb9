"""Changing DIP entries: each change is one immutable version, one audit record, and,
when the public DIP changes, one row of the changes feed (written last).

All in the request's transaction; the entry row is locked (`FOR UPDATE`) before it changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy.exc
from ppid_kit.audit import write_audit
from ppid_kit.etag import etag_for
from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text
from pydantic import JsonValue
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service import public, repository
from registry_service.access import PPID_UTAMA, Actor
from registry_service.entries.rules import (
    EDITABLE,
    NOT_EDITABLE,
    NUMBER_TAKEN,
    Action,
    check,
)
from registry_service.entries.rules import INVALID_TRANSITION as INVALID_TRANSITION
from registry_service.models import (
    LIST_CONTENT,
    REQUIRED_CONTENT,
    DipEntry,
    DipEntryCreate,
    DipEntryManaged,
    DipEntryUpdate,
    DipEntryVersion,
    DipStatus,
    EntryAction,
    PublishMode,
    VersionAction,
)

_REQUIRED = Text("Wajib diisi.", "Required.")
_REASON_REQUIRED = Text(
    "Alasan wajib diisi untuk aksi ini.", "A reason is required for this action."
)
_SUPERSEDED_BY_REQUIRED = Text(
    "Sebutkan entri pengganti (superseded_by).", "Name the replacing entry (superseded_by)."
)
_BAD_REPLACEMENT = Text(
    "Entri pengganti harus entri lain yang terbit pada badan publik yang sama.",
    "The replacing entry must be another published entry of the same public body.",
)
_OTHER_ROOT = Text(
    "Unit harus berada pada badan publik yang sama.",
    "The unit must belong to the same public body.",
)
_INACTIVE_UNIT = Text("Unit tidak aktif.", "The unit is inactive.")


def entry_etag(entry: DipEntry) -> str:
    """The ETag officials send back in `If-Match`: it changes with every version."""
    return etag_for(f"dip-entry:{entry.id}:{entry.version}")


def managed(entry: DipEntry) -> DipEntryManaged:
    return DipEntryManaged.model_validate(entry)


def invalid_field(field: str, message: Text) -> ProblemError:
    return ProblemError(VALIDATION, errors=[FieldError(field, message)])


async def record_version(
    session: AsyncSession,
    entry: DipEntry,
    action: VersionAction,
    actor: Actor,
    reason: str | None,
    fields: list[str],
    *,
    snapshot_extra: Mapping[str, JsonValue] | None = None,
    audit_extra: Mapping[str, JsonValue] | None = None,
) -> DipEntryVersion:
    """The next version of `entry` (its number bumped here), and the audit record of it.

    `snapshot_extra` joins the version's snapshot (e.g. what an exemption may restore);
    `audit_extra` the audit details (never free text or personal data).
    """
    entry.version += 1
    session.add(entry)
    await session.flush()
    await session.refresh(entry)  # the database's updated_at
    version = DipEntryVersion(
        entry_id=entry.id,
        version=entry.version,
        action=action,
        status=entry.status,
        reason=reason,
        actor_id=actor.user_id,
        actor_role=actor.role,
        snapshot={**managed(entry).model_dump(mode="json"), **(snapshot_extra or {})},
    )
    await repository.add_version(session, version)
    # Field names only: free-text reasons stay in the entry's history, out of the audit log.
    details: dict[str, JsonValue] = {
        "version": entry.version,
        "status": entry.status.value,
        "fields": list(fields),
        **(audit_extra or {}),
    }
    await write_audit(
        session,
        action=f"dip_entry.{action.value}",
        object_type="dip_entry",
        object_id=entry.id,
        actor_id=actor.user_id,
        actor_type=actor.role,
        unit_id=entry.unit_id,
        details=details,
    )
    return version


async def _finish(session: AsyncSession, entry: DipEntry, was: DipStatus) -> None:
    """Last in the transaction: the feed learns of any change the public sees."""
    if DipStatus.PUBLISHED in (was, entry.status):
        await public.record_public_change(session, entry)


async def _flush_number(session: AsyncSession) -> None:
    try:
        await session.flush()
    except sqlalchemy.exc.IntegrityError as exc:  # a concurrent writer took the number
        if "uq_dip_entries_root_id_number" in str(exc.orig):
            raise ProblemError(NUMBER_TAKEN) from exc
        raise


async def create_entry(
    session: AsyncSession, body: DipEntryCreate, root_id: uuid.UUID, actor: Actor
) -> DipEntry:
    """A new draft (version 1) of `body.unit_id` in `root_id`."""
    if await repository.number_taken(session, root_id, body.number):
        raise ProblemError(NUMBER_TAKEN)
    entry = DipEntry(
        **body.model_dump(),
        root_id=root_id,
        status=DipStatus.DRAFT,
        version=0,  # record_version makes it 1
        created_by=actor.user_id,
    )
    session.add(entry)
    await _flush_number(session)
    await record_version(
        session, entry, VersionAction.CREATE, actor, None, sorted(body.model_fields_set)
    )
    return entry


def _changes(body: DipEntryUpdate) -> tuple[dict[str, Any], str | None]:
    changes = body.model_dump(exclude_unset=True)
    reason = changes.pop("reason", None)
    errors = [
        FieldError(name, _REQUIRED)
        for name in REQUIRED_CONTENT
        if name in changes and changes[name] is None
    ]
    if errors:
        raise ProblemError(VALIDATION, errors=errors)
    for name in LIST_CONTENT:
        if name in changes and changes[name] is None:
            changes[name] = []
    return changes, reason


async def update_entry(
    session: AsyncSession,
    entry: DipEntry,
    body: DipEntryUpdate,
    actor: Actor,
    *,
    new_unit_root: uuid.UUID | None = None,
) -> DipEntry:
    """Change the fields `body` sets. A published entry stays published (the feed hears of
    it); a verified one edited by anyone but the PPID Utama goes back to proposed."""
    changes, reason = _changes(body)
    if entry.status not in EDITABLE:
        raise ProblemError(
            INVALID_TRANSITION, NOT_EDITABLE, extra={"entry_status": entry.status.value}
        )
    if "unit_id" in changes and new_unit_root != entry.root_id:
        raise invalid_field("unit_id", _OTHER_ROOT)
    current = entry.model_dump()
    changed = {k: v for k, v in changes.items() if _plain(current.get(k)) != _plain(v)}
    if not changed:
        return entry
    number = changed.get("number")
    if number is not None and await repository.number_taken(
        session, entry.root_id, number, besides=entry.id
    ):
        raise ProblemError(NUMBER_TAKEN)
    was = entry.status
    for name, value in changed.items():
        setattr(entry, name, value)
    if entry.status is DipStatus.VERIFIED and actor.role != PPID_UTAMA:
        entry.status = DipStatus.PROPOSED  # what was verified is no longer what it says
    await _flush_number(session)
    await record_version(session, entry, VersionAction.UPDATE, actor, reason, sorted(changed))
    await _finish(session, entry, was)
    return entry


def _plain(value: Any) -> Any:
    """Enums and models as the values they hold, for comparing old and new fields."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.value if hasattr(value, "value") else value


async def act(
    session: AsyncSession,
    entry: DipEntry,
    action: Action,
    body: EntryAction,
    actor: Actor,
    mode: PublishMode,
) -> DipEntry:
    """Move `entry` along the lifecycle (rules.check), as one new version."""
    transition = check(action, entry.status, actor.role, mode)
    reason = (body.reason or "").strip() or None
    if transition.needs_reason and reason is None:
        raise invalid_field("reason", _REASON_REQUIRED)
    if action is Action.SUPERSEDE:
        entry.superseded_by = await _replacement(session, entry, body.superseded_by)
    was = entry.status
    entry.status = transition.target
    if entry.status is DipStatus.PUBLISHED and entry.published_at is None:
        entry.published_at = datetime.now(UTC)
    fields = ["status", "superseded_by"] if action is Action.SUPERSEDE else ["status"]
    await record_version(session, entry, transition.version_action, actor, reason, fields)
    await _finish(session, entry, was)
    return entry


async def _replacement(
    session: AsyncSession, entry: DipEntry, replacement_id: uuid.UUID | None
) -> uuid.UUID:
    if replacement_id is None:
        raise invalid_field("superseded_by", _SUPERSEDED_BY_REQUIRED)
    replacement = await repository.get_entry(session, replacement_id)
    if (
        replacement is None
        or replacement.id == entry.id
        or replacement.root_id != entry.root_id
        or replacement.status is not DipStatus.PUBLISHED
    ):
        raise invalid_field("superseded_by", _BAD_REPLACEMENT)
    return replacement.id


def require_active(active: bool) -> None:
    if not active:
        raise invalid_field("unit_id", _INACTIVE_UNIT)
