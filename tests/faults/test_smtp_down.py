"""SMTP down (issue 7, fault tests): mail waits in the outbox and goes out once the
server is back on the port.

The requests app (in-process, its outbox worker running) sends to a port where no SMTP
server listens yet. Protection under test: mail is written to the outbox in the
submission's transaction and the worker keeps it pending, with its attempts counted,
until a send succeeds.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.requests.harness import AuthStack, requests_settings, serve_requests
from tests.requests.notify.support import rows_about
from tests.requests.people import SITI
from tests.requests.support import form, submit
from tests.services.support import engine_for
from tests.support.smtp import SmtpServer, settings_for


async def tried_twice(engine: AsyncEngine, number: str) -> list[sa.Row[Any]]:
    """The outbox rows about `number` once each has failed at least twice."""
    deadline = time.monotonic() + 15
    while True:
        rows = await rows_about(engine, number)
        assert all(row.status == "pending" for row in rows), rows  # kept, not given up
        if rows and all(row.attempts >= 2 for row in rows):
            return rows
        assert time.monotonic() < deadline, f"the worker never retried: {rows}"
        await asyncio.sleep(0.05)


async def test_mail_waits_in_the_outbox_until_smtp_returns(
    auth_stack: AuthStack, faults_database: str, tmp_path: Path
) -> None:
    smtp = SmtpServer()  # its port is chosen, nothing listens there yet: the outage
    mail = {**settings_for(smtp), "outbox_max_attempts": 1000}
    settings = requests_settings(auth_stack, faults_database, tmp_path, **mail)
    async with engine_for(faults_database) as engine, serve_requests(settings) as client:
        made = await submit(client, form(SITI), {"Idempotency-Key": "faults-smtp-down-1"})
        number = str(made["registration_number"])
        waiting = await tried_twice(engine, number)

        smtp.start()
        try:
            received = await smtp.wait_for(len(waiting), within=10)
            deadline = time.monotonic() + 5
            while {row.status for row in await rows_about(engine, number)} != {"sent"}:
                assert time.monotonic() < deadline, "the outbox never marked its mail sent"
                await asyncio.sleep(0.05)
        finally:
            smtp.stop()
    assert sorted(m.subject for m in received) == sorted(row.subject for row in waiting)
    assert all(m.recipients == [SITI.email] for m in received)
