"""Issue 7: the whole public API fuzzed through the gateway with schemathesis.

The stack is what `make run` starts (gateway and the three services as processes, with
the demo badan publik). Schemathesis reads the merged OpenAPI the gateway serves and, for
every operation, sends a bounded number of generated requests, valid and invalid ones,
once anonymously and once with the token of an official (the PPID Utama, who may act on
the whole demo root, logged in with password and TOTP). Every response must be no server
error, a documented status, of a documented media type, with documented headers and a
body that fits its schema.

Where an operation takes a root, a unit or a DIP entry, a third of its examples name the
demo badan publik's own (the root, Dinas Kesehatan, a published entry), so they reach real
rows instead of stopping at 404. The examples are derandomized: a run is repeatable, and a
failure prints the request to replay it with curl.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import hypothesis
import pyotp
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from registry_service.demo.seed import entry_id
from schemathesis import APIOperation, Case, GenerationMode, Response
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from tests.e2e.launcher import Stack, launched
from tests.support.authstack import DINKES_ID, ROOT_ID, demo_account

# Per operation and per identity; 166 operations x 2 identities x this, on two cores.
EXAMPLES = 12
MFA_ROLES = ("admin", "ppid_utama", "atasan_ppid")
FUZZ_ENV = {
    # The fuzzer is one address and one user sending thousands of requests.
    "GATEWAY_RATE_LIMIT_PER_MINUTE": "1000000",
    "GATEWAY_CLIENT_RATE_LIMIT_PER_MINUTE": "1000000",
}


# Ids of the demo badan publik, so that part of the examples reach real rows past the 404.
KNOWN_PATH = {"root_id": str(ROOT_ID), "unit_id": str(DINKES_ID), "entry_id": str(entry_id(1))}
KNOWN_QUERY = {"root": str(ROOT_ID), "unit_id": str(DINKES_ID)}


def _known(operation: APIOperation[Any, Any, Any, Any]) -> dict[str, dict[str, str]]:
    """The demo ids for the operation's parameters of those names (path and query)."""
    names = {(p.location, p.name) for p in operation.iter_parameters()}
    path = {k: v for k, v in KNOWN_PATH.items() if ("path", k) in names}
    query = {k: v for k, v in KNOWN_QUERY.items() if ("query", k) in names}
    return {"path_parameters": path, "query": query} if path or query else {}


def not_a_server_error(response: Response) -> str | None:
    """A 500 is a bug; 502/503/504 are the documented answers of a dependency that is down."""
    if response.status_code >= 500 and response.status_code not in (502, 503, 504):
        body = response.content[:300].decode(errors="replace")
        return f"server error {response.status_code}: {body}"
    return None


CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class Finding:
    operation: str
    problem: str
    curl: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.problem}\n    {self.curl}"


@pytest.fixture(scope="module")
def stack(pg_server: object) -> Iterator[Stack]:
    with launched(extra_env=FUZZ_ENV, database_prefix="terbuka_fuzz") as running:
        yield running


@pytest.fixture(scope="module")
def api(stack: Stack) -> OpenApiSchema:
    """The merged spec as the gateway serves it."""
    schema = schemathesis.openapi.from_url(f"{stack.url()}/openapi.json", timeout=30)
    assert isinstance(schema, OpenApiSchema)
    return schema


@pytest.fixture(scope="module")
def official_token(stack: Stack) -> str:
    """The PPID Utama logs in through the gateway before any fuzzed login can lock the
    address out (DOMAIN.md 2.3: a root-wide role, so the deepest paths are reachable)."""
    who = demo_account("ppid.utama")
    secret = who.totp_secret(MFA_ROLES)
    assert secret is not None
    body = {"email": who.email, "password": who.password, "otp": pyotp.TOTP(secret).now()}
    response = httpx.post(f"{stack.url()}/v1/auth/login", json=body, timeout=30)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def fuzz_operation(
    operation: APIOperation[Any, Any, Any, Any],
    session: requests.Session,
    base_url: str,
    headers: dict[str, str],
) -> tuple[int, Finding | None]:
    """The operation's examples, valid and invalid; returns the number of requests sent and
    the first example that broke a rule (one per operation is enough to act on)."""
    strategies = [
        operation.as_strategy(mode, headers=dict(headers) or None)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]
    if known := _known(operation):
        strategies.append(
            operation.as_strategy(
                GenerationMode.POSITIVE,
                headers=dict(headers) or None,
                path_parameters=known.get("path_parameters") or None,
                query=known.get("query") or None,
            )
        )
    sent = 0
    found: list[Finding] = []

    def exercise(case: Case[Any]) -> None:
        nonlocal sent
        if found:
            return
        sent += 1
        response = case.call(base_url=base_url, session=session, timeout=60)
        problem = not_a_server_error(response)
        if problem is None:
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as group:
                problem = "; ".join(
                    f"{failure.title}: {failure.message[:300]}" for failure in group.exceptions
                )
            except AssertionError as failure:
                problem = str(failure)[:600]
        if problem is not None:
            found.append(Finding(operation.label, problem, case.as_curl_command()))

    run: Callable[[], None] = hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )(given(case=st.one_of(strategies))(exercise))
    run()
    return sent, (found[0] if found else None)


def fuzz(api: OpenApiSchema, base_url: str, headers: dict[str, str]) -> tuple[int, list[Finding]]:
    """Every operation of the spec; returns the requests sent and the findings."""
    findings: list[Finding] = []
    sent = 0
    with requests.Session() as session:
        for result in api.get_all_operations():
            assert not isinstance(result, Err), result.err()  # the spec itself is broken
            count, finding = fuzz_operation(result.ok(), session, base_url, headers)
            sent += count
            if finding is not None:
                findings.append(finding)
    return sent, findings


def report(who: str, sent: int, findings: list[Finding]) -> str:
    listed = "\n".join(str(finding) for finding in findings)
    return f"{who}: {sent} requests, {len(findings)} operations broke a rule\n{listed}"


def test_fuzz_with_an_officials_token(
    api: OpenApiSchema, stack: Stack, official_token: str
) -> None:
    sent, findings = fuzz(api, stack.url(), {"Authorization": f"Bearer {official_token}"})
    print(report("official", sent, findings))
    assert sent >= len(list(api.get_all_operations())) * 2
    assert not findings, report("official", sent, findings)


def test_fuzz_anonymously(api: OpenApiSchema, stack: Stack, official_token: str) -> None:
    # `official_token` first: the anonymous run's failed logins may lock the address out.
    sent, findings = fuzz(api, stack.url(), {})
    print(report("anonymous", sent, findings))
    assert sent >= len(list(api.get_all_operations())) * 2
    assert not findings, report("anonymous", sent, findings)
