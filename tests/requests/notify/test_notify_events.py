"""A request's events queue the requester's email in their own transaction, and the
requests service's outbox worker delivers it over real SMTP, through outages."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from ppid_kit.outbox import drain_once
from requests_service.core.models import RequestState
from requests_service.main import create_app
from requests_service.notify.config import config_for
from requests_service.settings import RequestsSettings
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.requests.harness import AuthStack, requests_settings
from tests.requests.notify.support import in_zone, outbox_rows, rows_about, step
from tests.requests.people import BUDI, SITI, WAYAN, YOHANES, Person
from tests.requests.support import store_request
from tests.services.support import transaction
from tests.support.lifespan import in_lifespan
from tests.support.smtp import SmtpServer, settings_for

LINK_BASE = "https://ppid.kota-contoh.example/lacak"
RECEIVED_AT = in_zone(dt.date(2026, 12, 3), 10, 15)
D10 = dt.date(2026, 12, 17)


def app_settings(
    stack: AuthStack, url: str, storage: Path, smtp: SmtpServer, **overrides: Any
) -> RequestsSettings:
    values = {**settings_for(smtp), "tracking_link_base": LINK_BASE, **overrides}
    return requests_settings(stack, url, storage, **values)


async def submitted_by(engine: AsyncEngine, person: Person, **fields: Any) -> str:
    """A committed submission by `person`; its registration number."""
    async with transaction(engine) as session:
        done = await store_request(
            session, person, received_at=RECEIVED_AT, notice_due=D10, **fields
        )
    return done.number


async def wait_until(
    check: Callable[[], Any], within: float = 15.0, what: str = "condition"
) -> Any:
    deadline = time.monotonic() + within
    while not (found := await check()):
        assert time.monotonic() < deadline, f"{what} not reached in {within}s"
        await asyncio.sleep(0.05)
    return found


async def test_an_event_queues_its_email_in_the_events_transaction(engine: AsyncEngine) -> None:
    async with transaction(engine) as session:
        done = await store_request(session, SITI, received_at=RECEIVED_AT, notice_due=D10)
        # Queued, but invisible to anyone else (the worker) until the change commits.
        assert await rows_about(engine, done.number) == []
    [row] = await rows_about(engine, done.number)
    assert row.recipient == SITI.email
    assert row.status == "pending"
    assert row.subject == f"Permohonan informasi {done.number} diterima"
    assert "WIB" in row.body_text


async def test_a_rolled_back_event_queues_nothing(engine: AsyncEngine) -> None:
    numbers: list[str] = []

    async def failing_change() -> None:
        async with transaction(engine) as session:
            done = await store_request(session, BUDI, received_at=RECEIVED_AT, notice_due=D10)
            numbers.append(done.number)
            raise LookupError("the change failed after its event was recorded")

    with pytest.raises(LookupError):
        await failing_change()
    assert await rows_about(engine, numbers[0]) == []


async def test_each_later_event_queues_one_more_email(engine: AsyncEngine) -> None:
    async with transaction(engine) as session:
        done = await store_request(session, WAYAN, received_at=RECEIVED_AT, notice_due=D10)
    async with transaction(engine) as session:
        request = await step(session, done.request, "verify", RequestState.VERIFIED)
        await step(session, request, "assign", RequestState.IN_PROCESS)
    subjects = [row.subject for row in await rows_about(engine, done.number)]
    assert subjects == [
        f"Permohonan informasi {done.number} diterima",
        f"Permohonan informasi {done.number} diverifikasi",
        f"Permohonan informasi {done.number} sedang diproses",
    ]


async def test_a_requester_without_an_email_address_gets_none(engine: AsyncEngine) -> None:
    number = await submitted_by(engine, YOHANES, email=False)
    assert await rows_about(engine, number) == []


async def test_the_apps_worker_sends_the_email_and_marks_it_sent(
    auth_stack: AuthStack,
    requests_database: str,
    tmp_path: Path,
    smtp: SmtpServer,
    engine: AsyncEngine,
) -> None:
    settings = app_settings(auth_stack, requests_database, tmp_path, smtp)
    app = create_app(settings)
    async with in_lifespan(app):
        app_engine = app.state.engine
        async with AsyncSession(app_engine) as session:
            assert config_for(session).tracking_link_base == LINK_BASE
        async with transaction(app_engine) as session:
            done = await store_request(session, SITI, received_at=RECEIVED_AT, notice_due=D10)
        subject = f"Permohonan informasi {done.number} diterima"
        [mail] = await smtp.wait_for(1, subject=subject)

        async def sent() -> list[sa.Row[Any]]:
            return [row for row in await rows_about(engine, done.number) if row.status == "sent"]

        [row] = await wait_until(sent, what="the row marked sent")
    assert mail.recipients == [SITI.email]
    assert "- Diterima: Kamis, 3 Desember 2026 pukul 10.15 WIB" in mail.text
    assert f"{LINK_BASE}?nomor=" in mail.text  # the app's own link base, bound by its lifespan
    assert done.secret not in mail.text
    assert mail.html is not None
    assert (row.recipient, row.body_text, row.body_html) == (None, None, None)
    assert row.attempts == 1
    assert row.sent_at is not None


async def test_smtp_down_the_email_waits_with_back_off_and_leaves_once_it_is_back(
    auth_stack: AuthStack,
    requests_database: str,
    tmp_path: Path,
    smtp: SmtpServer,
    engine: AsyncEngine,
) -> None:
    smtp.stop()
    settings = app_settings(
        auth_stack, requests_database, tmp_path, smtp, outbox_max_attempts=10_000
    )
    async with in_lifespan(create_app(settings)):
        number = await submitted_by(engine, BUDI)

        async def retried() -> list[sa.Row[Any]]:
            return [row for row in await rows_about(engine, number) if row.attempts >= 3]

        [down] = await wait_until(retried, what="three failed attempts")
        assert down.status == "pending"
        assert down.recipient == BUDI.email
        assert down.next_attempt_at > down.created_at  # backed off, not hammering
        smtp.start()
        [mail] = await smtp.wait_for(1, to=BUDI.email)

        async def sent() -> list[sa.Row[Any]]:
            return [row for row in await rows_about(engine, number) if row.status == "sent"]

        [up] = await wait_until(sent, what="the row marked sent")
    assert mail.subject == f"Permohonan informasi {number} diterima"
    assert up.attempts > down.attempts
    assert len(smtp.to(BUDI.email)) == 1


async def test_one_pass_of_the_worker_sends_what_is_due(
    engine: AsyncEngine, smtp: SmtpServer, requests_database: str
) -> None:
    number = await submitted_by(engine, WAYAN)
    settings = RequestsSettings(database_url=requests_database, **settings_for(smtp))
    assert await drain_once(engine, settings) >= 1
    [mail] = smtp.to(WAYAN.email)
    assert mail.subject == f"Permohonan informasi {number} diterima"
    assert await outbox_rows(engine, status="pending") == []
