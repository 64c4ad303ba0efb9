"""What every service's object sweeper shares; the service says which keys its rows name.

Objects carry their creation minute in their keys (`generate_dated_key`), so an object
no row names is released only once older than the grace period: an upload whose row is
not committed yet is always younger, and undated keys are never released for their age.
A service's pass (`Sweep`) lists its prefix with `listed`, asks its rows, and releases
with `delete_object`; this module runs it every `sweep_interval_seconds` in the app's
lifespan (`storage_lifespan`) and by hand (`sweep_command`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from ppid_kit.background import in_background, reraise_if_cancelled
from ppid_kit.db import create_engine
from ppid_kit.settings import ServiceSettings
from ppid_kit.storage.base import ObjectStore, key_created_at
from ppid_kit.storage.factory import make_store
from ppid_kit.storage.s3 import S3Store
from ppid_kit.storage.settings import StorageSettings

_log = logging.getLogger(__name__)
BATCH = 500  # keys looked up in one query


class SweepCounts(Protocol):
    """A pass's report (a dataclass): the counts this module keeps, and the service's own."""

    __dataclass_fields__: ClassVar[dict[str, Any]]
    seen: int  # objects listed
    deleted: int  # objects removed (counted only, on a dry run)
    young: int  # within the grace period
    undated: int  # no creation time in the key: left alone
    failed: int


class Sweep(Protocol):
    """One pass over a store: `sweep(store, engine, grace=…, dry_run=…)`."""

    def __call__(
        self, store: ObjectStore, engine: AsyncEngine, *, grace: timedelta, dry_run: bool = ...
    ) -> Awaitable[SweepCounts]: ...


async def listed(store: ObjectStore, prefix: str, report: SweepCounts) -> AsyncIterator[list[str]]:
    """The keys under `prefix`, counted as seen, in batches of `BATCH`."""
    batch: list[str] = []
    async for key in store.list_keys(prefix):
        report.seen += 1
        batch.append(key)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def past_grace(key: str, cutoff: datetime, report: SweepCounts) -> bool:
    """Whether `key` was made by `cutoff` (the end of the grace period); counts the
    undated and the young ones, which are not."""
    created = key_created_at(key)
    if created is None:
        report.undated += 1
        return False
    if created > cutoff:
        report.young += 1
        return False
    return True


async def delete_object(
    store: ObjectStore, key: str, report: SweepCounts, *, dry_run: bool
) -> None:
    """Delete `key` (a dry run only counts it); a failure is counted and logged."""
    if dry_run:
        report.deleted += 1
        return
    try:
        await store.delete(key)
    except Exception as exc:
        reraise_if_cancelled(exc)
        report.failed += 1
        _log.exception("sweeper could not delete %s", key)
    else:
        report.deleted += 1


async def sweep_forever(
    sweep: Sweep, store: ObjectStore, engine: AsyncEngine, *, interval: float, grace: timedelta
) -> None:
    """Sweep every `interval` seconds until cancelled; a failed pass is logged, never fatal."""
    while True:
        await asyncio.sleep(interval)
        try:
            await sweep(store, engine, grace=grace)
        except Exception as exc:
            reraise_if_cancelled(exc)
            _log.exception("sweeper pass failed")


@asynccontextmanager
async def storage_lifespan(
    app: FastAPI, settings: StorageSettings, sweep: Sweep, *, name: str
) -> AsyncIterator[ObjectStore]:
    """`app.state.store` (local folder or S3 bucket) and, unless `sweep_interval_seconds`
    is 0, `sweep` as the background task `name` on every replica (two passes side by side
    are harmless)."""
    store = make_store(settings)
    if isinstance(store, S3Store):
        try:
            await store.ensure_bucket()
        except Exception as exc:
            # Storage down must not take the service down: only uploads and downloads need
            # it, and they answer 503 until it is back (and the bucket exists).
            _log.warning("object storage unreachable at startup: %s", type(exc).__name__)
    app.state.store = store
    if settings.sweep_interval_seconds <= 0:
        yield store
        return
    sweeper = sweep_forever(
        sweep,
        store,
        app.state.engine,
        interval=settings.sweep_interval_seconds,
        grace=timedelta(seconds=settings.sweep_grace_seconds),
    )
    async with in_background(sweeper, name=name):
        yield store


async def _sweep_once(
    settings: Callable[[], StorageSettings], sweep: Sweep, args: argparse.Namespace
) -> SweepCounts:
    config = settings()
    assert isinstance(config, ServiceSettings)
    store = make_store(config)
    engine = create_engine(config.database_url, pool_size=1)
    grace = args.grace_seconds if args.grace_seconds is not None else config.sweep_grace_seconds
    try:
        return await sweep(store, engine, grace=timedelta(seconds=grace), dry_run=args.dry_run)
    finally:
        await engine.dispose()


def sweep_command(
    argv: list[str] | None,
    *,
    settings: Callable[[], StorageSettings],
    sweep: Sweep,
    prog: str,
    description: str,
    grace_help: str,
    dry_run_help: str,
) -> None:
    """`python -m <prog> [--dry-run] [--grace-seconds N]`: one pass with the service's
    settings; prints its report as one JSON line."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--grace-seconds", type=int, default=None, help=grace_help)
    parser.add_argument("--dry-run", action="store_true", help=dry_run_help)
    args = parser.parse_args(argv)
    report = asyncio.run(_sweep_once(settings, sweep, args))
    print(json.dumps({"dry_run": args.dry_run, **asdict(report)}))
