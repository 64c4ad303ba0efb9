"""The files' sweeper: retention of identity scans, and objects no live row names.

1. Retention (DOMAIN.md 17 rules 1 and 4): identity evidence (KTP and deed scans,
   powers of attorney) older than the root's `RequestPolicy.scan_retention_days` (30
   without a row) is marked deleted, verified or not, and its object removed. The rows
   stay as the record; the register keeps its own rows far longer.
2. Objects: every key under `request-files/` is checked against the rows. A live row
   keeps its object; a row marked deleted (a removal or a verification whose own
   deletion failed or crashed) releases it at once; no row at all (an upload whose row
   never committed) releases it once older than the grace period, read from the key's
   creation minute, so an upload in flight is never touched. Undated keys stay.

Runs in the service's lifespan every `REQUESTS_SWEEP_INTERVAL_SECONDS`, and by hand:
`python -m requests_service.files.sweep [--dry-run] [--grace-seconds N]`.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from ppid_kit.audit import write_audit
from ppid_kit.storage import ObjectStore
from ppid_kit.storage.sweep import delete_object, listed, past_grace, sweep_command
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from requests_service.core.models import (
    IDENTITY_FILE_KINDS,
    ActorType,
    InformationRequest,
    RequestFile,
    RequestPolicy,
)
from requests_service.files.service import OBJECT_PREFIX, transaction
from requests_service.settings import RequestsSettings

_log = logging.getLogger(__name__)
BATCH = 500  # expired files marked deleted in one transaction
DEFAULT_RETENTION_DAYS: int = RequestPolicy.model_fields["scan_retention_days"].default


@dataclass
class SweepReport:
    expired: int = 0  # identity files past their root's retention, marked deleted
    seen: int = 0  # objects listed
    deleted: int = 0  # objects removed
    live: int = 0  # a live row names them
    young: int = 0  # no row, within the grace period
    undated: int = 0  # no row, no creation time in the key: left alone
    failed: int = 0


def _expired_scans(now: datetime) -> sa.Select[RequestFile, InformationRequest]:
    days = sa.func.coalesce(col(RequestPolicy.scan_retention_days), DEFAULT_RETENTION_DAYS)
    cutoff = sa.literal(now, sa.DateTime(timezone=True)) - sa.func.make_interval(0, 0, 0, days)
    return (
        sa.select(RequestFile, InformationRequest)
        .join(InformationRequest, col(InformationRequest.id) == col(RequestFile.request_id))
        .outerjoin(RequestPolicy, col(RequestPolicy.root_id) == col(InformationRequest.root_id))
        .where(col(RequestFile.kind).in_(IDENTITY_FILE_KINDS))
        .where(col(RequestFile.deleted_at).is_(None))
        .where(col(RequestFile.created_at) < cutoff)
        .order_by(col(RequestFile.created_at), col(RequestFile.id))
        .limit(BATCH)
    )


async def _expire_batch(engine: AsyncEngine, now: datetime) -> list[str]:
    """Mark one batch of expired identity files deleted (audited); their object keys."""
    stmt = _expired_scans(now).with_for_update(of=RequestFile, skip_locked=True)
    async with transaction(engine) as session:
        rows = (await session.execute(stmt)).all()
        for file, owner in rows:
            file.deleted_at = now
            session.add(file)
            await write_audit(
                session,
                action="request.identity_file.expire",
                object_type="request_file",
                object_id=file.id,
                actor_type=ActorType.SYSTEM.value,
                unit_id=owner.unit_id,
                details={"request_id": str(file.request_id), "kind": file.kind.value},
            )
    return [file.storage_key for file, _ in rows]


async def expire_scans(
    store: ObjectStore, engine: AsyncEngine, report: SweepReport, *, now: datetime, dry_run: bool
) -> None:
    """Retention: identity evidence past the root's `scan_retention_days` goes."""
    if dry_run:
        counted = sa.select(sa.func.count()).select_from(_expired_scans(now).limit(None).subquery())
        async with engine.connect() as conn:
            report.expired += (await conn.execute(counted)).scalar_one()
        return
    while keys := await _expire_batch(engine, now):
        report.expired += len(keys)
        for key in keys:  # committed: no live row names them any more
            await delete_object(store, key, report, dry_run=False)
        if len(keys) < BATCH:
            return


async def _rows_of(engine: AsyncEngine, keys: list[str]) -> dict[str, bool]:
    """Which keys rows name, and whether that row is live."""
    stmt = sa.select(col(RequestFile.storage_key), col(RequestFile.deleted_at)).where(
        col(RequestFile.storage_key).in_(keys)
    )
    async with engine.connect() as conn:
        return {key: deleted is None for key, deleted in (await conn.execute(stmt)).all()}


async def release_objects(
    store: ObjectStore,
    engine: AsyncEngine,
    report: SweepReport,
    *,
    cutoff: datetime,
    dry_run: bool,
) -> None:
    """Objects of rows marked deleted, and old enough objects no row names, go."""
    async for keys in listed(store, f"{OBJECT_PREFIX}/", report):
        rows = await _rows_of(engine, keys)
        for key in keys:
            if rows.get(key) is True:
                report.live += 1
            elif key in rows or past_grace(key, cutoff, report):
                await delete_object(store, key, report, dry_run=dry_run)


async def sweep(
    store: ObjectStore,
    engine: AsyncEngine,
    *,
    grace: timedelta,
    now: datetime | None = None,
    dry_run: bool = False,
) -> SweepReport:
    """One pass: retention first, then the objects; returns what it saw and did."""
    moment = now or datetime.now(UTC)
    report = SweepReport()
    await expire_scans(store, engine, report, now=moment, dry_run=dry_run)
    await release_objects(store, engine, report, cutoff=moment - grace, dry_run=dry_run)
    if report.expired or report.deleted or report.failed:
        _log.info("files sweeper pass", extra={"sweep": asdict(report)})
    return report


def main(argv: list[str] | None = None) -> None:
    sweep_command(
        argv,
        settings=RequestsSettings,
        sweep=sweep,
        prog="python -m requests_service.files.sweep",
        description="Expire identity scans past retention and delete objects no live "
        "file names (REQUESTS_* settings).",
        grace_help="orphans only when older than this (default: REQUESTS_SWEEP_GRACE_SECONDS)",
        dry_run_help="count, change nothing",
    )


if __name__ == "__main__":
    main()
