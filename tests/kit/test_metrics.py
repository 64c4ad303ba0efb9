"""Prometheus metrics: one registry per app, labelled by route template."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from ppid_kit.metrics import PrometheusMiddleware, metrics_router
from ppid_kit.settings import ServiceSettings

from tests.kit.helpers import build_app, serving

units = APIRouter(prefix="/v1/units")
members = APIRouter(prefix="/{unit_id}/members")


@units.get("/{unit_id}")
async def get_unit(unit_id: str) -> dict[str, str]:
    return {"id": unit_id}


@members.get("/{member_id}")
async def get_member(unit_id: str, member_id: str) -> dict[str, str]:
    return {"id": member_id}


units.include_router(members)

mounted = FastAPI()


@mounted.get("/files/{name}")
async def get_file(name: str) -> dict[str, str]:
    return {"name": name}


def _total(method: str, route: str, status: int) -> str:
    return f'http_requests_total{{method="{method}",route="{route}",status="{status}"}}'


def _samples(text: str, prefix: str) -> dict[str, float]:
    found = {}
    for line in text.splitlines():
        if line.startswith(prefix):
            labels, value = line.rsplit(" ", 1)
            found[labels] = float(value)
    return found


async def test_route_template_labels(settings: ServiceSettings) -> None:
    app = build_app(settings, [units])
    app.mount("/static", mounted)
    async with serving(app) as client:
        await client.get("/v1/units/a")
        await client.get("/v1/units/b")
        await client.get("/v1/units/a/members/m1")
        await client.post("/v1/units/a")
        await client.get("/no/such/path")
        await client.get("/static/files/report.pdf")
        text = (await client.get("/metrics")).text
    totals = _samples(text, "http_requests_total{")
    assert totals[_total("GET", "/v1/units/{unit_id}", 200)] == 2
    assert totals[_total("GET", "/v1/units/{unit_id}/members/{member_id}", 200)] == 1
    assert totals[_total("POST", "/v1/units/{unit_id}", 405)] == 1
    assert totals[_total("GET", "<unmatched>", 404)] == 1
    assert totals[_total("GET", "/static/files/{name}", 200)] == 1
    assert not any("/v1/units/a" in labels or "report.pdf" in labels for labels in totals)
    durations = _samples(text, "http_request_duration_seconds_count{")
    assert (
        durations['http_request_duration_seconds_count{method="GET",route="/v1/units/{unit_id}"}']
        == 2
    )
    assert 'http_requests_in_progress{method="GET"}' in text
    assert 'service_info{service="kit-test"} 1.0' in text


async def test_each_app_has_its_own_registry(settings: ServiceSettings) -> None:
    first, second = build_app(settings, [units]), build_app(settings, [units])
    assert first.state.metrics_registry is not second.state.metrics_registry
    async with serving(first) as client:
        await client.get("/v1/units/a")
    async with serving(second) as client:
        text = (await client.get("/metrics")).text
    assert 'route="/v1/units/{unit_id}"' not in text


async def test_middleware_counts_escaped_errors_as_500() -> None:
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry()
    inner = FastAPI()

    @inner.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    inner.include_router(metrics_router(registry))
    app = PrometheusMiddleware(inner, registry, "bare")
    import httpx

    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/boom")
        text = (await client.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/boom",status="500"} 1.0' in text
    assert 'http_requests_in_progress{method="GET"} 1.0' in text  # only the /metrics call
