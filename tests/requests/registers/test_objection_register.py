"""The register of objections (DOMAIN.md 10.4): its columns in order, the identity of the
requester and agent only for officials who handle the unit (the Atasan PPID included),
the formula guard, the audit record, and no export at all for non-officials."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from requests_service.objections.models import ObjectionState
from requests_service.registers.objection_rows import HEADERS, PERSONAL_HEADERS

from tests.requests.disputes.support import StoredObjection, make_objection
from tests.requests.harness import DINKES_ID, DISDIK_ID, ROOT_ID, Minter, official
from tests.requests.people import BUDI, PEOPLE, SITI, WAYAN, YOHANES
from tests.requests.support import ZONE, requester
from tests.requests.workflow.support import problem
from tests.services.support import scalar

CSV_PATH = "/v1/objections/register.csv"
XLSX_PATH = "/v1/objections/register.xlsx"
HIDDEN = "(disembunyikan)"
FORMULA = '=HYPERLINK("http://example.org")'


@dataclass(frozen=True)
class Seeded:
    decided: StoredObjection
    waiting: StoredObjection
    periodic: StoredObjection


@pytest.fixture(scope="module")
async def seeded(requests_database: str) -> Seeded:
    url = requests_database
    decided = await make_objection(
        url, state=ObjectionState.DECIDED_UPHELD_PPID, received_days_ago=3,
        response_days_ago=1, person=SITI, agent=BUDI, purpose=FORMULA,
    )  # fmt: skip
    waiting = await make_objection(url, person=WAYAN, unit_id=DISDIK_ID, received_days_ago=2)
    periodic = await make_objection(url, person=YOHANES, with_request=False, received_days_ago=1)
    return Seeded(decided, waiting, periodic)


def _year() -> int:
    return dt.datetime.now(ZoneInfo(ZONE)).year


async def _csv(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str | int | uuid.UUID
) -> list[dict[str, str]]:
    query = {"year": str(_year())} | {name: str(value) for name, value in params.items()}
    response = await client.get(CSV_PATH, params=query, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "private, no-store"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header, *body = list(reader)
    assert header == HEADERS
    return [dict(zip(header, row, strict=True)) for row in body]


def _personal_values(rows: list[dict[str, str]]) -> set[str]:
    return {row[column] for row in rows for column in PERSONAL_HEADERS} - {"", HIDDEN}


async def test_handlers_see_the_identity_in_the_columns_of_10_4(
    requests_client: httpx.AsyncClient, requests_database: str, minter: Minter, seeded: Seeded
) -> None:
    rows = await _csv(requests_client, official(minter, "ppid.dinkes"), unit_id=DINKES_ID)
    numbers = [row["Nomor Registrasi Keberatan"] for row in rows]
    assert numbers == [
        seeded.decided.objection.objection_number,
        seeded.periodic.objection.objection_number,
    ]
    first = rows[0]
    assert first["No."] == "1"
    assert first["Nama Pemohon"] == SITI.name
    assert first["Alamat Pemohon"] == SITI.address
    assert SITI.phone in first["Nomor Kontak Pemohon"]
    assert first["Nama Kuasa"] == BUDI.name
    assert first["Nomor Kontak Kuasa"] == "'" + BUDI.phone  # `+62…` is guarded too
    assert seeded.decided.request is not None
    assert first["Nomor Pendaftaran Permohonan"] == seeded.decided.request.number
    assert first["Informasi yang Diminta"] == seeded.decided.request.request.information_requested
    assert first["Tujuan Penggunaan Informasi"] == "'" + FORMULA  # the formula guard
    assert first["Alasan Keberatan (Pasal 35 UU 14/2008)"].startswith("a. ")
    assert first["Keputusan Atasan PPID"].startswith("Keberatan ditolak")
    response_date = seeded.decided.objection.response_date
    assert response_date is not None
    assert first["Hari dan Tanggal Tanggapan"].endswith(response_date.isoformat())
    assert first["Nama dan Jabatan Atasan PPID"] == "Ir. Atasan Contoh, Sekretaris Daerah"
    assert first["Batas Waktu Pengajuan Sengketa"] != ""
    periodic = rows[1]
    assert periodic["Nomor Pendaftaran Permohonan"] == ""
    assert periodic["Alasan Keberatan (Pasal 35 UU 14/2008)"].startswith("b. ")
    assert periodic["Nama Kuasa"] == ""
    assert periodic["Keputusan Atasan PPID"] == ""
    audited = (
        "SELECT count(*) FROM audit_log WHERE action = 'objection_register.read' "
        "AND object_id = :unit"
    )
    assert await scalar(requests_database, audited, unit=str(DINKES_ID)) == 1

    everyone = await _csv(requests_client, official(minter, "ppid.utama"), root=ROOT_ID)
    assert len(everyone) == 3
    assert HIDDEN not in {row["Nama Pemohon"] for row in everyone}
    atasan = await _csv(requests_client, official(minter, "atasan"), root=ROOT_ID)
    assert {row["Nama Pemohon"] for row in atasan} == {SITI.name, WAYAN.name, YOHANES.name}
    disdik = await _csv(requests_client, official(minter, "ppid.disdik"), unit_id=DISDIK_ID)
    assert [row["Nama Pemohon"] for row in disdik] == [WAYAN.name]
    assert (
        await _csv(requests_client, official(minter, "ppid.utama"), root=ROOT_ID, year=2020) == []
    )


async def test_other_officials_get_no_personal_column(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    auditor = official(minter, "auditor")
    rows = await _csv(requests_client, auditor, root=ROOT_ID)
    assert len(rows) == 3
    assert _personal_values(rows) == set()
    assert rows[0]["Nama Kuasa"] == HIDDEN  # an agent exists; who, is not said
    assert rows[0]["Tujuan Penggunaan Informasi"] == "'" + FORMULA
    response = await requests_client.get(
        XLSX_PATH, params={"year": _year(), "root": str(ROOT_ID)}, headers=auditor
    )
    assert response.status_code == 200, response.text
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    assert sheet.title == f"Register Keberatan {_year()}"
    values = [[str(cell or "") for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADERS
    assert len(values) == 4
    flat = " ".join(" ".join(row) for row in values)
    for person in PEOPLE:
        assert person.name not in flat
        assert person.address not in flat
        assert person.phone not in flat


async def test_no_register_for_non_officials_or_other_units(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    params: dict[str, str | int] = {"year": _year(), "root": str(ROOT_ID)}
    for path in (CSV_PATH, XLSX_PATH):
        problem(await requests_client.get(path, params=params), 401)
        problem(await requests_client.get(path, params=params, headers=requester(minter)), 403)
        secret = seeded.decided.with_secret()
        problem(await requests_client.get(path, params=params, headers=secret), 401)
    disdik = official(minter, "ppid.disdik")
    problem(await requests_client.get(CSV_PATH, params=params, headers=disdik), 403)
    dinkes: dict[str, str | int] = {"year": _year(), "unit_id": str(DINKES_ID)}
    problem(await requests_client.get(CSV_PATH, params=dinkes, headers=disdik), 403)
    problem(await requests_client.get(CSV_PATH, params={"year": _year()}, headers=disdik), 422)
