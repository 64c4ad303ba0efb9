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

import argparse
import asyncio
import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from ppid_kit.background import reraise_if_cancelled
from ppid_kit.db import create_engine
from ppid_kit.storage import ObjectStore, key_created_at, make_store
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from registry_service.documents.models import Document
from registry_service.documents.service import OBJECT_PREFIX
from registry_service.settings import RegistrySettings

_log = logging.getLogger(__name__)
BATCH = 500


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
    batch: list[str] = []

    async def settle(keys: list[str]) -> None:
        named = await _named(engine, keys)
        report.named += len(named)
        for key in keys:
            if key in named:
                continue
            if dry_run:
                report.deleted += 1
                continue
            try:
                await store.delete(key)
            except Exception as exc:
                reraise_if_cancelled(exc)
                report.failed += 1
                _log.exception("sweeper could not delete %s", key)
            else:
                report.deleted += 1

    async for key in store.list_keys(f"{OBJECT_PREFIX}/"):
        report.seen += 1
        created = key_created_at(key)
        if created is None:
            report.undated += 1
        elif created > cutoff:
            report.young += 1
        else:
            batch.append(key)
            if len(batch) >= BATCH:
                await settle(batch)
                batch = []
    if batch:
        await settle(batch)
    if report.deleted or report.failed:
        _log.info("sweeper removed orphan objects", extra={"sweep": asdict(report)})
    return report


async def sweep_forever(
    store: ObjectStore, engine: AsyncEngine, *, interval: float, grace: timedelta
) -> None:
    """Sweep every `interval` seconds until cancelled; a failed pass is logged, never fatal."""
    while True:
        await asyncio.sleep(interval)
        try:
            await sweep(store, engine, grace=grace)
        except Exception as exc:
            reraise_if_cancelled(exc)
            _log.exception("sweeper pass failed")


async def _main(args: argparse.Namespace) -> SweepReport:
    settings = RegistrySettings()
    store = make_store(settings)
    engine = create_engine(settings.database_url, pool_size=1)
    grace = args.grace_seconds if args.grace_seconds is not None else settings.sweep_grace_seconds
    try:
        return await sweep(store, engine, grace=timedelta(seconds=grace), dry_run=args.dry_run)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m registry_service.documents.sweep",
        description="Delete stored objects that no document names (REGISTRY_* settings).",
    )
    parser.add_argument(
        "--grace-seconds",
        type=int,
        default=None,
        help="only objects older than this (default: REGISTRY_SWEEP_GRACE_SECONDS)",
    )
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    report = asyncio.run(_main(args))
    print(json.dumps({"dry_run": args.dry_run, **asdict(report)}))


if __name__ == "__main__":
    main()
