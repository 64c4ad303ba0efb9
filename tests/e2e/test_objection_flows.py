"""Issue 6, end to end through the gateway: an objection, decided for the requester.

The stack is what `make run` starts, with the requests service's outbox pointed at a
real SMTP server on loopback and its webhooks allowed to reach a real HTTP receiver on
loopback. A citizens' app (an API client registered by the admin) subscribes to the
webhooks, submits a request for a requester; the PPID Pelaksana of Dinas Kesehatan
refuses it on a Pasal 17 ground resting on a consequence test in the registry; the app
files an objection with reasons (a) and (f); the Atasan PPID (password + TOTP) decides
for the requester with an order; the PPID executes it. The requester's inbox gets every
step, the receiver gets signed events it verifies, the case bundle downloads, and no
personal data shows up in a payload, a log line or a metric.
"""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx
import pyotp
import pytest
from auth_service.demo.data import DINKES, ROOT_ID, DemoAccount

from tests.e2e.launcher import Stack, launched, requests_mail_env
from tests.registry.dik.support import dik_body
from tests.requests.people import SITI, personal_values
from tests.requests.webhooks.support import Receiver
from tests.support.authstack import demo_account as demo
from tests.support.smtp import Received, SmtpServer, smtp_server

MFA_ROLES = ("admin", "ppid_utama", "atasan_ppid")
EVENTS = [
    "request.state_changed",
    "objection.filed",
    "objection.state_changed",
    "objection.decided",
    "dispute.updated",
]


@pytest.fixture(scope="module")
def mailbox() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture(scope="module")
def stack(pg_server: object, mailbox: SmtpServer) -> Iterator[Stack]:
    env = {
        **requests_mail_env(mailbox),
        "REQUESTS_WEBHOOK_ALLOW_PRIVATE_URLS": "true",  # the receiver is on loopback
        "REQUESTS_WEBHOOK_POLL_SECONDS": "0.2",
    }
    with launched(extra_env=env, database_prefix="terbuka_e2e_objections") as running:
        yield running


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url(), timeout=30) as client:
        yield client


def login(gateway: httpx.Client, who: DemoAccount) -> dict[str, str]:
    body = {"email": who.email, "password": who.password}
    secret = who.totp_secret(MFA_ROLES)
    if secret is not None:
        body["otp"] = pyotp.TOTP(secret).now()
    response = gateway.post("/v1/auth/login", json=body)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def client_token(gateway: httpx.Client) -> dict[str, str]:
    """The admin registers the citizens' app; the app gets a token (client credentials)."""
    admin = login(gateway, demo("admin"))
    created = gateway.post(
        "/v1/auth/clients",
        headers=admin,
        json={
            "name": "Aplikasi Warga Kota Contoh",
            "root_id": str(ROOT_ID),
            "scopes": ["requests:submit", "requests:track", "webhooks:manage"],
        },
    )
    assert created.status_code == 201, created.text
    client_id, secret = created.json()["client_id"], created.json()["client_secret"]
    issued = gateway.post(
        "/v1/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    assert issued.status_code == 200, issued.text
    return {"Authorization": f"Bearer {issued.json()['access_token']}"}


def ok(response: httpx.Response, status: int = 200) -> dict[str, object]:
    assert response.status_code == status, response.text
    body: dict[str, object] = response.json()
    return body


def mails_to(mailbox: SmtpServer, address: str, needle: str, count: int) -> list[Received]:
    deadline = time.monotonic() + 30
    found: list[Received] = []
    while time.monotonic() < deadline:
        found = [
            m for m in mailbox.messages if address in m.recipients and needle in m.subject + m.text
        ]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{len(found)} of {count} emails about {needle}")


def wait_for_events(receiver: Receiver, wanted: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """Wait until the receiver holds every (type, action) in `wanted`; return the payloads."""
    deadline = time.monotonic() + 30
    seen: set[tuple[str, str]] = set()
    while time.monotonic() < deadline:
        payloads = [r.payload for r in receiver.all_received()]
        seen = {(str(p["type"]), str(p["data"].get("action"))) for p in payloads}
        if wanted <= seen:
            return payloads
        time.sleep(0.2)
    raise AssertionError(f"missing webhook events: {wanted - seen}")


def test_a_refused_request_objected_decided_for_the_requester_and_the_order_executed(
    gateway: httpx.Client, mailbox: SmtpServer, receiver: Receiver, stack: Stack
) -> None:
    app = client_token(gateway)
    receiver.endpoint("warga")
    subscribed = ok(
        gateway.post(
            "/v1/webhooks/subscriptions",
            headers={**app, "Idempotency-Key": f"sub-{uuid.uuid4()}"},
            json={"url": receiver.url("warga"), "root_id": str(ROOT_ID), "event_types": EVENTS},
        ),
        201,
    )
    signing_secret = str(subscribed["secret"])
    assert signing_secret.startswith("whsec_")

    # The app submits a request for Siti, who gave her email.
    body = {
        "target_unit_id": str(DINKES.id),
        "requester": SITI.requester(),
        "information_requested": "Hasil uji laboratorium kasus keracunan pangan Maret 2026",
        "purpose": "Liputan jurnalistik tentang keamanan pangan sekolah",
        "access_method": "obtain_copy",
        "copy_format": "softcopy",
        "delivery_method": "email",
    }
    submitted = ok(gateway.post("/v1/requests", headers=app, json=body), 201)
    request_id, request_secret = submitted["id"], str(submitted["tracking_secret"])

    # The PPID refuses on Pasal 17 huruf a, resting on a consequence test of the registry.
    ppid = login(gateway, demo("ppid.dinkes"))
    test = ok(gateway.post("/v1/dik/entries", headers=ppid, json=dik_body()), 201)
    for action in ("verify", "assign"):
        ok(gateway.post(f"/v1/requests/{request_id}/{action}", headers=ppid, json={}))
    refusal = {
        "outcome": "refused",
        "ground": "a",
        "consequence_test_id": test["id"],
        "signatory_name": "dr. Contoh Sehat",
    }
    refused = ok(
        gateway.post(f"/v1/requests/{request_id}/issue-notice", headers=ppid, json=refusal)
    )
    assert refused["notice_outcome"] == "refused"

    # The app files the objection with the request's secret: reasons (a) and (f).
    filing = {
        "request_id": request_id,
        "reasons": ["a", "f"],
        "purpose": "Liputan jurnalistik tentang keamanan pangan sekolah",
        "case_position": "Penolakan tidak menjelaskan bagian mana yang dikecualikan; "
        "biaya salinan yang disebutkan tidak sesuai standar biaya.",
    }
    filed = ok(
        gateway.post(
            "/v1/objections",
            headers={**app, "X-Tracking-Secret": request_secret, "Idempotency-Key": "kb-1"},
            json=filing,
        ),
        201,
    )
    objection_id, number = filed["id"], str(filed["objection_number"])
    objection_secret = str(filed["tracking_secret"])
    assert number.startswith("KOTA-CONTOH/DINKES/KB/")
    assert filed["state"] == "filed"
    assert filed["warnings"] == []

    # The PPID forwards it; the Atasan PPID decides for the requester with an order.
    path = f"/v1/objections/{objection_id}"
    ok(gateway.post(f"{path}/forward", headers=ppid, json={}))
    atasan = login(gateway, demo("atasan"))
    decision = {
        "decision": "upheld_requester",
        "objection_summary": "Pemohon keberatan atas penolakan dan biaya salinan.",
        "order_text": "PPID memberikan hasil uji laboratorium dengan nama saksi dihitamkan.",
        "order_working_days": 5,
        "atasan_name": "Ir. Atasan Contoh",
        "atasan_position": "Sekretaris Daerah Kota Contoh",
    }
    decided = ok(gateway.post(f"{path}/decide", headers=atasan, json=decision))
    assert decided["state"] == "decided_upheld_requester"
    # Only the Atasan decides; the PPID cannot (and nothing changes).
    assert gateway.post(f"{path}/decide", headers=ppid, json=decision).status_code == 403

    executed = ok(
        gateway.post(
            f"{path}/execute-order",
            headers=ppid,
            json={"note": "Hasil uji dikirim ke surel pemohon dengan nama saksi dihitamkan."},
        )
    )
    assert executed["state"] == "order_executed"

    # The requester reads it with the objection's secret, and is emailed every step.
    seen = ok(gateway.get(path, headers={"X-Tracking-Secret": objection_secret}))
    assert seen["state"] == "order_executed"
    response_pdf = gateway.get(
        f"{path}/response.pdf", headers={"X-Tracking-Secret": objection_secret}
    )
    assert response_pdf.status_code == 200
    assert response_pdf.content.startswith(b"%PDF-")
    assert len(mails_to(mailbox, SITI.email, number, 3)) >= 3

    # The subscribed receiver got signed events of the request and the objection.
    payloads = wait_for_events(
        receiver,
        {
            ("request.state_changed", "issue-notice"),
            ("objection.filed", "file"),
            ("objection.state_changed", "forward"),
            ("objection.decided", "decide"),
            ("objection.state_changed", "execute-order"),
        },
    )
    received = receiver.endpoints["warga"].received
    assert all(r.verifies_with(signing_secret) for r in received)
    assert not any(r.verifies_with("whsec_" + "A" * 43) for r in received)
    assert len({r.message_id for r in received}) == len(received)
    texts = [r.body.decode() for r in received]
    assert not [v for v in personal_values() for t in texts if v in t]
    assert any(
        p["data"]["objection_number"] == number for p in payloads if "objection" in str(p["type"])
    )

    # The case bundle for the Komisi Informasi downloads.
    bundle = gateway.get(f"{path}/case-bundle.zip", headers={"X-Tracking-Secret": objection_secret})
    assert bundle.status_code == 200, bundle.text
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        names = archive.namelist()
        pdfs = [name for name in names if name.endswith(".pdf")]
        assert all(archive.read(name).startswith(b"%PDF-") for name in pdfs)
    for prefix in ("01-", "02-", "03-", "04-", "05-"):
        assert any(name.startswith(prefix) for name in pdfs), names
    assert gateway.get(f"{path}/case-bundle.zip").status_code == 404


def test_no_personal_data_in_logs_or_metrics(stack: Stack) -> None:
    """Runs last in this module: searches what the flow above left behind."""
    texts = [stack.log()]
    for app in ("gateway", "auth", "registry", "requests"):
        texts.append(httpx.get(f"{stack.url(app)}/metrics", timeout=10).text)
    leaks = [value for value in personal_values() for text in texts if value in text]
    assert not leaks, f"{len(leaks)} personal values found in logs or metrics"
