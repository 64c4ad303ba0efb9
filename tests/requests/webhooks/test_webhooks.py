"""Webhook subscriptions and deliveries against a real receiver on loopback.

One app for the module (the delivery worker polling fast, a tiny back-off, 3 attempts,
disabling after 4 failures in a row); each test uses its own receiver endpoints.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from requests_service.settings import RequestsSettings

from tests.requests.harness import (
    DINKES_ID,
    ROOT_ID,
    AuthStack,
    demo_account,
    requests_settings,
    serve_requests,
)
from tests.requests.people import SITI, personal_values
from tests.requests.support import form, requester, submit
from tests.requests.webhooks.support import (
    Json,
    Receiver,
    client_headers,
    new_client_id,
    wait_for,
    wait_until,
)
from tests.services.support import execute, rows, scalar

BASE = "/v1/webhooks/subscriptions"
MAX_ATTEMPTS = 3
DISABLE_AFTER = 4
BACKOFF = 0.05


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture(scope="module")
def settings(
    auth_stack: AuthStack, requests_database: str, tmp_path_factory: pytest.TempPathFactory
) -> RequestsSettings:
    return requests_settings(
        auth_stack,
        requests_database,
        tmp_path_factory.mktemp("webhook-objects"),
        webhook_allow_private_urls=True,
        webhook_poll_seconds=0.05,
        webhook_backoff_base_seconds=BACKOFF,
        webhook_backoff_max_seconds=1.0,
        webhook_max_attempts=MAX_ATTEMPTS,
        webhook_disable_after_failures=DISABLE_AFTER,
        webhook_disable_after_seconds=0,
        webhook_timeout_seconds=2.0,
        webhook_feed_interval_seconds=0,
    )


@pytest.fixture(scope="module")
async def api(settings: RequestsSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_requests(settings) as client:
        yield client


@pytest.fixture(scope="module")
def client_a(auth_stack: AuthStack) -> dict[str, str]:
    return client_headers(auth_stack.minter, new_client_id())


@pytest.fixture(scope="module")
def client_b(auth_stack: AuthStack) -> dict[str, str]:
    return client_headers(auth_stack.minter, new_client_id())


def subscription_body(url: str, *events: str, **overrides: Any) -> Json:
    return {
        "url": url,
        "root_id": str(ROOT_ID),
        # Nothing files objections here: a subscription not told otherwise gets no event.
        "event_types": list(events or ("objection.filed",)),
        "description": "Portal layanan",
        **overrides,
    }


async def subscribe(
    api: httpx.AsyncClient, headers: dict[str, str], url: str, *events: str
) -> Json:
    response = await api.post(BASE, json=subscription_body(url, *events), headers=headers)
    assert response.status_code == 201, response.text
    made: Json = response.json()
    return made


async def ping(api: httpx.AsyncClient, headers: dict[str, str], subscription: Json) -> Json:
    response = await api.post(f"{BASE}/{subscription['id']}/ping", headers=headers)
    assert response.status_code == 202, response.text
    queued: Json = response.json()
    return queued


async def detail(api: httpx.AsyncClient, headers: dict[str, str], delivery: Json) -> Json:
    path = f"{BASE}/{delivery['subscription_id']}/deliveries/{delivery['id']}"
    response = await api.get(path, headers=headers)
    assert response.status_code == 200, response.text
    found: Json = response.json()
    return found


async def settled(api: httpx.AsyncClient, headers: dict[str, str], delivery: Json) -> Json:
    """The delivery once it is delivered or dead."""
    seen: list[Json] = []

    async def done() -> bool:
        seen.append(await detail(api, headers, delivery))
        return bool(seen[-1]["state"] != "pending")

    await wait_until(done)
    return seen[-1]


async def test_only_clients_with_the_scope_manage_webhooks(
    api: httpx.AsyncClient, auth_stack: AuthStack
) -> None:
    minter = auth_stack.minter
    body = subscription_body("http://127.0.0.1:9/x")
    assert (await api.get(BASE)).status_code == 401
    official = minter.official(demo_account("ppid.utama"))
    for headers in (
        official,
        requester(minter),
        client_headers(minter, new_client_id(), scope="requests:submit requests:track"),
    ):
        assert (await api.get(BASE, headers=headers)).status_code == 403
        assert (await api.post(BASE, json=body, headers=headers)).status_code == 403


async def test_a_subscription_shows_its_secret_once(
    api: httpx.AsyncClient, client_a: dict[str, str], requests_database: str
) -> None:
    headers = {**client_a, "Idempotency-Key": "subscribe-once"}
    body = subscription_body("http://127.0.0.1:9/once", "objection.filed", "objection.filed")
    first = await api.post(BASE, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.headers["cache-control"] == "no-store"
    made = first.json()
    assert first.headers["location"] == f"{BASE}/{made['id']}"
    assert made["event_types"] == ["objection.filed"]
    assert made["active"] is True
    secret = made["secret"]
    assert secret.startswith("whsec_")
    raw = base64.b64decode(secret.removeprefix("whsec_"))
    assert len(raw) == 32

    replay = await api.post(BASE, json=body, headers=headers)
    assert replay.status_code == 201
    assert replay.json()["id"] == made["id"]
    assert replay.json()["secret"] is None

    shown = await api.get(f"{BASE}/{made['id']}", headers=client_a)
    assert shown.status_code == 200
    assert "secret" not in shown.json()
    assert shown.headers["cache-control"] == "private, no-cache"
    again = await api.get(
        f"{BASE}/{made['id']}", headers={**client_a, "If-None-Match": shown.headers["etag"]}
    )
    assert again.status_code == 304

    stored = await scalar(
        requests_database,
        "SELECT secret_ciphertext FROM webhook_subscriptions WHERE id = :id",
        id=made["id"],
    )
    assert raw not in bytes(stored)
    audits = await rows(
        requests_database,
        "SELECT action, details::text FROM audit_log WHERE object_id = :id",
        id=made["id"],
    )
    assert [a[0] for a in audits] == ["webhook_subscription.create"]
    recorded = str([tuple(a) for a in audits])
    assert "whsec" not in recorded
    assert secret.removeprefix("whsec_") not in recorded


async def test_invalid_subscriptions_are_refused(
    api: httpx.AsyncClient, client_a: dict[str, str]
) -> None:
    body = subscription_body("ftp://127.0.0.1/x", "webhook.ping", root_id=str(DINKES_ID))
    response = await api.post(BASE, json=body, headers=client_a)
    assert response.status_code == 422, response.text
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"url", "root_id", "event_types"} <= fields
    with_password = subscription_body("http://user:pw@127.0.0.1:9/x")
    refused = await api.post(BASE, json=with_password, headers=client_a)
    assert refused.status_code == 422
    assert "pw" not in refused.text


async def test_a_client_manages_only_its_own_subscriptions(
    api: httpx.AsyncClient, client_a: dict[str, str], client_b: dict[str, str]
) -> None:
    mine = await subscribe(api, client_a, "http://127.0.0.1:9/mine")
    path = f"{BASE}/{mine['id']}"
    listed = (await api.get(BASE, headers=client_a, params={"limit": 200})).json()
    assert mine["id"] in {s["id"] for s in listed["items"]}
    others = (await api.get(BASE, headers=client_b)).json()
    assert mine["id"] not in {s["id"] for s in others["items"]}
    etag = (await api.get(path, headers=client_a)).headers["etag"]
    assert (await api.get(path, headers=client_b)).status_code == 404
    patch = await api.patch(path, json={"description": "x"}, headers={**client_b, "If-Match": etag})
    assert patch.status_code == 404
    assert (await api.delete(path, headers=client_b)).status_code == 404
    assert (await api.post(f"{path}/ping", headers=client_b)).status_code == 404
    assert (await api.post(f"{path}/rotate-secret", headers=client_b)).status_code == 404
    assert (await api.get(f"{path}/deliveries", headers=client_b)).status_code == 404


async def test_changes_need_the_current_etag(
    api: httpx.AsyncClient, client_a: dict[str, str], requests_database: str
) -> None:
    made = await subscribe(api, client_a, "http://127.0.0.1:9/etag")
    path = f"{BASE}/{made['id']}"
    etag = (await api.get(path, headers=client_a)).headers["etag"]
    change = {"description": "Aplikasi seluler", "event_types": ["dispute.updated"]}
    assert (await api.patch(path, json=change, headers=client_a)).status_code == 428
    stale = {**client_a, "If-Match": '"stale"'}
    assert (await api.patch(path, json=change, headers=stale)).status_code == 412
    changed = await api.patch(path, json=change, headers={**client_a, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["description"] == "Aplikasi seluler"
    assert changed.json()["event_types"] == ["dispute.updated"]
    bad = await api.patch(
        path, json={"url": "ftp://x"}, headers={**client_a, "If-Match": changed.headers["etag"]}
    )
    assert bad.status_code == 422
    assert (await api.delete(path, headers={**client_a, "If-Match": etag})).status_code == 412
    assert (await api.delete(path, headers=client_a)).status_code == 204
    assert (await api.get(path, headers=client_a)).status_code == 404
    actions = await rows(
        requests_database,
        "SELECT action FROM audit_log WHERE object_id = :id ORDER BY occurred_at",
        id=made["id"],
    )
    assert [a[0] for a in actions] == [
        "webhook_subscription.create",
        "webhook_subscription.update",
        "webhook_subscription.delete",
    ]


async def test_request_events_reach_only_the_client_that_submitted(
    api: httpx.AsyncClient,
    receiver: Receiver,
    auth_stack: AuthStack,
    client_a: dict[str, str],
    client_b: dict[str, str],
) -> None:
    a, b = receiver.endpoint("client-a"), receiver.endpoint("client-b")
    events = ("request.state_changed",)
    sub_a = await subscribe(api, client_a, receiver.url("client-a"), *events)
    sub_b = await subscribe(api, client_b, receiver.url("client-b"), *events)
    mine = await submit(api, form(), headers=client_a)
    theirs = await submit(api, form(), headers=client_b)
    await wait_for(lambda: len(a.received) >= 1 and len(b.received) >= 1)

    official = auth_stack.minter.official(demo_account("ppid.dinkes"))
    verified = await api.post(f"/v1/requests/{mine['id']}/verify", headers=official)
    assert verified.status_code == 200, verified.text
    await wait_for(lambda: len(a.received) >= 2)

    assert [r.payload["data"]["request_id"] for r in a.received] == [mine["id"], mine["id"]]
    assert [r.payload["data"]["request_id"] for r in b.received] == [theirs["id"]]
    first, second = a.received
    assert first.payload["type"] == "request.state_changed"
    assert (first.payload["data"]["state"], second.payload["data"]["state"]) == (
        "received",
        "verified",
    )
    assert first.headers["content-type"] == "application/json"
    assert all(r.verifies_with(sub_a["secret"]) for r in a.received)
    assert not first.verifies_with(sub_b["secret"])
    assert b.received[0].verifies_with(sub_b["secret"])
    assert first.message_id != second.message_id
    # The requests came from SITI's form (NIK, address, phone): none of it is sent.
    bodies = [r.body.decode() for r in (*a.received, *b.received)]
    for value in personal_values():
        assert not any(value in body for body in bodies), "personal data in a webhook payload"
    assert not any(SITI.email in body or SITI.name in body for body in bodies)


async def test_failures_are_retried_with_backoff_under_the_same_id(
    api: httpx.AsyncClient, receiver: Receiver, client_a: dict[str, str]
) -> None:
    flaky = receiver.endpoint("flaky", fail_next=2, status=500)
    made = await subscribe(api, client_a, receiver.url("flaky"), "dip.entry_published")
    queued = await ping(api, client_a, made)
    done = await settled(api, client_a, queued)

    assert done["state"] == "delivered"
    assert [a["status"] for a in done["attempt_log"]] == [500, 500, 204]
    assert done["payload"]["type"] == "webhook.ping"
    assert len(flaky.received) == 3
    assert {r.message_id for r in flaky.received} == {queued["message_id"]}
    assert all(r.verifies_with(made["secret"]) for r in flaky.received)
    first, second, third = (r.at for r in flaky.received)
    # Back-off base·4^(n-1), at least half of it with the jitter.
    assert second - first >= BACKOFF / 2
    assert third - second >= BACKOFF * 4 / 2
    view = (await api.get(f"{BASE}/{made['id']}", headers=client_a)).json()
    assert view["consecutive_failures"] == 0
    listed = await api.get(
        f"{BASE}/{made['id']}/deliveries", params={"state": "delivered"}, headers=client_a
    )
    assert [d["id"] for d in listed.json()["items"]] == [queued["id"]]


async def test_a_failing_receiver_ends_dead_then_disabled(
    api: httpx.AsyncClient, receiver: Receiver, client_a: dict[str, str]
) -> None:
    down = receiver.endpoint("down", always=500)
    made = await subscribe(api, client_a, receiver.url("down"), "dip.entry_published")
    path = f"{BASE}/{made['id']}"
    first = await settled(api, client_a, await ping(api, client_a, made))
    assert first["state"] == "dead"
    assert first["attempts"] == MAX_ATTEMPTS
    view = (await api.get(path, headers=client_a)).json()
    assert (view["active"], view["consecutive_failures"]) == (True, MAX_ATTEMPTS)

    second = await settled(api, client_a, await ping(api, client_a, made))
    assert second["state"] == "dead"
    assert second["attempts"] == DISABLE_AFTER - MAX_ATTEMPTS
    assert len(down.received) == DISABLE_AFTER
    shown = await api.get(path, headers=client_a)
    view = shown.json()
    assert view["active"] is False
    assert view["disabled_at"] is not None
    assert view["disabled_reason"]
    assert (await api.post(f"{path}/ping", headers=client_a)).status_code == 409

    metrics = (await api.get("/metrics")).text
    assert 'webhook_delivery_attempts_total{event_type="webhook.ping",outcome="dead"}' in metrics
    assert "webhook_subscriptions_disabled_total 1.0" in metrics

    enabled = await api.patch(
        path, json={"active": True}, headers={**client_a, "If-Match": shown.headers["etag"]}
    )
    assert enabled.status_code == 200, enabled.text
    assert enabled.json()["active"] is True
    assert enabled.json()["consecutive_failures"] == 0
    assert enabled.json()["disabled_at"] is None


async def test_both_secrets_sign_during_a_rotation(
    api: httpx.AsyncClient, receiver: Receiver, client_a: dict[str, str], requests_database: str
) -> None:
    endpoint = receiver.endpoint("rotating")
    made = await subscribe(api, client_a, receiver.url("rotating"), "dip.entry_withdrawn")
    path = f"{BASE}/{made['id']}"
    headers = {**client_a, "Idempotency-Key": "rotate-1"}
    rotated = await api.post(f"{path}/rotate-secret", headers=headers)
    assert rotated.status_code == 200, rotated.text
    old, new = made["secret"], rotated.json()["secret"]
    assert new.startswith("whsec_")
    assert new != old
    assert rotated.json()["previous_secret_expires_at"] is not None
    replay = await api.post(f"{path}/rotate-secret", headers=headers)
    assert replay.json()["secret"] is None

    await settled(api, client_a, await ping(api, client_a, made))
    during = endpoint.received[-1]
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert during.verifies_with(new)
    assert during.verifies_with(old)

    await execute(
        requests_database,
        "UPDATE webhook_subscriptions SET previous_secret_expires_at = now() - interval '1 s' "
        "WHERE id = :id",
        id=made["id"],
    )
    await settled(api, client_a, await ping(api, client_a, made))
    after = endpoint.received[-1]
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    assert after.verifies_with(new)
    assert not after.verifies_with(old)


async def test_a_delivered_message_can_be_sent_again(
    api: httpx.AsyncClient, receiver: Receiver, client_a: dict[str, str], client_b: dict[str, str]
) -> None:
    endpoint = receiver.endpoint("again")
    made = await subscribe(api, client_a, receiver.url("again"), "dip.entry_published")
    delivered = await settled(api, client_a, await ping(api, client_a, made))
    path = f"{BASE}/{made['id']}/deliveries/{delivered['id']}/redeliver"
    assert (await api.post(path, headers=client_b)).status_code == 404
    response = await api.post(path, headers=client_a)
    assert response.status_code == 202, response.text
    again = response.json()
    assert again["id"] != delivered["id"]
    assert again["message_id"] == delivered["message_id"]
    assert (await settled(api, client_a, again))["state"] == "delivered"
    assert [r.message_id for r in endpoint.received] == [delivered["message_id"]] * 2
    assert endpoint.received[0].body == endpoint.received[1].body
