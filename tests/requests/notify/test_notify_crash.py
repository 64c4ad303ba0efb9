"""A crash between commit and send loses nothing (ARCHITECTURE.md data flow 3).

The requests service runs as a real process. With the SMTP server down, events
commit and their emails wait in the outbox; the process is killed (SIGKILL: no
shutdown, no flush); with SMTP back, a new process delivers each email exactly as
it was queued, and once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from requests_service.core.models import RequestState
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.requests.harness import AuthStack
from tests.requests.notify.support import in_zone, rows_about, step
from tests.requests.people import BUDI, SITI
from tests.requests.support import store_request
from tests.services.support import engine_for, transaction
from tests.support.procs import free_port, running, uvicorn_cmd
from tests.support.smtp import SmtpServer

RECEIVED_AT = in_zone(dt.date(2026, 12, 3), 10, 15)
D10 = dt.date(2026, 12, 17)


def service_env(
    stack: AuthStack, database_url: str, smtp: SmtpServer, storage: Path
) -> dict[str, str]:
    return stack.env_for(
        "REQUESTS_",
        database_url,
        storage_dir=storage,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_timeout_seconds=5,
        outbox_poll_seconds=0.05,
        outbox_backoff_base_seconds=0.05,
        outbox_backoff_max_seconds=0.5,
        outbox_max_attempts=10000,
        reminder_interval_seconds=0,
    )


async def pending_tried(engine: AsyncEngine, numbers: list[str]) -> list[sa.Row[Any]]:
    """The queued rows of `numbers`, once the process has tried (and failed) each of them."""
    deadline = time.monotonic() + 20
    while True:
        rows = [row for number in numbers for row in await rows_about(engine, number)]
        if rows and all(row.attempts >= 1 for row in rows):
            return rows
        assert time.monotonic() < deadline, f"the process never tried to send: {rows}"
        await asyncio.sleep(0.05)


async def test_a_killed_process_loses_no_email(
    auth_stack: AuthStack, requests_database: str, tmp_path: Path
) -> None:
    smtp = SmtpServer()  # not started: the outage
    env = service_env(auth_stack, requests_database, smtp, tmp_path)
    port = free_port()
    cmd = uvicorn_cmd("requests_service.main:create_app", port)
    async with engine_for(requests_database) as engine:
        with running(cmd, port=port, env=env, name="requests-crash-1") as first:
            async with transaction(engine) as session:
                siti = await store_request(session, SITI, received_at=RECEIVED_AT, notice_due=D10)
                budi = await store_request(session, BUDI, received_at=RECEIVED_AT, notice_due=D10)
            async with transaction(engine) as session:
                await step(session, siti.request, "verify", RequestState.VERIFIED)
            queued = await pending_tried(engine, [siti.number, budi.number])
            os.kill(first.pid, signal.SIGKILL)
            first.popen.wait(10)
        assert first.popen.returncode == -signal.SIGKILL
        after_crash = [
            row for n in (siti.number, budi.number) for row in await rows_about(engine, n)
        ]
        assert {(row.id, row.status) for row in after_crash} == {
            (row.id, "pending") for row in queued
        }
        assert len(queued) == 3

        smtp.start()
        try:
            port = free_port()
            cmd = uvicorn_cmd("requests_service.main:create_app", port)
            with running(cmd, port=port, env=env, name="requests-crash-2"):
                await smtp.wait_for(3, within=20)
                await asyncio.sleep(0.5)  # more polls: nothing is sent twice
            sent = {
                row.id: row
                for n in (siti.number, budi.number)
                for row in await rows_about(engine, n)
            }
        finally:
            smtp.stop()
    assert len(smtp.messages) == 3
    for row in queued:
        [mail] = [m for m in smtp.messages if m.subject == row.subject]
        assert mail.recipients == [row.recipient]
        assert mail.text == row.body_text  # exactly as queued
        assert mail.html == row.body_html
        assert sent[row.id].status == "sent"
