"""Deadline reminders to the handling unit's PPID office, two working days before D10/D17
(UU Pasal 22(7)/(8)): once per deadline, safe with replicas, never about the requester.

Each test runs at its own instant (`NOW…`, months apart), so the requests other tests
left in the module's database are never inside its reminder window.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from ppid_kit.outbox import drain_once
from ppid_kit.unit_tree import UnitTree
from requests_service.calendar.clock import WorkCalendar
from requests_service.calendar.models import CalendarDay, CalendarDayKind
from requests_service.calendar.service import load_calendar
from requests_service.core.models import NoticeOutcome, RequestState
from requests_service.main import create_app
from requests_service.notify.reminders import remind_once
from requests_service.settings import RequestsSettings
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.requests.harness import DINKES_ID, ROOT_ID, AuthStack, requests_settings
from tests.requests.notify.support import in_zone, outbox_rows, rows_about, step
from tests.requests.people import BUDI, SITI, WAYAN, YOHANES, Person
from tests.requests.support import ZONE, Made, store_request
from tests.services.support import engine_for, transaction
from tests.support.lifespan import in_lifespan
from tests.support.smtp import SmtpServer, settings_for

DINKES_OFFICE = "ppid.dinkes@kota-contoh.example"
ROOT_OFFICE = "ppid.utama@kota-contoh.example"
SETTINGS = RequestsSettings(reminder_working_days=2)


def monday(year: int, month: int) -> dt.datetime:
    """09:00 WIB on the first Monday of the month: each test's own instant."""
    day = dt.date(year, month, 1)
    return in_zone(day + dt.timedelta(days=(7 - day.weekday()) % 7), 9)


async def calendar(engine: AsyncEngine) -> WorkCalendar:
    async with transaction(engine) as session:
        return await load_calendar(session, ROOT_ID, time_zone=ZONE)


async def submitted(
    engine: AsyncEngine, person: Person, now: dt.datetime, notice_due: dt.date, **fields: Any
) -> Made:
    async with transaction(engine) as session:
        received = now - dt.timedelta(days=12)
        return await store_request(
            session, person, received_at=received, notice_due=notice_due, **fields
        )


async def reminders_of(engine: AsyncEngine, request_id: uuid.UUID) -> list[sa.Row[Any]]:
    async with engine.connect() as conn:
        found = await conn.execute(
            sa.text("SELECT * FROM deadline_reminders WHERE request_id = :id ORDER BY due_date"),
            {"id": request_id},
        )
        return list(found)


def reminder_rows(rows: list[sa.Row[Any]]) -> list[sa.Row[Any]]:
    return [row for row in rows if row.subject.startswith("Pengingat")]


def without_contact(tree: UnitTree, *unit_ids: uuid.UUID) -> UnitTree:
    return UnitTree.build(
        dataclasses.replace(node, contact_email=None) if node.id in unit_ids else node
        for node in tree.nodes.values()
    )


def test_the_kit_reads_the_units_contact_address_from_auths_tree(unit_tree: UnitTree) -> None:
    assert unit_tree.node(DINKES_ID).contact_email == DINKES_OFFICE
    assert unit_tree.node(ROOT_ID).contact_email == ROOT_OFFICE
    unit_id = uuid.uuid4()
    bare = {"id": str(unit_id), "parent_id": None, "root_id": str(unit_id), "is_active": True}
    tree = UnitTree.from_json({"units": [bare]})
    assert tree.node(unit_id).contact_email is None


async def test_two_working_days_ahead_the_unit_gets_one_reminder(
    engine: AsyncEngine, unit_tree: UnitTree, smtp: SmtpServer, requests_database: str
) -> None:
    now = monday(2031, 1)
    work = await calendar(engine)
    today = now.date()
    due = await submitted(engine, SITI, now, work.add_working_days(today, 2))
    not_yet = await submitted(engine, BUDI, now, work.add_working_days(today, 3))
    answered = await submitted(engine, WAYAN, now, work.add_working_days(today, 2))
    async with transaction(engine) as session:
        await step(
            session,
            answered.request,
            "issue-notice",
            RequestState.NOTICE_SENT,
            notice_outcome=NoticeOutcome.GRANTED_FULL,
            notice_sent_at=now,
        )

    assert await remind_once(engine, SETTINGS, unit_tree, now) == 1
    assert await remind_once(engine, SETTINGS, unit_tree, now) == 0  # once
    later = now + dt.timedelta(hours=5)
    assert await remind_once(engine, SETTINGS, unit_tree, later) == 0  # still once

    [row] = reminder_rows(await rows_about(engine, due.number))
    assert row.recipient == DINKES_OFFICE
    assert reminder_rows(await rows_about(engine, not_yet.number)) == []
    assert reminder_rows(await rows_about(engine, answered.number)) == []
    [record] = await reminders_of(engine, due.request.id)
    assert (record.kind, record.due_date) == ("notice", due.request.notice_due)
    assert (record.unit_id, record.addressed_unit_id) == (DINKES_ID, DINKES_ID)

    await drain_once(engine, RequestsSettings(**settings_for(smtp)))
    [mail] = smtp.to(DINKES_OFFICE)
    assert mail.subject == (
        f"Pengingat: pemberitahuan tertulis permohonan {due.number} jatuh tempo"
    )
    assert due.request.notice_due == dt.date(2031, 1, 8)
    deadline = "Rabu, 8 Januari 2031 pukul 24.00 WIB"
    assert mail.text.startswith("Yth. PPID Dinas Kesehatan,\n")
    assert f"tinggal 2 hari kerja lagi ({deadline})" in mail.text
    assert "UU 14/2008 Pasal 22 ayat (7)" in mail.text
    assert "dapat diperpanjang satu kali" in mail.text
    for value in (*SITI.secrets, SITI.name, SITI.email, due.secret):
        assert value not in mail.text


async def test_the_extended_deadline_gets_its_own_reminder(
    engine: AsyncEngine, unit_tree: UnitTree
) -> None:
    first = monday(2031, 3)
    work = await calendar(engine)
    d10 = work.add_working_days(first.date(), 2)
    done = await submitted(engine, YOHANES, first, d10)
    assert await remind_once(engine, SETTINGS, unit_tree, first) == 1
    d17 = work.add_working_days(d10, 7)
    async with transaction(engine) as session:
        await step(
            session,
            done.request,
            "extend",
            RequestState.EXTENDED,
            note="Informasi tersimpan di arsip inaktif",
            extended_due=d17,
            extension_reason="Informasi tersimpan di arsip inaktif",
        )
    before = in_zone(work.subtract_working_days(d17, 3), 9)
    assert await remind_once(engine, SETTINGS, unit_tree, before) == 0
    second = in_zone(work.subtract_working_days(d17, 2), 9)
    assert await remind_once(engine, SETTINGS, unit_tree, second) == 1
    assert await remind_once(engine, SETTINGS, unit_tree, second) == 0
    kinds = [(row.kind, row.due_date) for row in await reminders_of(engine, done.request.id)]
    assert kinds == [("notice", d10), ("extended_notice", d17)]
    [_, extended] = reminder_rows(await rows_about(engine, done.number))
    assert "Pasal 22 ayat (8)" in extended.body_text
    assert "tidak dapat diperpanjang lagi" in extended.body_text


async def test_the_reminder_day_counts_working_days_on_the_roots_calendar(
    engine: AsyncEngine, unit_tree: UnitTree
) -> None:
    now = monday(2031, 5)  # Monday; Tuesday closed; due Thursday: two working days ahead
    tuesday, thursday = now.date() + dt.timedelta(days=1), now.date() + dt.timedelta(days=3)
    async with transaction(engine) as session:
        session.add(
            CalendarDay(
                root_id=ROOT_ID,
                date=tuesday,
                name="Hari libur uji",
                kind=CalendarDayKind.PUBLIC_HOLIDAY,
                source="test",
            )
        )
    done = await submitted(engine, BUDI, now, thursday)
    assert await remind_once(engine, SETTINGS, unit_tree, now - dt.timedelta(days=3)) == 0
    assert await remind_once(engine, SETTINGS, unit_tree, now) == 1
    [row] = reminder_rows(await rows_about(engine, done.number))
    assert "tinggal 2 hari kerja lagi" in row.body_text


async def test_without_the_units_address_the_roots_gets_it_and_without_both_none(
    engine: AsyncEngine, unit_tree: UnitTree, caplog: pytest.LogCaptureFixture
) -> None:
    now = monday(2031, 7)
    work = await calendar(engine)
    due = work.add_working_days(now.date(), 2)
    to_root = await submitted(engine, SITI, now, due)
    assert await remind_once(engine, SETTINGS, without_contact(unit_tree, DINKES_ID), now) == 1
    [row] = reminder_rows(await rows_about(engine, to_root.number))
    assert row.recipient == ROOT_OFFICE
    [record] = await reminders_of(engine, to_root.request.id)
    assert record.addressed_unit_id == ROOT_ID

    nowhere = await submitted(engine, WAYAN, now, due)
    caplog.set_level(logging.WARNING, logger="requests_service.notify.reminders")
    bare_tree = without_contact(unit_tree, DINKES_ID, ROOT_ID)
    assert await remind_once(engine, SETTINGS, bare_tree, now) == 0
    assert reminder_rows(await rows_about(engine, nowhere.number)) == []
    assert await reminders_of(engine, nowhere.request.id) == []  # tried again next pass
    [skipped] = [r for r in caplog.records if "no PPID contact address" in r.getMessage()]
    assert getattr(skipped, "request_id", None) == str(nowhere.request.id)
    assert await remind_once(engine, SETTINGS, unit_tree, now) == 1  # the address came back


async def test_replicas_side_by_side_send_each_reminder_once(
    requests_database: str, unit_tree: UnitTree, engine: AsyncEngine
) -> None:
    now = monday(2031, 9)
    work = await calendar(engine)
    done = [
        await submitted(engine, person, now, work.add_working_days(now.date(), 2))
        for person in (SITI, BUDI, WAYAN, YOHANES)
    ]
    async with engine_for(requests_database) as a, engine_for(requests_database) as b:
        counts = await asyncio.gather(
            *(remind_once(e, SETTINGS, unit_tree, now) for e in (a, b, a, b))
        )
    assert sum(counts) == 4
    for submission in done:
        assert len(reminder_rows(await rows_about(engine, submission.number))) == 1


async def test_the_apps_worker_reminds_on_its_own(
    auth_stack: AuthStack,
    requests_database: str,
    tmp_path: Path,
    smtp: SmtpServer,
    engine: AsyncEngine,
) -> None:
    """The worker in the lifespan, with auth's tree fetched by the app and the real clock."""
    now = dt.datetime.now(dt.UTC)
    work = await calendar(engine)
    today = now.astimezone(work.zone).date()
    done = await submitted(engine, YOHANES, now, work.add_working_days(today, 1))
    settings = requests_settings(
        auth_stack,
        requests_database,
        tmp_path,
        **settings_for(smtp),
        reminder_interval_seconds=0.2,
    )
    async with in_lifespan(create_app(settings)):
        subject = f"Pengingat: pemberitahuan tertulis permohonan {done.number} jatuh tempo"
        [mail] = await smtp.wait_for(1, subject=subject, within=20)
        await asyncio.sleep(0.6)  # a few more passes: still one
    assert mail.recipients == [DINKES_OFFICE]
    assert "tinggal 1 hari kerja lagi" in mail.text
    assert len([m for m in smtp.messages if m.subject == subject]) == 1
    assert await outbox_rows(engine, subject=subject, status="sent") != []
