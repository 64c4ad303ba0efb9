"""The outbox worker: drains due messages to SMTP, with back-off, on every replica.

Each message is sent inside the transaction that locked it (`FOR UPDATE SKIP
LOCKED`), so two replicas never send the same row; a crash after sending and
before the commit sends it again (at least once, never lost).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import Enum

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from ppid_kit.background import in_background, reraise_if_cancelled
from ppid_kit.outbox import repository
from ppid_kit.outbox.models import OutboxMessage
from ppid_kit.outbox.settings import MailSettings
from ppid_kit.outbox.smtp import SERVER_DOWN, describe, is_permanent, send_email

_log = logging.getLogger("ppid_kit.outbox")
PASS_LIMIT = 100  # messages per pass: a long queue still yields to the poll sleep


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"
    GIVEN_UP = "given_up"
    SERVER_DOWN = "server_down"


def _record_failure(message: OutboxMessage, exc: Exception, settings: MailSettings) -> Outcome:
    error = describe(exc)
    attempts = message.attempts + 1
    if is_permanent(exc) or attempts >= settings.outbox_max_attempts:
        repository.mark_failed_attempt(message, error, retry_after=None)
        _log.warning(
            "outbox message given up",
            extra={"message_id": str(message.id), "attempts": attempts, "error": error},
        )
        return Outcome.GIVEN_UP
    delay = repository.backoff(
        attempts, settings.outbox_backoff_base_seconds, settings.outbox_backoff_max_seconds
    )
    repository.mark_failed_attempt(message, error, retry_after=delay)
    _log.info(
        "outbox message will be retried",
        extra={"message_id": str(message.id), "attempts": attempts, "error": error},
    )
    return Outcome.SERVER_DOWN if isinstance(exc, SERVER_DOWN) else Outcome.RETRY


async def _process_next(engine: AsyncEngine, settings: MailSettings) -> Outcome | None:
    """Lock, send and settle one due message in one transaction; None when none is due."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        message = await repository.lock_next_due(session)
        if message is None:
            return None
        try:
            await send_email(settings, message)
        except Exception as exc:  # any failure is counted, so a poison message ends as failed
            reraise_if_cancelled(exc)
            return _record_failure(message, exc, settings)
        repository.mark_sent(message)
        return Outcome.SENT


async def drain_once(engine: AsyncEngine, settings: MailSettings) -> int:
    """One pass: try each due message once (up to `PASS_LIMIT`); returns how many were sent.

    A pass stops early when the server is down: the other messages would fail the same way.
    """
    sent = 0
    for _ in range(PASS_LIMIT):
        outcome = await _process_next(engine, settings)
        if outcome is None or outcome is Outcome.SERVER_DOWN:
            break
        sent += outcome is Outcome.SENT
    return sent


async def run_worker(engine: AsyncEngine, settings: MailSettings) -> None:
    """Drain forever; a database or SMTP outage is logged and retried, never fatal."""
    while True:
        try:
            await drain_once(engine, settings)
        except Exception as exc:  # the database went away mid-pass: try again next poll
            reraise_if_cancelled(exc)
            _log.warning("outbox pass failed", extra={"error": type(exc).__name__})
        await asyncio.sleep(settings.outbox_poll_seconds)


@asynccontextmanager
async def outbox_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Runs the worker while the app runs (a hook for `create_service_app(lifespan=...)`)."""
    settings = app.state.settings
    assert isinstance(settings, MailSettings)
    async with in_background(run_worker(app.state.engine, settings), name="outbox-worker"):
        yield
