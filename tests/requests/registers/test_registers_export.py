"""The register of requests (DOMAIN.md 8.7): scope, year, order, personal columns by role,
CSV (BOM, CRLF, formula guard) and XLSX, the audit record, permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import openpyxl
import pytest
from requests_service.core.models import DeliveryMethod, NoticeOutcome, RequestState
from requests_service.workflow.models import ExemptionGround, Holder, RefusalDecree, RequestNotice

from tests.requests.harness import DINKES_ID, DISDIK_ID, ROOT_ID, Minter, official
from tests.requests.people import BUDI, SITI, WAYAN, YOHANES
from tests.requests.support import make_request
from tests.services.support import database_session, rows

CSV_PATH = "/v1/requests/register.csv"
XLSX_PATH = "/v1/requests/register.xlsx"
HIDDEN = "(disembunyikan)"
UTC = dt.UTC


@dataclass(frozen=True)
class Seeded:
    numbers: dict[str, str]


def _notice(request_id: uuid.UUID, unit_id: uuid.UUID, **fields: Any) -> RequestNotice:
    values: dict[str, Any] = {
        "request_id": request_id,
        "outcome": NoticeOutcome.GRANTED_FULL,
        "issuer": "Pemerintah Kota Contoh",
        "place": "Kota Contoh",
        "signatory": "PPID Pelaksana",
        "unit_id": unit_id,
        "issued_at": dt.datetime(2025, 3, 10, 2, 0, tzinfo=UTC),
        "issued_by_role": "ppid_pelaksana",
        **fields,
    }
    return RequestNotice(**values)


@pytest.fixture(scope="module")
async def seeded(requests_database: str) -> Seeded:
    url = requests_database
    # Registration order: the order they are stored here (gap-free seq per root and year).
    granted = await make_request(
        url,
        SITI,
        received_at=dt.datetime(2025, 3, 3, 3, 0, tzinfo=UTC),  # Monday 10:00 WIB
        purpose='=HYPERLINK("http://example.org")',
        state=RequestState.DELIVERED,
        fee_total=10000,
        payment_method="cash_at_counter",
        delivered_at=dt.datetime(2025, 3, 12, 3, 0, tzinfo=UTC),
        delivered_via=DeliveryMethod.EMAIL,
    )
    refused = await make_request(
        url,
        BUDI,
        unit_id=DISDIK_ID,
        received_at=dt.datetime(2025, 3, 4, 3, 0, tzinfo=UTC),
        state=RequestState.CLOSED,
    )
    # 1 January 00:30 WIB: 2025 in the root's zone although 2024 in UTC.
    new_year = await make_request(
        url,
        WAYAN,
        received_at=dt.datetime(2024, 12, 31, 17, 30, tzinfo=UTC),
        year=2025,
    )
    old = await make_request(url, YOHANES, received_at=dt.datetime(2024, 6, 3, 3, 0, tzinfo=UTC))
    async with database_session(url) as session:
        session.add(
            _notice(
                granted.id,
                DINKES_ID,
                fee_total=10000,
                available_forms=["softcopy"],
                holder=Holder.SELF,
            )
        )
        session.add(_notice(refused.id, DISDIK_ID, outcome=NoticeOutcome.REFUSED))
        await session.flush()
        session.add(
            RefusalDecree(
                request_id=refused.id,
                root_id=ROOT_ID,
                year=2025,
                seq=1,
                decree_number="SK/PPID/2025/1",
                decree_date=dt.date(2025, 3, 10),
                ground=ExemptionGround.H,
                ground_number="2",
                ground_text="Rahasia pribadi",
                consequence_test_id=uuid.uuid4(),
                consequences="Mengungkap data pribadi",
                objection_due=dt.date(2025, 4, 22),
            )
        )
    return Seeded(
        {
            "granted": granted.number,
            "refused": refused.number,
            "new_year": new_year.number,
            "old": old.number,
        }
    )


def _table(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


async def _register(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str | int
) -> list[dict[str, str]]:
    response = await client.get(CSV_PATH, params={"year": 2025, **params}, headers=headers)
    return _table(response)


def _by_number(table: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["Nomor Pendaftaran"]: row for row in table}


async def test_the_unit_register_for_its_handler(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    response = await requests_client.get(
        CSV_PATH,
        params={"unit_id": str(DINKES_ID), "year": 2025},
        headers=official(minter, "ppid.dinkes"),
    )
    assert response.headers["content-disposition"] == (
        'attachment; filename="register-permohonan-2025.csv"'
    )
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["content-type"].startswith("text/csv")
    table = _table(response)
    numbers = [row["Nomor Pendaftaran"] for row in table]
    assert numbers == [seeded.numbers["granted"], seeded.numbers["new_year"]]  # no Disdik, no 2024
    assert [row["No."] for row in table] == ["1", "2"]
    granted = table[0]
    assert granted["Nama"] == SITI.name
    assert granted["Alamat"] == SITI.address
    # The formula guard: a cell starting with `+` (a phone number) gets an apostrophe.
    assert granted["Nomor Kontak"] == f"'{SITI.phone} / {SITI.email}"
    assert granted["Pekerjaan"] == SITI.occupation
    assert granted["Tanggal Permohonan Diterima"] == "2025-03-03 10:00"
    assert granted["Tujuan Penggunaan Informasi"] == '\'=HYPERLINK("http://example.org")'
    assert granted["Status Informasi"] == "dikuasai"
    assert granted["Bentuk Informasi"] == "softcopy"
    assert granted["Jenis Permohonan"] == "salinan (softcopy)"
    assert granted["Keputusan"] == "diberikan seluruhnya"
    assert granted["Alasan Penolakan"] == ""
    assert granted["Hari dan Tanggal Pemberitahuan Tertulis"] == "Senin, 2025-03-10"
    assert granted["Biaya dan Cara Pembayaran"] == "Rp 10.000; tunai di loket"
    assert granted["Tanggal Penyerahan"] == "2025-03-12"
    assert granted["Cara Penyerahan"] == "surel"
    assert granted["Jumlah Hari Kerja"] == "5"
    assert granted["Unit Penangan"]
    assert granted["Status"] == "informasi diserahkan"
    assert "NIK" not in "".join(table[0].keys())
    assert SITI.nik not in response.text
    new_year = table[1]
    assert new_year["Tanggal Permohonan Diterima"] == "2025-01-01 00:30"
    assert new_year["Keputusan"] == ""


async def test_the_root_register_for_the_ppid_utama(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    table = await _register(requests_client, official(minter, "ppid.utama"), root=str(ROOT_ID))
    assert [row["Nomor Pendaftaran"] for row in table] == [
        seeded.numbers["granted"],
        seeded.numbers["refused"],
        seeded.numbers["new_year"],
    ]
    refused = _by_number(table)[seeded.numbers["refused"]]
    assert refused["Nama"] == BUDI.name
    assert refused["Keputusan"] == "ditolak"
    assert refused["Alasan Penolakan"] == "Pasal 17 huruf h angka 2"
    assert refused["Biaya dan Cara Pembayaran"] == "tanpa biaya"


async def test_the_personal_columns_are_hidden_from_non_handlers(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    for who in ("auditor", "atasan", "admin"):
        table = await _register(requests_client, official(minter, who), root=str(ROOT_ID))
        assert len(table) == 3
        for row in table:
            assert [row["Nama"], row["Alamat"], row["Nomor Kontak"], row["Pekerjaan"]] == [
                HIDDEN
            ] * 4
            assert row["Informasi yang Diminta"]
    # Disdik's PPID who also audits the root: Disdik's requesters shown, Dinkes's hidden.
    both = minter.headers([("ppid_pelaksana", DISDIK_ID), ("auditor", ROOT_ID)], sub=uuid.uuid4())
    rows_ = _by_number(await _register(requests_client, both, root=str(ROOT_ID)))
    assert rows_[seeded.numbers["refused"]]["Alamat"] == BUDI.address
    assert rows_[seeded.numbers["granted"]]["Alamat"] == HIDDEN
    assert rows_[seeded.numbers["new_year"]]["Nama"] == HIDDEN


async def test_the_year_filter(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    table = await _register(
        requests_client, official(minter, "ppid.utama"), root=str(ROOT_ID), year=2024
    )
    assert [row["Nomor Pendaftaran"] for row in table] == [seeded.numbers["old"]]
    assert (
        await _register(
            requests_client, official(minter, "ppid.utama"), root=str(ROOT_ID), year=2023
        )
        == []
    )


async def test_the_xlsx_reads_back(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    response = await requests_client.get(
        XLSX_PATH,
        params={"unit_id": str(DINKES_ID), "year": 2025},
        headers=official(minter, "ppid.dinkes"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        'attachment; filename="register-permohonan-2025.xlsx"'
    )
    assert response.headers["cache-control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Register Permohonan 2025"]
    sheet = book["Register Permohonan 2025"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "No."
    assert all(cell.font.bold for cell in sheet[1])
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[1] for row in values] == [seeded.numbers["granted"], seeded.numbers["new_year"]]
    assert values[0][3] == SITI.name
    assert values[0][8] == '\'=HYPERLINK("http://example.org")'
    auditor = await requests_client.get(
        XLSX_PATH,
        params={"root": str(ROOT_ID), "year": 2025},
        headers=official(minter, "auditor"),
    )
    hidden = openpyxl.load_workbook(io.BytesIO(auditor.content))["Register Permohonan 2025"]
    assert {row[3].value for row in hidden.iter_rows(min_row=2)} == {HIDDEN}


async def test_every_download_is_audited(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded, requests_database: str
) -> None:
    del seeded
    await _register(requests_client, official(minter, "ppid.dinkes"), unit_id=str(DINKES_ID))
    [audit] = await rows(
        requests_database,
        "SELECT actor_type, object_id, details::text AS details FROM audit_log "
        "WHERE action = 'register.read' ORDER BY id DESC LIMIT 1",
    )
    assert audit.actor_type == "official:ppid_pelaksana"
    assert audit.object_id == str(DINKES_ID)
    assert '"year": 2025' in audit.details
    assert '"format": "csv"' in audit.details
    assert str(DINKES_ID) in audit.details
    for person in (SITI, WAYAN):
        assert person.name not in audit.details
        assert person.address not in audit.details


async def test_permissions_and_bad_queries(
    requests_client: httpx.AsyncClient, minter: Minter, seeded: Seeded
) -> None:
    del seeded
    dinkes: dict[str, str | int] = {"unit_id": str(DINKES_ID), "year": 2025}
    assert (await requests_client.get(CSV_PATH, params=dinkes)).status_code == 401
    disdik = await requests_client.get(
        CSV_PATH, params=dinkes, headers=official(minter, "ppid.disdik")
    )
    assert disdik.status_code == 403
    root_wide = await requests_client.get(
        XLSX_PATH,
        params={"root": str(ROOT_ID), "year": 2025},
        headers=official(minter, "ppid.dinkes"),
    )
    assert root_wide.status_code == 403
    applicant = minter.headers([], sub=uuid.uuid4(), typ="requester")
    assert (await requests_client.get(CSV_PATH, params=dinkes, headers=applicant)).status_code == (
        403
    )
    utama = official(minter, "ppid.utama")
    unknown = await requests_client.get(
        CSV_PATH, params={"unit_id": str(uuid.uuid4()), "year": 2025}, headers=utama
    )
    assert unknown.status_code == 404
    unknown_root = await requests_client.get(
        CSV_PATH, params={"root": str(DINKES_ID), "year": 2025}, headers=utama
    )
    assert unknown_root.status_code == 404
    for year in ("1999", "20x5", ""):
        bad = await requests_client.get(
            CSV_PATH, params={"unit_id": str(DINKES_ID), "year": year}, headers=utama
        )
        assert bad.status_code == 422, year
    missing = await requests_client.get(CSV_PATH, params={"unit_id": str(DINKES_ID)}, headers=utama)
    assert missing.status_code == 422
    no_scope = await requests_client.get(CSV_PATH, params={"year": 2025}, headers=utama)
    assert no_scope.status_code == 422
