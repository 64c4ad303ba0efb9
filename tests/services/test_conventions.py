"""The HTTP conventions of API.md and ARCHITECTURE.md, on each of the three services."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from ppid_kit import problems

from tests.services.support import ALL_SERVICES, Service, serve
from tests.support.procs import free_port

PROBLEM_JSON = "application/problem+json"


@pytest.fixture(scope="module", params=ALL_SERVICES, ids=lambda service: service.name)
def service(request: pytest.FixtureRequest) -> Service:
    chosen: Service = request.param
    return chosen


@pytest.fixture(scope="module")
def database_url(service: Service, migrated_database: Callable[..., str]) -> str:
    return migrated_database(service.name, suffix="_conventions")


@pytest.fixture(scope="module")
async def client(service: Service, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(service.make_app(database_url)) as client:
        yield client


def assert_problem(response: httpx.Response, kind: problems.ProblemKind) -> dict[str, object]:
    assert response.status_code == kind.status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, object] = response.json()
    assert body["type"] == f"/problems/{kind.slug}"
    assert body["status"] == kind.status
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_unknown_path_is_a_404_problem_in_indonesian(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/no-such-thing")
    body = assert_problem(response, problems.NOT_FOUND)
    assert body["title"] == problems.NOT_FOUND.title.id
    assert body["instance"] == "/v1/no-such-thing"


async def test_problem_in_english_on_accept_language_en(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/no-such-thing", headers={"Accept-Language": "en"})
    body = assert_problem(response, problems.NOT_FOUND)
    assert body["title"] == problems.NOT_FOUND.title.en
    assert response.headers["content-language"] == "en"


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "201"}, {"limit": "many"}])
async def test_bad_query_parameter_is_a_422_problem_with_errors(
    client: httpx.AsyncClient, service: Service, query: dict[str, str]
) -> None:
    response = await client.get(service.list_path, params=query)
    body = assert_problem(response, problems.VALIDATION)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert [error["field"] for error in errors] == ["query.limit"]


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz")
    ready = await client.get("/readyz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


async def test_readyz_is_503_when_the_database_is_unreachable(service: Service) -> None:
    closed = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nowhere"
    async with serve(service.make_app(closed)) as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert health.status_code == 200  # alive, just not ready
    assert_problem(ready, problems.SERVICE_UNAVAILABLE)
    assert "retry-after" in ready.headers


async def test_request_id_is_echoed_or_generated(
    client: httpx.AsyncClient, service: Service
) -> None:
    echoed = await client.get(service.list_path, headers={"X-Request-ID": "test-req:42"})
    invalid = await client.get(service.list_path, headers={"X-Request-ID": "no spaces allowed"})
    assert echoed.headers["x-request-id"] == "test-req:42"
    assert invalid.headers["x-request-id"] not in ("", "no spaces allowed")


async def test_metrics_count_requests_by_route_template(
    client: httpx.AsyncClient, service: Service
) -> None:
    await client.get(service.probe_path)
    await client.get("/v1/no-such-thing")
    metrics = (await client.get("/metrics")).text
    counters = [line for line in metrics.splitlines() if line.startswith("http_requests_total{")]
    assert any(f'route="{service.probe_template}"' in line for line in counters), counters
    assert any('route="<unmatched>"' in line for line in counters), counters
    assert not any("00000000-0000" in line for line in counters), "ids leak into labels"


async def test_openapi_operations_are_documented(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert schema["paths"]
    for method, operation in (
        (method, op) for path in schema["paths"].values() for method, op in path.items()
    ):
        assert operation["summary"]
        assert re.fullmatch(r"[a-z][a-z0-9_]*", operation["operationId"])
        if operation.get("parameters") or operation.get("requestBody"):
            # Bad input is documented: 422, or 400 where a standard says so (OAuth2's token).
            assert {"400", "422"} & set(operation["responses"]), operation["operationId"]
        if method == "get":
            assert "200" in operation["responses"], operation["operationId"]
