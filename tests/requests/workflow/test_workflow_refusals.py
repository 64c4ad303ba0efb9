"""Refusals on a Pasal 17 ground (DOMAIN.md 8.5) checked against a real registry process.

The consequence test is a DIK entry created through the registry's API by the demo PPID
Pelaksana; an unknown entry, another root's, another ground's, or none at all is refused
(422), and with the registry stopped the refusal cannot be checked (503). The decree's
number comes from a gap-free counter: refused attempts do not use numbers up.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from registry_service.dik.models import DikEntry
from requests_service.calendar.clock import WorkCalendar
from requests_service.core.models import RequestState

from tests.registry.dik.support import dik_body
from tests.requests.harness import (
    ROOT_ID,
    AuthStack,
    Minter,
    official,
    requests_settings,
    serve_requests,
)
from tests.requests.people import WAYAN
from tests.requests.support import ZONE, Json, make_request, pdf_text
from tests.requests.workflow.registry import app_with_registry, registry_fixtures, registry_process
from tests.requests.workflow.support import act, ok, problem, snapshot
from tests.services.support import database_session
from tests.support.procs import Proc

PUBLIC_SUMMARY = "Berkas penyelidikan yang sedang disidik."


registry_database, registry = registry_fixtures("_for_workflow")


client = app_with_registry()


@pytest.fixture(scope="module")
def dik_entry(registry: Proc, auth_stack: AuthStack) -> Json:
    """A consequence test of Dinas Kesehatan (Pasal 17 huruf a angka 1), via the API."""
    headers = official(auth_stack.minter, "ppid.dinkes")
    response = httpx.post(f"{registry.url}/v1/dik/entries", json=dik_body(), headers=headers)
    assert response.status_code == 201, response.text
    entry: Json = response.json()
    return entry


async def _other_roots_entry(registry_database: str) -> uuid.UUID:
    """A DIK entry of a badan publik the demo does not know (written to the registry)."""
    body = dik_body()
    fields = {k: v for k, v in body.items() if k not in {"unit_id", "participants"}}
    fields["exemption_until"] = dt.date.fromisoformat(fields["exemption_until"])
    fields["decree_date"] = dt.date.fromisoformat(fields["decree_date"])
    entry = DikEntry(root_id=uuid.uuid4(), unit_id=uuid.uuid4(), **fields)
    async with database_session(registry_database) as session:
        session.add(entry)
    return entry.id


def refusal(test_id: Any, **overrides: Any) -> Json:
    return {
        "outcome": "refused",
        "ground": "a",
        "consequence_test_id": str(test_id),
        "signatory_name": "dr. Contoh Sehat",
        **overrides,
    }


async def test_a_refusal_rests_on_a_consequence_test_of_the_root(
    client: httpx.AsyncClient,
    requests_database: str,
    registry_database: str,
    minter: Minter,
    dik_entry: Json,
) -> None:
    made = await make_request(requests_database, person=WAYAN, state=RequestState.IN_PROCESS)
    dinkes = official(minter, "ppid.dinkes")
    before = await snapshot(requests_database, made.id)
    other_root = await _other_roots_entry(registry_database)
    cases: list[tuple[Json, str]] = [
        (refusal(dik_entry["id"], ground=None), "ground"),
        (refusal(dik_entry["id"], consequence_test_id=None), "consequence_test_id"),
        (refusal(uuid.uuid4()), "consequence_test_id"),
        (refusal(other_root), "consequence_test_id"),
        (refusal(dik_entry["id"], ground="h"), "consequence_test_id"),
    ]
    details = []
    for body, field in cases:
        found = problem(await act(client, made, "issue-notice", dinkes, body), 422)
        assert field in {error["field"] for error in found["errors"]}, found
        details.append(found["detail"])
    assert "tidak ditemukan" in details[2]
    assert "badan publik lain" in details[3]
    assert "huruf a, bukan huruf h" in details[4]
    assert await snapshot(requests_database, made.id) == before

    view = await ok(client, made, "issue-notice", dinkes, refusal(dik_entry["id"]))
    assert view["state"] == "closed"
    assert view["notice_outcome"] == "refused"
    assert [e["action"] for e in view["history"][-2:]] == ["issue-notice", "close"]
    year = dt.datetime.now(dt.UTC).astimezone(WorkCalendar(ROOT_ID, 0, ZONE).zone).year
    number = f"KOTA-CONTOH/DINKES/SK/{year}/00001"
    assert number in view["history"][-2]["note"]

    secret = {"X-Tracking-Secret": made.secret}
    notice = (await client.get(f"{made.path}/notice", headers=secret)).json()
    decree = notice["decree"]
    assert decree["decree_number"] == number
    assert (decree["ground"], decree["ground_number"]) == ("a", "1")
    assert decree["consequence_test_id"] == dik_entry["id"]
    assert decree["dik_number"] == dik_entry["number"]
    assert decree["consequences"] == PUBLIC_SUMMARY
    issued = dt.date.fromisoformat(decree["decree_date"])
    calendar = WorkCalendar(ROOT_ID, 0, ZONE)
    assert decree["objection_due"] == calendar.add_working_days(issued, 30).isoformat()
    assert decree["pdf_url"] == f"{made.path}/decree.pdf"

    pdf = await client.get(f"{made.path}/decree.pdf", headers=secret)
    assert pdf.status_code == 200, pdf.text
    text = pdf_text(pdf.content)
    for expected in (
        "Keputusan PPID tentang Penolakan Permohonan Informasi Publik",
        f"Nomor {number}",
        made.number,
        WAYAN.name,
        "Pasal 17 huruf a angka 1 UU Nomor 14 Tahun 2008",
        "dapat menghambat proses penegakan hukum",
        dik_entry["number"],
        PUBLIC_SUMMARY,
        "Atasan PPID",
        "30 (tiga puluh) hari kerja",
    ):
        assert expected in text, expected
    assert WAYAN.nik not in text
    notice_text = pdf_text((await client.get(f"{made.path}/notice.pdf", headers=secret)).content)
    assert "informasi yang dikecualikan" in notice_text
    assert number in notice_text

    # The next refusal takes the next number: the refused attempts above used none.
    second = await make_request(requests_database, state=RequestState.EXTENDED)
    view = await ok(client, second, "issue-notice", dinkes, refusal(dik_entry["id"]))
    assert f"KOTA-CONTOH/DINKES/SK/{year}/00002" in view["history"][-2]["note"]


async def test_a_refusal_cannot_be_checked_while_the_registry_is_down(
    auth_stack: AuthStack,
    requests_database: str,
    registry_database: str,
    minter: Minter,
    dik_entry: Json,
    tmp_path: Path,
) -> None:
    made = await make_request(requests_database, state=RequestState.IN_PROCESS)
    with registry_process(auth_stack, registry_database, tmp_path / "objects") as stopped:
        url = stopped.url
    settings = requests_settings(auth_stack, requests_database, tmp_path, registry_url=url)
    before = await snapshot(requests_database, made.id)
    async with serve_requests(settings) as client:
        response = await act(
            client, made, "issue-notice", official(minter, "ppid.dinkes"), refusal(dik_entry["id"])
        )
    body = problem(response, 503, "service-unavailable")
    assert "uji konsekuensi" in body["detail"]
    assert response.headers["retry-after"]
    assert await snapshot(requests_database, made.id) == before
