"""Issue 5, end to end through the gateway: a request under the legal clock.

The stack is what `make run` starts (demo data included: the badan publik, its
calendar and its fee schedule), with the requests service's outbox pointed at a real
SMTP server on loopback. A mobile client submits anonymously (retrying with the same
`Idempotency-Key`), the PPID Pelaksana of Dinas Kesehatan takes the request through
the state machine, the requester tracks it with the number and the secret and
downloads the delivered file, and every step reaches the requester's inbox. Finally
every log line, metric and public response of the run is searched for the
requester's NIK, phone number and address (DOMAIN.md 17).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from auth_service.demo.data import DINKES, DISDIK, ROOT_ID, DemoAccount

from tests.e2e.launcher import Stack, launched, requests_mail_env
from tests.requests.people import BUDI, SITI, personal_values
from tests.support.authstack import demo_account as official
from tests.support.smtp import Received, SmtpServer, smtp_server

# A real (tiny) PDF: the service sniffs the bytes, not the name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Public:
    """A client without an official's token: every response it gets is kept for the search."""

    client: httpx.Client
    seen: list[str] = field(default_factory=list)

    def request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        response = self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
        self.seen.append(f"{method} {url} {response.status_code} {response.headers}")
        self.seen.append(response.content.decode("utf-8", "replace"))
        return response


@pytest.fixture(scope="module")
def mailbox() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def stack(pg_server: object, mailbox: SmtpServer) -> Iterator[Stack]:
    with launched(extra_env=requests_mail_env(mailbox)) as running:
        yield running


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url(), timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def public(stack: Stack) -> Iterator[Public]:
    headers = {"User-Agent": "TerbukaMobile/1.0 (e2e)"}
    with httpx.Client(base_url=stack.url(), timeout=30, headers=headers) as client:
        yield Public(client)


def bearer_of(gateway: httpx.Client, who: DemoAccount) -> dict[str, str]:
    response = gateway.post("/v1/auth/login", json={"email": who.email, "password": who.password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def submission(person_requester: dict[str, object], unit: uuid.UUID) -> dict[str, object]:
    return {
        "target_unit_id": str(unit),
        "requester": person_requester,
        "information_requested": "Laporan realisasi anggaran program imunisasi tahun 2025",
        "purpose": "Bahan penelitian skripsi tentang layanan kesehatan anak",
        "access_method": "obtain_copy",
        "copy_format": "softcopy",
        "delivery_method": "download",
    }


def mails_to(mailbox: SmtpServer, address: str, count: int, timeout: float = 30) -> list[Received]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in mailbox.messages if address in m.recipients]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    found = [m for m in mailbox.messages if address in m.recipients]
    raise AssertionError(f"{len(found)} of {count} emails: {[m.subject for m in found]}")


def act(
    gateway: httpx.Client, headers: dict[str, str], request_id: str, action: str, body: object
) -> httpx.Response:
    return gateway.post(f"/v1/requests/{request_id}/{action}", headers=headers, json=body)


def test_a_request_from_submission_to_download_with_every_step_emailed(
    gateway: httpx.Client, public: Public, mailbox: SmtpServer, stack: Stack
) -> None:
    # A mobile client submits, loses the answer, and retries with the same key.
    key = {"Idempotency-Key": f"mobile-{uuid.uuid4()}"}
    body = submission(SITI.requester(), DINKES.id)
    first = public.request("POST", "/v1/requests", json=body, headers=key)
    assert first.status_code == 201, first.text
    again = public.request("POST", "/v1/requests", json=body, headers=key)
    assert again.status_code == 201, again.text
    submitted = first.json()
    assert again.json()["id"] == submitted["id"]
    assert again.json()["registration_number"] == submitted["registration_number"]
    assert again.json()["tracking_secret"] == submitted["tracking_secret"]
    request_id, number = submitted["id"], submitted["registration_number"]
    secret = submitted["tracking_secret"]
    assert number.startswith("KOTA-CONTOH/DINKES/PI/")
    assert submitted["state"] == "received"
    assert submitted["deadlines"]["time_zone"] == "Asia/Jakarta"
    receipt = public.request(
        "GET", f"/v1/requests/{request_id}/receipt.pdf", headers={"X-Tracking-Secret": secret}
    )
    assert receipt.status_code == 200
    assert receipt.content.startswith(b"%PDF-")

    ppid = bearer_of(gateway, official("ppid.dinkes"))
    listed = gateway.get("/v1/requests", headers=ppid, params={"state": "received"})
    assert listed.status_code == 200, listed.text
    assert request_id in [item["id"] for item in listed.json()["items"]]

    verified = act(gateway, ppid, request_id, "verify", {})
    assert verified.status_code == 200, verified.text
    assigned = act(gateway, ppid, request_id, "assign", {})
    assert assigned.status_code == 200, assigned.text
    reason = "Data tersebar di tiga puskesmas dan perlu dihimpun terlebih dahulu."
    extended = act(gateway, ppid, request_id, "extend", {"reason": reason})
    assert extended.status_code == 200, extended.text
    deadlines = extended.json()["deadlines"]
    assert deadlines["extended_due"] > deadlines["notice_due"]
    twice = act(gateway, ppid, request_id, "extend", {"reason": reason})
    assert twice.status_code == 409

    fees = gateway.get(f"/v1/requests/fees/{ROOT_ID}")
    assert fees.status_code == 200, fees.text
    code = fees.json()["items"][0]["code"]
    notice = {
        "outcome": "granted_partial",
        "holder": "self",
        "available_forms": ["softcopy"],
        "fee_lines": [{"code": code, "quantity": 12}],
        "provide_within_working_days": 3,
        "redaction_note": "Nama anak penerima imunisasi dihitamkan (UU Pasal 17 huruf h).",
    }
    noticed = act(gateway, ppid, request_id, "issue-notice", notice)
    assert noticed.status_code == 200, noticed.text
    total = noticed.json()["fee_total"]
    assert total > 0
    assert noticed.json()["state"] == "awaiting_payment"
    paid = act(
        gateway,
        ppid,
        request_id,
        "record-payment",
        {"method": "cash_at_counter", "amount": total, "receipt_no": "KW-E2E-1"},
    )
    assert paid.status_code == 200, paid.text

    uploaded = gateway.post(
        f"/v1/requests/{request_id}/files",
        headers=ppid,
        files={"file": ("realisasi-imunisasi-2025.pdf", PDF, "application/pdf")},
        data={"kind": "delivered"},
    )
    assert uploaded.status_code == 201, uploaded.text
    file_id = uploaded.json()["id"]
    handover = {
        "method": "download",
        "file_ids": [file_id],
        "acknowledgement": "Berkas diunduh pemohon melalui tautan pelacakan.",
    }
    delivered = act(gateway, ppid, request_id, "deliver", handover)
    assert delivered.status_code == 200, delivered.text
    assert delivered.json()["state"] == "delivered"

    # The requester tracks it with the number and the secret, and downloads the file.
    tracked = public.request(
        "POST",
        "/v1/requests/track",
        json={"registration_number": number, "tracking_secret": secret},
    )
    assert tracked.status_code == 200, tracked.text
    view = tracked.json()
    assert view["state"] == "delivered"
    actions = [step["action"] for step in view["history"]]
    for step in ("submit", "verify", "assign", "extend", "issue-notice", "deliver"):
        assert step in actions
    assert [f["id"] for f in view["files"]] == [file_id]
    wrong = public.request(
        "POST", "/v1/requests/track", json={"registration_number": number, "tracking_secret": "x"}
    )
    assert wrong.status_code == 404
    content = public.request(
        "GET",
        f"/v1/requests/{request_id}/files/{file_id}/content",
        headers={"X-Tracking-Secret": secret},
    )
    assert content.status_code == 200
    assert content.content == PDF
    notice_pdf = public.request(
        "GET", f"/v1/requests/{request_id}/notice.pdf", headers={"X-Tracking-Secret": secret}
    )
    assert notice_pdf.status_code == 200
    assert notice_pdf.content.startswith(b"%PDF-")

    # Every step reached the requester's inbox, each naming the registration number.
    mails = mails_to(mailbox, SITI.email, 7)
    assert all(number in mail.subject or number in mail.text for mail in mails)
    assert len({mail.subject for mail in mails}) >= 6


def test_illegal_transitions_change_nothing(gateway: httpx.Client, public: Public) -> None:
    created = public.request("POST", "/v1/requests", json=submission(BUDI.requester(), DISDIK.id))
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    secret = created.json()["tracking_secret"]
    dinkes = bearer_of(gateway, official("ppid.dinkes"))
    disdik = bearer_of(gateway, official("ppid.disdik"))

    def snapshot() -> dict[str, object]:
        response = gateway.get(f"/v1/requests/{request_id}", headers=disdik)
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body

    before = snapshot()
    # Another unit's official may not act on it.
    assert act(gateway, dinkes, request_id, "verify", {}).status_code == 403
    assert act(gateway, disdik, request_id, "verify", {}).status_code == 200
    assert act(gateway, disdik, request_id, "assign", {}).status_code == 200
    middle = snapshot()
    # A refusal without a Pasal 17 ground, or without a consequence test, is refused.
    refused = act(gateway, disdik, request_id, "issue-notice", {"outcome": "refused"})
    assert refused.status_code in (409, 422)
    no_test = act(
        gateway, disdik, request_id, "issue-notice", {"outcome": "refused", "ground": "h"}
    )
    assert no_test.status_code in (409, 422)
    assert snapshot() == middle
    assert before["version"] != middle["version"]
    # Anyone without a grant or the secret learns nothing about it.
    assert public.request("GET", f"/v1/requests/{request_id}").status_code in (401, 404)
    tracked = public.request(
        "GET", f"/v1/requests/{request_id}", headers={"X-Tracking-Secret": secret}
    )
    assert tracked.status_code == 200


def test_no_personal_data_in_logs_metrics_or_public_responses(public: Public, stack: Stack) -> None:
    """Runs last in this module: searches everything the two tests above produced."""
    assert public.seen, "the flows above made public calls"
    texts = [stack.log(), *public.seen]
    for app in ("gateway", "auth", "registry", "requests"):
        texts.append(httpx.get(f"{stack.url(app)}/metrics", timeout=10).text)
    leaks = [value for value in personal_values() for text in texts if value in text]
    assert not leaks, f"{len(leaks)} personal values found in logs, metrics or responses"
