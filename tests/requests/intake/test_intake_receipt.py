"""The tanda bukti penerimaan (UU Pasal 22(4)-(6)): the number, the times, the deadline and
how to track; the requester's name but never the NIK, address or phone."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx

from tests.requests.harness import Minter, official
from tests.requests.people import SITI
from tests.requests.support import Json, form, pdf_text, requester, submit

MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


async def receipt(client: httpx.AsyncClient, made: Json, headers: dict[str, str]) -> httpx.Response:
    return await client.get(made["receipt_url"], headers=headers)


async def test_the_receipt_says_what_the_law_asks(requests_client: httpx.AsyncClient) -> None:
    made = await submit(requests_client)
    response = await receipt(requests_client, made, {"X-Tracking-Secret": made["tracking_secret"]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('inline; filename="tanda-bukti-')
    assert response.headers["cache-control"] == "private, no-store"
    text = pdf_text(response.content)
    deadlines = made["deadlines"]
    received = dt.datetime.fromisoformat(deadlines["received_at"])
    for expected in (
        "Tanda Bukti Penerimaan Permohonan Informasi Publik",
        "PPID PEMERINTAH KOTA CONTOH",
        made["registration_number"],
        f"{long_date(received.date())}, pukul {received:%H.%M} WIB",
        "Dinas Kesehatan",
        SITI.name,
        "Daftar puskesmas",
        "Mendapatkan salinan",
        ": Email",
        long_date(dt.date.fromisoformat(deadlines["notice_due"])),
        "pukul 24.00 WIB",
        f"Kode pelacakan: {made['tracking_secret']}",
    ):
        assert expected in text, expected
    for personal in (SITI.nik, SITI.address, SITI.phone, SITI.phone.lstrip("+"), SITI.email):
        assert personal not in text


async def test_officials_and_the_account_read_it_without_the_secret_printed(
    requests_client: httpx.AsyncClient, minter: Minter
) -> None:
    account = requester(minter)
    made = await submit(requests_client, form(), account)
    for headers in (official(minter, "ppid.dinkes"), official(minter, "auditor"), account):
        response = await receipt(requests_client, made, headers)
        assert response.status_code == 200, response.text
        text = pdf_text(response.content)
        assert made["registration_number"] in text
        assert made["tracking_secret"] not in text


async def test_anyone_else_gets_404(requests_client: httpx.AsyncClient, minter: Minter) -> None:
    made = await submit(requests_client)
    for headers in (
        {},
        {"X-Tracking-Secret": "wrong"},
        official(minter, "ppid.disdik"),
        requester(minter),
    ):
        response = await receipt(requests_client, made, headers)
        assert response.status_code == 404, headers
        assert response.json()["type"] == "/problems/not-found"
    unknown = await requests_client.get(f"/v1/requests/{uuid.uuid4()}/receipt.pdf")
    assert unknown.status_code == 404
