"""Liveness and readiness probes against a real and an unreachable database."""

from __future__ import annotations

from ppid_kit.settings import ServiceSettings

from tests.kit.helpers import build_app, closed_port_url, serving


async def test_ready_with_real_database(settings: ServiceSettings) -> None:
    async with serving(build_app(settings)) as client:
        ready = await client.get("/readyz")
        healthy = await client.get("/healthz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}
    assert healthy.status_code == 200
    assert healthy.json() == {"status": "ok"}


async def test_not_ready_when_database_port_is_closed() -> None:
    settings = ServiceSettings(database_url=closed_port_url())
    async with serving(build_app(settings)) as client:
        ready = await client.get("/readyz", headers={"Accept-Language": "en"})
        healthy = await client.get("/healthz")
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    assert ready.headers["retry-after"] == "2"
    body = ready.json()
    assert body["type"] == "/problems/service-unavailable"
    assert body["title"] == "Service unavailable"
    assert "database" in body["detail"]
    assert body["request_id"] == ready.headers["x-request-id"]
    assert healthy.status_code == 200
