"""Recording, changing, opening and withdrawing consequence tests. Never commits.

DOMAIN.md 5.2: "An item that fails a consequence test moves to the DIK and out of the
public DIP. If an objection or dispute later opens it, it returns to the DIP (UU 14/2008
Pasal 11(2))." So a test that concludes `exempt` on a DIP entry withdraws that entry
(one immutable version, an audit record, a tombstone in the changes feed), and opening
the test (or withdrawing it as recorded in error) gives the entry back the status it
had before.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from ppid_kit.audit import write_audit
from ppid_kit.db import add_and_refresh
from ppid_kit.etag import json_etag
from ppid_kit.problems import NOT_FOUND, VALIDATION, FieldError, ProblemError, Text, register_kind
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree, units_with
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from registry_service import access
from registry_service.access import Actor
from registry_service.dik import rules
from registry_service.dik.models import Conclusion, DikEntry, DikStatus
from registry_service.dik.schemas import (
    LIST_FIELDS,
    REQUIRED_FIELDS,
    DikEntryCreate,
    DikEntryManaged,
    DikEntryUpdate,
)
from registry_service.documents.models import Document, DocumentPublic
from registry_service.entries.service import record_version
from registry_service.models import DipEntry, DipEntryVersion, DipPolicy, DipStatus, VersionAction
from registry_service.public import record_public_change

DIK_NUMBER_TAKEN = register_kind(
    "dik-number-taken",
    409,
    "Nomor DIK sudah dipakai",
    "DIK number already in use",
    detail_id="Badan publik ini sudah memiliki entri DIK dengan nomor tersebut.",
    detail_en="This public body already has a DIK entry with that number.",
)
DIK_INVALID_TRANSITION = register_kind(
    "dik-invalid-transition",
    409,
    "Perubahan status DIK tidak diperbolehkan",
    "DIK status change not allowed",
)
DIP_ENTRY_NOT_LIVE = register_kind(
    "dip-entry-not-live",
    409,
    "Entri DIP sudah tidak berlaku",
    "The DIP entry is no longer live",
    detail_id="Entri DIP ini sudah ditarik, diarsipkan atau digantikan.",
    detail_en="This DIP entry has already been withdrawn, archived or superseded.",
)

NO_SUCH_DIK = Text("Entri DIK tidak ditemukan.", "No such DIK entry.")
_NOT_ACTIVE = Text(
    "Hanya pengujian yang masih berlaku (active) yang dapat diubah, dibuka atau ditarik.",
    "Only a test still in force (active) can be changed, opened or withdrawn.",
)
_NO_SUCH_DIP_ENTRY = Text(
    "Entri DIP tidak ditemukan di badan publik ini.", "No such DIP entry in this public body."
)
_REQUIRED = Text("Wajib diisi.", "This field is required.")
_DEAD = (DipStatus.WITHDRAWN, DipStatus.ARCHIVED, DipStatus.SUPERSEDED)
WITHHOLDING = (Conclusion.EXEMPT, Conclusion.PARTIALLY_OPEN)
# In the snapshot of the version that withdrew a DIP entry: the status it had before.
EXEMPTED_FROM = "exempted_from_status"


# ---- representations -------------------------------------------------------------


async def dik_documents(session: AsyncSession, dik_id: uuid.UUID) -> list[Document]:
    stmt = (
        sa.select(Document)
        .where(col(Document.dik_id) == dik_id)
        .order_by(col(Document.created_at), col(Document.id))
    )
    return list((await session.scalars(stmt)).all())


async def managed(session: AsyncSession, entry: DikEntry) -> DikEntryManaged:
    """The whole test, with its documents, as the officials of the root see it."""
    documents = [DocumentPublic.of(d) for d in await dik_documents(session, entry.id)]
    names = (name for name in DikEntryManaged.model_fields if name != "documents")
    fields = {name: getattr(entry, name) for name in names}
    return DikEntryManaged.model_validate({**fields, "documents": documents})


def managed_etag(view: DikEntryManaged) -> str:
    return json_etag(view.model_dump(mode="json"))


# ---- reading -----------------------------------------------------------------------


def official_roots(claims: Claims | None, tree: UnitTree) -> set[uuid.UUID]:
    """The roots where the caller holds any official role."""
    if claims is None:
        return set()
    held: set[uuid.UUID] = set().union(*(units_with(claims, r) for r in access.OFFICIAL_ROLES))
    return {tree.root_of(unit) for unit in held if unit in tree}


def dik_public_clause(roots: Iterable[uuid.UUID]) -> sa.ColumnElement[bool]:
    """The root publishes its DIK (DOMAIN.md 6.3: the default, no policy row), or the
    caller is one of its officials."""
    published = sa.func.coalesce(
        sa.select(col(DipPolicy.dik_public))
        .where(col(DipPolicy.root_id) == col(DikEntry.root_id))
        .scalar_subquery(),
        sa.true(),
    )
    allowed = list(roots)
    return sa.or_(published, col(DikEntry.root_id).in_(allowed)) if allowed else published


async def private_roots(session: AsyncSession) -> set[uuid.UUID]:
    """Roots that keep their DIK list to their officials."""
    stmt = sa.select(col(DipPolicy.root_id)).where(col(DipPolicy.dik_public).is_(False))
    return set((await session.scalars(stmt)).all())


async def get_entry(session: AsyncSession, dik_id: uuid.UUID, *, lock: bool = False) -> DikEntry:
    stmt = sa.select(DikEntry).where(col(DikEntry.id) == dik_id)
    if lock:
        stmt = stmt.with_for_update()
    entry = (await session.scalars(stmt)).one_or_none()
    if entry is None:
        raise ProblemError(NOT_FOUND, NO_SUCH_DIK)
    return entry


async def get_for_official(
    session: AsyncSession, claims: Claims, dik_id: uuid.UUID, tree: UnitTree, *, lock: bool = False
) -> DikEntry:
    """The entry, for an official of its root; 404 to anyone else (they may not know it)."""
    entry = await get_entry(session, dik_id, lock=lock)
    if not access.is_official_of_root(claims, entry.root_id, tree):
        raise ProblemError(NOT_FOUND, NO_SUCH_DIK)
    return entry


# ---- writing -----------------------------------------------------------------------


async def _audit(
    session: AsyncSession,
    action: str,
    object_type: str,
    object_id: uuid.UUID,
    actor: Actor,
    unit_id: uuid.UUID,
    **details: Any,
) -> None:
    await write_audit(
        session,
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor.user_id,
        actor_type=actor.role,
        unit_id=unit_id,
        details=details,
    )


async def _require_free_number(
    session: AsyncSession, root_id: uuid.UUID, number: str, but: uuid.UUID | None = None
) -> None:
    stmt = sa.select(col(DikEntry.id)).where(
        col(DikEntry.root_id) == root_id, col(DikEntry.number) == number
    )
    if but is not None:
        stmt = stmt.where(col(DikEntry.id) != but)
    if (await session.scalars(stmt)).first() is not None:
        raise ProblemError(DIK_NUMBER_TAKEN, errors=[FieldError("number", DIK_NUMBER_TAKEN.title)])


def _exemption_reason(dik: DikEntry) -> str:
    return (
        f"Dikecualikan berdasarkan uji konsekuensi {dik.number} (DIK {dik.id}), "
        f"Pasal 17 huruf {dik.legal_basis_letter.value} UU 14/2008."
    )


async def _lock_dip_entry(session: AsyncSession, entry_id: uuid.UUID) -> DipEntry | None:
    stmt = sa.select(DipEntry).where(col(DipEntry.id) == entry_id).with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def _source_entry(
    session: AsyncSession,
    claims: Claims,
    body: DikEntryCreate,
    root_id: uuid.UUID,
    tree: UnitTree,
) -> DipEntry | None:
    if body.from_entry_id is None:
        return None
    source = await _lock_dip_entry(session, body.from_entry_id)
    if source is None or source.root_id != root_id:
        raise ProblemError(VALIDATION, errors=[FieldError("from_entry_id", _NO_SUCH_DIP_ENTRY)])
    access.require_editor(claims, source.unit_id, tree)  # the entry's unit, too
    if body.conclusion == Conclusion.EXEMPT and source.status in _DEAD:
        raise ProblemError(DIP_ENTRY_NOT_LIVE)
    return source


async def create(
    session: AsyncSession, claims: Claims, body: DikEntryCreate, tree: UnitTree
) -> DikEntry:
    """Record a consequence test (and its DIK entry); an exempt DIP entry leaves the DIP."""
    actor = access.require_editor(claims, body.unit_id, tree)
    root_id = tree.root_of(body.unit_id)
    fields = body.model_dump(exclude={"from_entry_id"})
    for name in LIST_FIELDS:
        fields[name] = fields[name] or []
    rules.require_valid_test(fields)
    await _require_free_number(session, root_id, body.number)
    source = await _source_entry(session, claims, body, root_id, tree)
    entry = DikEntry.model_validate(
        {
            **fields,
            "root_id": root_id,
            "dip_entry_id": None if source is None else source.id,
            "created_by": actor.user_id,
        }
    )
    entry = await add_and_refresh(session, entry)
    await _audit(
        session,
        "dik.created",
        "dik_entry",
        entry.id,
        actor,
        entry.unit_id,
        number=entry.number,
        conclusion=entry.conclusion.value,
        legal_basis_letter=entry.legal_basis_letter.value,
        dip_entry_id=None if source is None else str(source.id),
    )
    if source is not None and entry.conclusion == Conclusion.EXEMPT:
        await _withdraw_dip_entry(session, source, entry, actor)
    return entry


async def _withdraw_dip_entry(
    session: AsyncSession, source: DipEntry, dik: DikEntry, actor: Actor
) -> None:
    """DOMAIN.md 5.2: the exempted item leaves the public DIP. The feed last."""
    was = source.status
    source.status = DipStatus.WITHDRAWN
    await record_version(
        session,
        source,
        VersionAction.WITHDRAW,
        actor,
        _exemption_reason(dik),
        ["status"],
        # What opening the test restores (UU Pasal 11(2)).
        snapshot_extra={EXEMPTED_FROM: was.value, "dik_id": str(dik.id)},
        audit_extra={"cause": "dik.exempted", "dik_id": str(dik.id)},
    )
    if was == DipStatus.PUBLISHED:
        await record_public_change(session, source)  # a tombstone; last in the transaction


async def _restore_dip_entry(
    session: AsyncSession, dik: DikEntry, actor: Actor, reason: str
) -> None:
    """UU 14/2008 Pasal 11(2): opened information returns to the DIP, in the status it had
    before this test withdrew it (nothing happens if the entry changed since)."""
    if dik.dip_entry_id is None or dik.conclusion != Conclusion.EXEMPT:
        return
    source = await _lock_dip_entry(session, dik.dip_entry_id)
    if source is None or source.status != DipStatus.WITHDRAWN:
        return
    latest = (
        await session.scalars(
            sa.select(DipEntryVersion)
            .where(col(DipEntryVersion.entry_id) == source.id)
            .order_by(col(DipEntryVersion.version).desc())
            .limit(1)
        )
    ).one_or_none()
    if latest is None or latest.snapshot.get("dik_id") != str(dik.id):
        return  # changed by someone else since: leave it to the officials
    before = DipStatus(str(latest.snapshot.get(EXEMPTED_FROM, DipStatus.DRAFT.value)))
    if before in _DEAD:
        return
    source.status = before
    if before == DipStatus.PUBLISHED and source.published_at is None:
        source.published_at = datetime.now(UTC)
    action = VersionAction.PUBLISH if before == DipStatus.PUBLISHED else VersionAction.UPDATE
    text = f"Kembali ke DIP: uji konsekuensi {dik.number} (DIK {dik.id}) {reason}"
    await record_version(
        session,
        source,
        action,
        actor,
        text,
        ["status"],
        audit_extra={"cause": f"dik.{dik.status.value}", "dik_id": str(dik.id)},
    )
    if before == DipStatus.PUBLISHED:
        await record_public_change(session, source)  # an upsert; last in the transaction


def _require_active(entry: DikEntry) -> None:
    if entry.status != DikStatus.ACTIVE:
        raise ProblemError(
            DIK_INVALID_TRANSITION, _NOT_ACTIVE, extra={"status": entry.status.value}
        )


def merged_state(entry: DikEntry, changes: Mapping[str, Any]) -> dict[str, Any]:
    fields = set(DikEntryUpdate.model_fields)
    return {**{name: getattr(entry, name) for name in fields}, **changes}


async def update(
    session: AsyncSession,
    entry: DikEntry,
    body: DikEntryUpdate,
    actor: Actor,
) -> DikEntry:
    """Apply the given fields to a test in force, after the same checks as a new one."""
    _require_active(entry)
    changes = body.model_dump(exclude_unset=True)
    missing = [
        FieldError(n, _REQUIRED) for n in REQUIRED_FIELDS if n in changes and changes[n] is None
    ]
    if missing:
        raise ProblemError(VALIDATION, errors=missing)
    for name in LIST_FIELDS:
        if name in changes and changes[name] is None:
            changes[name] = []
    rules.require_valid_test(merged_state(entry, changes))
    if "number" in changes:
        await _require_free_number(session, entry.root_id, changes["number"], but=entry.id)
    for name, value in changes.items():
        setattr(entry, name, value)
    session.add(entry)
    await session.flush()
    await session.refresh(entry)
    await _audit(
        session,
        "dik.updated",
        "dik_entry",
        entry.id,
        actor,
        entry.unit_id,
        changed=sorted(changes),
    )
    return entry


async def change_status(
    session: AsyncSession, entry: DikEntry, status: DikStatus, reason: str, actor: Actor
) -> DikEntry:
    """`opened` (UU Pasal 11(2)) or `withdrawn` (recorded in error), from `active` only."""
    _require_active(entry)
    entry.status = status
    entry.status_reason = reason
    session.add(entry)
    await session.flush()
    await session.refresh(entry)
    await _audit(
        session,
        f"dik.{status.value}",
        "dik_entry",
        entry.id,
        actor,
        entry.unit_id,
        status=status.value,  # the reason stays with the entry, out of the audit log
    )
    await _restore_dip_entry(session, entry, actor, reason)
    return entry
