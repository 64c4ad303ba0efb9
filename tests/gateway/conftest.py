"""Real processes on loopback: three stand-in upstreams and gateways configured per concern."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from ppid_kit.tokens import generate_private_key_pem, public_jwk, sign_token

from tests.support.procs import Proc, free_port, running, uvicorn_cmd, wait_http

UPSTREAM_FACTORY = "tests.gateway.upstream_app:create_app"
GATEWAY_FACTORY = "gateway.main:create_app"
KID = "test-key-1"
ALLOWED_ORIGIN = "https://app.example"
CLIENT_ORIGIN = "https://client-one.example"  # an API client's, served by the auth stand-in
MIB = 1024 * 1024


@dataclass(frozen=True)
class Keys:
    private_pem: str

    def token(self, *, expires_in: int = 300, **claims: Any) -> str:
        now = int(time.time())
        base: dict[str, Any] = {
            "sub": "user-1",
            "typ": "official",
            "aud": "terbuka",
            "iss": "terbuka-auth",
            "iat": now,
            "exp": now + expires_in,
            "jti": str(uuid.uuid4()),
        }
        return sign_token({**base, **claims}, self.private_pem, kid=KID)


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys(generate_private_key_pem())


@pytest.fixture(scope="session")
def upstreams(keys: Keys) -> Iterator[dict[str, Proc]]:
    jwks = json.dumps({"keys": [public_jwk(keys.private_pem, kid=KID)]})
    with ExitStack() as stack:
        procs: dict[str, Proc] = {}
        for name in ("auth", "registry", "requests"):
            port = free_port()
            env = {
                "UPSTREAM_NAME": name,
                "UPSTREAM_JWKS": jwks,
                "UPSTREAM_ORIGINS": json.dumps([CLIENT_ORIGIN]),
            }
            cmd = uvicorn_cmd(UPSTREAM_FACTORY, port)
            procs[name] = stack.enter_context(
                running(cmd, port=port, env=env, ready_path=None, name=f"upstream-{name}")
            )
        for proc in procs.values():  # started together, awaited together
            wait_http(proc.url + "/healthz", proc=proc)
        yield procs


def _gateway_env(urls: Mapping[str, str], **overrides: str) -> dict[str, str]:
    env = {
        "GATEWAY_AUTH_URL": urls["auth"],
        "GATEWAY_REGISTRY_URL": urls["registry"],
        "GATEWAY_REQUESTS_URL": urls["requests"],
        "GATEWAY_CORS_ORIGINS": json.dumps([ALLOWED_ORIGIN]),
        "GATEWAY_MAX_BODY_BYTES": str(MIB),
        "GATEWAY_RATE_LIMIT_PER_MINUTE": "100000",
        "GATEWAY_CLIENT_RATE_LIMIT_PER_MINUTE": "100000",
        "GATEWAY_OPENAPI_CACHE_SECONDS": "0.5",
    }
    env.update({f"GATEWAY_{key.upper()}": value for key, value in overrides.items()})
    return env


def _start_gateway(stack: ExitStack, name: str, env: Mapping[str, str]) -> Proc:
    port = free_port()
    # The gateway decides itself which proxies to trust; uvicorn must not rewrite the peer.
    cmd = [*uvicorn_cmd(GATEWAY_FACTORY, port), "--no-proxy-headers"]
    return stack.enter_context(running(cmd, port=port, env=env, ready_path=None, name=name))


@dataclass(frozen=True)
class Gateways:
    main: Proc  # healthy upstreams, generous limits, 1 MiB body limit, 1.5 s read timeout
    faults: Proc  # registry down, 0.5 s read timeout, breaker 3 failures / 1.5 s
    limited: Proc  # 5 anonymous, 8 standard, 40 partner, 1000 internal requests per minute
    clients: Proc  # polls the API clients' origins every 0.3 s


@pytest.fixture(scope="session")
def gateways(upstreams: dict[str, Proc]) -> Iterator[Gateways]:
    urls = {name: proc.url for name, proc in upstreams.items()}
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with ExitStack() as stack:
        found = Gateways(
            main=_start_gateway(stack, "gw-main", _gateway_env(urls, read_timeout="1.5")),
            faults=_start_gateway(
                stack,
                "gw-faults",
                _gateway_env(
                    {**urls, "registry": dead},
                    read_timeout="0.5",
                    breaker_failures="3",
                    breaker_cooldown="1.5",
                ),
            ),
            limited=_start_gateway(
                stack,
                "gw-limited",
                _gateway_env(
                    urls,
                    rate_limit_per_minute="5",
                    client_rate_limit_per_minute="8",  # partner: 5 times that by default
                    internal_rate_limit_per_minute="1000",
                ),
            ),
            clients=_start_gateway(
                stack, "gw-clients", _gateway_env(urls, client_origins_refresh_seconds="0.3")
            ),
        )
        for proc in (found.main, found.faults, found.limited, found.clients):
            wait_http(proc.url + "/healthz", proc=proc)
        yield found


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def upstream_stats(http: httpx.Client, upstream: Proc) -> dict[str, int]:
    stats: dict[str, int] = http.get(upstream.url + "/stats").json()
    return stats


def header_pairs(echo: Mapping[str, Any]) -> dict[str, str]:
    """The headers the upstream received, by lower-case name (last one wins)."""
    return {name.lower(): value for name, value in echo["headers"]}
