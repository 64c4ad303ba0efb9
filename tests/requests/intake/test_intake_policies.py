"""A root's request policy: public read, PPID Utama or admin write with `If-Match`, checked
number formats, audited; the format numbers the next submissions."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.requests.harness import DINKES_ID, ROOT_ID, Minter, official
from tests.requests.support import submit
from tests.services.support import rows

URL = f"/v1/requests/policies/{ROOT_ID}"


async def test_the_defaults_without_a_row(requests_client: httpx.AsyncClient) -> None:
    response = await requests_client.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "root_id": str(ROOT_ID),
        "number_format": "{root}/{unit}/{series}/{year}/{seq:05d}",
        "delivery_sla_equals_notice": True,
        "require_identity_scan": False,
        "scan_retention_days": 30,
        "version": 0,
        "updated_at": None,
    }
    assert response.headers["cache-control"] == "public, max-age=60"
    cached = await requests_client.get(URL, headers={"If-None-Match": response.headers["etag"]})
    assert cached.status_code == 304
    for other in (DINKES_ID, uuid.uuid4()):
        assert (await requests_client.get(f"/v1/requests/policies/{other}")).status_code == 404


async def test_who_may_set_it(requests_client: httpx.AsyncClient, minter: Minter) -> None:
    body = {"scan_retention_days": 14}
    assert (await requests_client.put(URL, json=body)).status_code == 401
    for local in ("ppid.dinkes", "petugas", "atasan", "auditor"):
        response = await requests_client.put(URL, json=body, headers=official(minter, local))
        assert response.status_code == 403, local


async def test_set_replace_and_number_with_it(
    requests_client: httpx.AsyncClient, minter: Minter, requests_database: str
) -> None:
    utama, admin = official(minter, "ppid.utama"), official(minter, "admin")
    first = await requests_client.put(
        URL, json={"number_format": "{root}-{unit}-{year}-{seq:04d}"}, headers=utama
    )
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1
    assert first.json()["updated_at"] is not None
    assert first.json()["scan_retention_days"] == 30

    body = {"number_format": "PPID/{root}/{year}/{seq:06d}", "scan_retention_days": 7}
    assert (await requests_client.put(URL, json=body, headers=admin)).status_code == 428
    stale = await requests_client.put(URL, json=body, headers={**admin, "If-Match": '"old"'})
    assert stale.status_code == 412
    current = (await requests_client.get(URL)).headers["etag"]
    assert current == first.headers["etag"]
    second = await requests_client.put(URL, json=body, headers={**admin, "If-Match": current})
    assert second.status_code == 200, second.text
    assert (second.json()["version"], second.json()["scan_retention_days"]) == (2, 7)
    assert second.headers["etag"] != current

    made = await submit(requests_client)
    year = dt.datetime.now(ZoneInfo("Asia/Jakarta")).year
    assert made["registration_number"].startswith(f"PPID/KOTA-CONTOH/{year}/")
    assert len(made["registration_number"].rsplit("/", 1)[1]) == 6

    audit = await rows(
        requests_database,
        "SELECT action, actor_type FROM audit_log WHERE object_type = 'request_policy' ORDER BY id",
    )
    assert [(a.action, a.actor_type) for a in audit] == [
        ("request_policy.set", "ppid_utama"),
        ("request_policy.set", "admin"),
    ]


@pytest.mark.parametrize(
    ("body", "field", "message_en"),
    [
        (
            {"number_format": "{root}/{year}"},
            "number_format",
            "The number format must contain {root}, {year} and {seq}.",
        ),
        (
            {"number_format": "{root}/{year}/{seq}/{nik}"},
            "number_format",
            "Only {root}, {unit}, {series}, {year} and {seq} may be used.",
        ),
        (
            {"number_format": "{root}/{year}/{seq:q}"},
            "number_format",
            "Bad number spec (e.g. {seq:05d}).",
        ),
        ({"scan_retention_days": 0}, "scan_retention_days", "Must be greater than or equal to 1."),
    ],
)
async def test_bad_policies_are_refused(
    requests_client: httpx.AsyncClient,
    minter: Minter,
    body: dict[str, object],
    field: str,
    message_en: str,
) -> None:
    headers = {**official(minter, "ppid.utama"), "If-Match": "*", "Accept-Language": "en"}
    response = await requests_client.put(URL, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [{"field": field, "message": message_en}]
