"""The sweeper: delete stored objects that no `documents` row names.

An upload writes its object before its row commits, and a failed commit or a crash
can leave the object behind; a removal deletes the row first and the object after.
Objects carry their creation minute in their keys (`documents/<YYYYMMDDTHHMMZ>/<random>`),
so only objects older than the grace period are considered: an upload whose row is not
committed yet is always younger. Undated keys are never touched.

Runs in the service's lifespan every `REGISTRY_SWEEP_INTERVAL_SECONDS`, and by hand:
`python -m registry_service.documents.sweep [--dry-run] [--grace-seconds N]`.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from ppid_kit.storage import ObjectStore
from ppid_kit.storage.sweep import delete_object, listed, past_grace, sweep_command
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from registry_service.documents.models import Document
from registry_service.documents.service import OBJECT_PREFIX
from registry_service.settings import RegistrySettings

_log = logging.getLogger(__name__)


@dataclass
class SweepReport:
    seen: int = 0
    deleted: int = 0
    named: int = 0  # a row names them
    young: int = 0  # within the grace period
    undated: int = 0  # no creation time in the key: left alone
    failed: int = 0


async def _named(engine: AsyncEngine, keys: list[str]) -> set[str]:
    stmt = sa.select(col(Document.object_key)).where(col(Document.object_key).in_(keys))
    async with engine.connect() as conn:
        return set((await conn.execute(stmt)).scalars().all())


async def sweep(
    store: ObjectStore,
    engine: AsyncEngine,
    *,
    grace: timedelta,
    now: datetime | None = None,
    dry_run: bool = False,
) -> SweepReport:
    """One pass over the stored documents; returns what it saw and did."""
    cutoff = (now or datetime.now(UTC)) - grace
    report = SweepReport()
    async for keys in listed(store, f"{OBJECT_PREFIX}/", report):
        old = [key for key in keys if past_grace(key, cutoff, report)]
        if not old:
            continue
        named = await _named(engine, old)
        report.named += len(named)
        for key in old:
            if key not in named:
                await delete_object(store, key, report, dry_run=dry_run)
    if report.deleted or report.failed:
        _log.info("sweeper removed orphan objects", extra={"sweep": asdict(report)})
    return report


def main(argv: list[str] | None = None) -> None:
    sweep_command(
        argv,
        settings=RegistrySettings,
        sweep=sweep,
        prog="python -m registry_service.documents.sweep",
        description="Delete stored objects that no document names (REGISTRY_* settings).",
        grace_help="only objects older than this (default: REGISTRY_SWEEP_GRACE_SECONDS)",
        dry_run_help="count, delete nothing",
    )


if __name__ == "__main__":
    main()
