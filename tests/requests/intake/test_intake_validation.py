"""The form's rules: every refusal is a 422 naming the field, in Indonesian and English,
never repeating the submitted value (DOMAIN.md 17)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest
from ppid_kit.unit_tree import UnitNode, UnitTree
from requests_service.intake.rules import unit_errors

from tests.requests.harness import DINKES_ID, ROOT_ID, Minter, official
from tests.requests.people import BUDI, SITI
from tests.requests.support import Json, form

BAD_NIK = "9973015708910003"  # province 99 does not exist
REQUIRED = ("Wajib diisi.", "This field is required.")
OFFICIALS_ONLY = ("Hanya diisi oleh petugas.", "Only officials set this field.")


def without(body: Json, *path: str) -> Json:
    *parents, last = path
    target = body
    for name in parents:
        target = target[name]
    del target[last]
    return body


def _ago(days: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat()


# (case, body, field, message in Indonesian, message in English)
CASES: list[tuple[str, Json, str, str, str]] = [
    ("nik missing", form(requester={"nik": None}), "requester.nik", *REQUIRED),
    (
        "nik too short",
        form(requester={"nik": "327301570891000"}),
        "requester.nik",
        "NIK harus 16 angka.",
        "A NIK has 16 digits.",
    ),
    (
        "nik of no province",
        form(requester={"nik": BAD_NIK}),
        "requester.nik",
        "Kode provinsi pada NIK tidak dikenal.",
        "The NIK's province code is unknown.",
    ),
    (
        "nik with a bad birth date",
        form(requester={"nik": "3273019908910003"}),
        "requester.nik",
        "Tanggal lahir pada NIK tidak valid.",
        "The NIK's birth date is not valid.",
    ),
    (
        "group without the grantee's nik",
        form(requester={"category": "kelompok_orang", "nik": None}),
        "requester.nik",
        *REQUIRED,
    ),
    (
        "legal entity without its decree",
        form(requester={"category": "badan_hukum", "nik": None}),
        "requester.legal_entity_decree_no",
        *REQUIRED,
    ),
    (
        "neither phone nor email",
        form(requester={"phone": None, "email": ""}, delivery_method="pickup"),
        "requester.phone",
        "Isi nomor telepon atau email.",
        "Give a phone number or an email address.",
    ),
    (
        "not an email address",
        form(requester={"email": "siti.example.org"}),
        "requester.email",
        "Alamat email tidak valid.",
        "Not a valid email address.",
    ),
    (
        "not a phone number",
        form(requester={"phone": "call me maybe"}),
        "requester.phone",
        "Nomor telepon tidak valid.",
        "Not a valid phone number.",
    ),
    (
        "delivery by email without an email",
        form(requester={"email": None}),
        "requester.email",
        "Cara pengiriman ini memerlukan kontak tersebut.",
        "This delivery method needs this contact.",
    ),
    ("copy without its format", form(copy_format=None), "copy_format", *REQUIRED),
    (
        "a format without a copy",
        form(access_method="view_read_listen_note", delivery_method="pickup"),
        "copy_format",
        "Format salinan hanya diisi bila meminta salinan.",
        "A copy format goes only with `obtain_copy`.",
    ),
    ("a channel online", form(channel="letter"), "channel", *OFFICIALS_ONLY),
    ("a receipt time online", form(received_at=_ago(1)), "received_at", *OFFICIALS_ONLY),
    (
        "an unknown unit",
        form(target_unit_id=str(uuid.uuid4())),
        "target_unit_id",
        "Unit tidak dikenal.",
        "Unknown unit.",
    ),
    (
        "a blank address",
        form(requester={"address": "   "}),
        "requester.address",
        "Minimal 1 karakter.",
        "Must be at least 1 characters.",
    ),
    ("no address", without(form(), "requester", "address"), "requester.address", *REQUIRED),
    (
        "no information requested",
        without(form(), "information_requested"),
        "information_requested",
        *REQUIRED,
    ),
    (
        "an unknown field",
        form(requester={"ktp_number": "x"}),
        "requester.ktp_number",
        "Isian ini tidak dikenal.",
        "This field is not allowed.",
    ),
]
OFFICIAL_CASES: list[tuple[str, Json, str, str, str]] = [
    (
        "an official entering online",
        form(channel="online"),
        "channel",
        "Petugas tidak mencatat permohonan daring.",
        "Officials do not enter online.",
    ),
    ("other without a note", form(channel="other"), "channel_note", *REQUIRED),
    (
        "received in the future",
        form(channel="letter", received_at=_ago(-1)),
        "received_at",
        "Waktu diterima tidak boleh di masa depan.",
        "Must not be in the future.",
    ),
    (
        "received too long ago",
        form(channel="letter", received_at=_ago(31)),
        "received_at",
        "Paling lama 30 hari yang lalu.",
        "At most 30 days back.",
    ),
]


async def _assert_refused(
    client: httpx.AsyncClient,
    body: Json,
    headers: dict[str, str],
    expected: tuple[str, str, str],
) -> None:
    field, message_id, message_en = expected
    for lang, message in (("id", message_id), ("en", message_en)):
        response = await client.post(
            "/v1/requests", json=body, headers={**headers, "Accept-Language": lang}
        )
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["type"] == "/problems/validation-error"
        assert {"field": field, "message": message} in problem["errors"], problem["errors"]
        nik = body["requester"].get("nik")
        if nik:
            assert nik not in response.text


@pytest.mark.parametrize(("case", "body", "field", "message_id", "message_en"), CASES)
async def test_a_bad_form_is_refused_field_by_field(
    requests_client: httpx.AsyncClient,
    case: str,
    body: Json,
    field: str,
    message_id: str,
    message_en: str,
) -> None:
    del case
    await _assert_refused(requests_client, body, {}, (field, message_id, message_en))


@pytest.mark.parametrize(("case", "body", "field", "message_id", "message_en"), OFFICIAL_CASES)
async def test_an_officials_entry_is_checked_too(
    requests_client: httpx.AsyncClient,
    minter: Minter,
    case: str,
    body: Json,
    field: str,
    message_id: str,
    message_en: str,
) -> None:
    del case
    petugas = official(minter, "petugas")
    await _assert_refused(requests_client, body, petugas, (field, message_id, message_en))


async def test_all_errors_come_at_once(requests_client: httpx.AsyncClient) -> None:
    body = form(requester={"nik": None, "email": None, "phone": None}, copy_format=None)
    response = await requests_client.post("/v1/requests", json=body)
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["requester.nik", "requester.phone", "copy_format", "requester.email"]


@pytest.mark.parametrize(
    "requester",
    [
        {"nik": int(SITI.nik)},
        {"phone": SITI.phone * 3},
        {"address": SITI.address * 20},
        {"category": SITI.nik},
        {"name": {"first": SITI.name, "nik": SITI.nik}},
    ],
    ids=["nik as a number", "long phone", "long address", "nik as category", "name object"],
)
async def test_a_shape_error_never_echoes_personal_values(
    requests_client: httpx.AsyncClient, requester: dict[str, Any]
) -> None:
    response = await requests_client.post("/v1/requests", json=form(requester=requester))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"].startswith("requester.")
    for value in (SITI.nik, SITI.phone, SITI.address, SITI.phone.lstrip("+")):
        assert value not in response.text
    assert "input" not in response.text


async def test_a_legal_entity_needs_no_nik(
    requests_client: httpx.AsyncClient,
) -> None:
    body = form(
        BUDI,
        requester={"category": "badan_hukum", "nik": None, "legal_entity_decree_no": "AHU-1.AH"},
    )
    response = await requests_client.post("/v1/requests", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["requester_category"] == "badan_hukum"


def test_an_inactive_unit_takes_no_request() -> None:
    closed = uuid.uuid4()
    tree = UnitTree.build(
        [
            UnitNode(ROOT_ID, None, ROOT_ID, True, "kota-contoh"),
            UnitNode(DINKES_ID, ROOT_ID, ROOT_ID, True, "kota-contoh.dinkes"),
            UnitNode(closed, ROOT_ID, ROOT_ID, False, "kota-contoh.lama"),
        ]
    )
    assert unit_errors(DINKES_ID, tree) == []
    [error] = unit_errors(closed, tree)
    assert (error.field, error.message.en) == ("target_unit_id", "This unit is no longer active.")
