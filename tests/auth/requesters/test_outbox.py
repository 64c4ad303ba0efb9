"""The outbox against a real SMTP server and real PostgreSQL: delivery, outages, replicas."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from auth_service.main import create_app
from ppid_kit.db import create_engine
from ppid_kit.outbox import drain_once, enqueue_email
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.auth.requesters.support import auth_settings, execute, fetch, private_suffix
from tests.services.support import database_session, serve
from tests.support.smtp import SmtpServer
from tools import devdb

SELECT_BY_SUBJECT = "SELECT * FROM outbox_messages WHERE subject = :s"


@pytest.fixture(autouse=True)
async def no_leftovers(database_url: str) -> None:
    """Each test sees only its own pending messages (passes and counts stay exact)."""
    await execute(database_url, "DELETE FROM outbox_messages WHERE status = 'pending'")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def enqueue(database_url: str, to: str, subject: str) -> None:
    async with database_session(database_url) as session:
        await enqueue_email(
            session, to=to, subject=subject, text="Halo.\n\nHello.", html="<p>Halo.</p>"
        )


async def row(database_url: str, subject: str) -> sa.Row[Any]:
    [found] = await fetch(database_url, SELECT_BY_SUBJECT, s=subject)
    return found


async def wait_row(
    database_url: str, subject: str, done: Callable[[sa.Row[Any]], bool], within: float = 10
) -> sa.Row[Any]:
    deadline = time.monotonic() + within
    while not done(found := await row(database_url, subject)):
        assert time.monotonic() < deadline, f"outbox row never got there: {found}"
        await asyncio.sleep(0.05)
    return found


def assert_blanked(found: sa.Row[Any], status: str) -> None:
    """Only bookkeeping is left: DOMAIN.md 17, personal data kept no longer than needed."""
    assert found.status == status
    assert (found.recipient, found.body_text, found.body_html) == (None, None, None)


async def test_the_worker_in_the_app_delivers_then_blanks_the_message(
    database_url: str, smtp: SmtpServer
) -> None:
    to, subject = f"{unique('warga')}@example.id", unique("Uji kirim")
    async with serve(create_app(auth_settings(database_url, smtp))):
        await enqueue(database_url, to, subject)
        [mail] = await smtp.wait_for(1, to=to)
        found = await wait_row(database_url, subject, lambda r: r.status != "pending")
    assert mail.subject == subject
    assert mail.text.strip() == "Halo.\n\nHello."
    assert mail.html is not None
    assert "<p>Halo.</p>" in mail.html
    assert mail.message["From"] == "PPID Terbuka <noreply@terbuka.invalid>"
    assert_blanked(found, "sent")
    assert found.attempts == 1
    assert found.sent_at is not None
    assert found.last_error is None


async def test_a_rolled_back_change_sends_nothing(database_url: str, smtp: SmtpServer) -> None:
    subject = unique("Batal")

    async def failing_change() -> None:
        async with database_session(database_url) as session:
            await enqueue_email(session, to="warga@example.id", subject=subject, text="x")
            raise LookupError("the change that caused the email failed")

    with pytest.raises(LookupError):
        await failing_change()
    engine = create_engine(database_url, pool_size=1)
    try:
        await drain_once(engine, auth_settings(database_url, smtp))
    finally:
        await engine.dispose()
    assert await fetch(database_url, SELECT_BY_SUBJECT, s=subject) == []
    assert [mail for mail in smtp.messages if mail.subject == subject] == []


async def test_an_smtp_outage_keeps_the_message_pending_until_the_server_is_back(
    database_url: str, smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ppid_kit.outbox")
    to, subject = f"{unique('sabar')}@example.id", unique("Gangguan")
    smtp.stop()
    settings = auth_settings(database_url, smtp, outbox_max_attempts=10_000)
    async with serve(create_app(settings)):
        await enqueue(database_url, to, subject)
        down = await wait_row(database_url, subject, lambda r: r.attempts >= 3)
        assert down.status == "pending"
        assert down.recipient == to
        assert down.last_error is not None
        assert "@" not in down.last_error
        assert down.next_attempt_at > down.created_at  # backed off, not hammering
        smtp.start()
        [mail] = await smtp.wait_for(1, to=to)
        up = await wait_row(database_url, subject, lambda r: r.status == "sent")
    assert mail.subject == subject
    assert_blanked(up, "sent")
    assert up.attempts > down.attempts
    assert to not in caplog.text  # the retries were logged without the address
    assert "will be retried" in caplog.text


async def test_a_message_is_given_up_after_the_last_attempt_and_blanked(
    database_url: str, smtp: SmtpServer
) -> None:
    subject = unique("Menyerah")
    smtp.stop()
    settings = auth_settings(database_url, smtp, outbox_max_attempts=3)
    await enqueue(database_url, f"{unique('x')}@example.id", subject)
    engine = create_engine(database_url, pool_size=1)
    try:
        for _ in range(3):
            await drain_once(engine, settings)
            await asyncio.sleep(0.6)  # past the longest back-off of these settings
    finally:
        await engine.dispose()
    found = await row(database_url, subject)
    assert_blanked(found, "failed")
    assert found.attempts == 3
    assert found.last_error is not None


async def test_a_permanent_refusal_fails_at_once_without_the_address_in_the_error(
    database_url: str, smtp: SmtpServer
) -> None:
    to, subject = f"{unique('tidak-ada')}@example.id", unique("Ditolak")
    smtp.refuse = lambda address: address == to  # 550 quoting the address, like real servers
    await enqueue(database_url, to, subject)
    engine = create_engine(database_url, pool_size=1)
    try:
        await drain_once(engine, auth_settings(database_url, smtp))
    finally:
        await engine.dispose()
    found = await row(database_url, subject)
    assert_blanked(found, "failed")
    assert found.attempts == 1
    assert found.last_error == "SMTPRecipientsRefused 550"


async def test_two_replicas_send_each_message_exactly_once(
    database_url: str, smtp: SmtpServer
) -> None:
    batch = unique("Replika")
    recipients = {f"{batch}-{n}@example.id" for n in range(30)}
    async with database_session(database_url) as session:
        for to in recipients:
            await enqueue_email(session, to=to, subject=batch, text="x")
    settings = auth_settings(database_url, smtp)
    engines = [create_engine(database_url, pool_size=2) for _ in range(2)]
    try:
        sent = await asyncio.gather(*(drain_once(engine, settings) for engine in engines))
    finally:
        for engine in engines:
            await engine.dispose()
    delivered = [mail.recipients[0] for mail in smtp.messages if mail.subject == batch]
    assert sum(sent) == 30
    assert sorted(delivered) == sorted(recipients)  # none twice, none missing


async def test_the_worker_survives_a_database_outage(
    pg_server: devdb.Server,
    migrated_database: Callable[..., str],
    smtp: SmtpServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The worker starts while its database does not exist yet, and delivers once it does."""
    caplog.set_level(logging.WARNING, logger="ppid_kit.outbox")
    suffix = private_suffix("outage")
    name = f"terbuka_test_auth{suffix}"
    url = pg_server.database_url(name)
    await asyncio.to_thread(devdb.drop_database, pg_server, name)
    try:
        async with serve(create_app(auth_settings(url, smtp))):
            deadline = time.monotonic() + 15
            while "outbox pass failed" not in caplog.text:
                assert time.monotonic() < deadline, "the worker never met the outage"
                await asyncio.sleep(0.05)
            assert await asyncio.to_thread(migrated_database, "auth", suffix=suffix) == url
            to = f"{unique('kembali')}@example.id"
            await enqueue(url, to, unique("Pulih"))
            [mail] = await smtp.wait_for(1, to=to)
    finally:
        await asyncio.to_thread(devdb.drop_database, pg_server, name)
    assert mail.recipients == [to]


async def test_enqueue_uses_the_callers_transaction(database_url: str) -> None:
    """Not visible to others until the caller commits (what makes the outbox safe)."""
    subject = unique("Transaksi")
    engine = create_engine(database_url, pool_size=2)
    try:
        async with AsyncSession(engine) as writer, writer.begin():
            await enqueue_email(writer, to="warga@example.id", subject=subject, text="x")
            assert await fetch(database_url, SELECT_BY_SUBJECT, s=subject) == []
        assert len(await fetch(database_url, SELECT_BY_SUBJECT, s=subject)) == 1
    finally:
        await engine.dispose()
