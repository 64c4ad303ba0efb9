"""Token verification against a JWKS served by a real HTTP server on loopback."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi import APIRouter
from ppid_kit.problems import INVALID_TOKEN, SERVICE_UNAVAILABLE, ProblemError
from ppid_kit.settings import ServiceSettings
from ppid_kit.tokens import (
    Claims,
    CurrentClaims,
    JWKSCache,
    OptionalClaims,
    TokenVerifier,
    generate_private_key_pem,
    public_jwk,
    sign_token,
)
from pydantic import SecretStr

from tests.kit.helpers import JWKSServer, build_app, closed_port_url, serving

ISSUER, AUDIENCE = "terbuka-auth", "terbuka"
ES_KEY = generate_private_key_pem("ES256")
RS_KEY = generate_private_key_pem("RS256")
router = APIRouter()


@router.get("/v1/me")
async def whoami(claims: CurrentClaims) -> dict[str, Any]:
    return {"sub": claims.sub, "grants": [g.model_dump() for g in claims.grants]}


@router.get("/v1/maybe")
async def maybe(claims: OptionalClaims) -> dict[str, str | None]:
    return {"sub": claims.sub if claims else None}


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "sub": "user-1",
        "typ": "official",
        "grants": [{"role": "ppid_pelaksana", "unit_id": "unit-9"}],
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value).encode())


@pytest.fixture
def jwks(jwks_server: JWKSServer) -> Iterator[JWKSServer]:
    jwks_server.keys = [
        public_jwk(ES_KEY, kid="es-1", algorithm="ES256"),
        public_jwk(RS_KEY, kid="rs-1", algorithm="RS256"),
    ]
    yield jwks_server
    jwks_server.keys = []


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def verifier(jwks: JWKSServer, http: httpx.AsyncClient, **cache: float) -> TokenVerifier:
    return TokenVerifier(JWKSCache(jwks.url, http, **cache), issuer=ISSUER, audience=AUDIENCE)


async def test_valid_tokens_are_accepted(jwks: JWKSServer, http: httpx.AsyncClient) -> None:
    check = verifier(jwks, http)
    es = await check.verify(sign_token(claims(), ES_KEY, kid="es-1"))
    rs = await check.verify(sign_token(claims(sub="svc"), RS_KEY, kid="rs-1", algorithm="RS256"))
    assert isinstance(es, Claims)
    assert es.sub == "user-1"
    assert es.grants[0].unit_id == "unit-9"
    assert rs.sub == "svc"


async def test_small_clock_skew_is_tolerated(jwks: JWKSServer, http: httpx.AsyncClient) -> None:
    now = int(time.time())
    token = sign_token(claims(exp=now - 10, nbf=now + 10), ES_KEY, kid="es-1")
    assert (await verifier(jwks, http).verify(token)).sub == "user-1"


def _alg_none() -> str:
    return f"{_segment({'alg': 'none', 'kid': 'es-1'})}.{_segment(claims())}."


def _hs256_with_public_key() -> str:
    """The classic confusion attack: HMAC keyed with the (public) verification key."""
    public_pem = (
        serialization.load_pem_private_key(ES_KEY.encode(), None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signing_input = (
        f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': 'es-1'})}.{_segment(claims())}"
    )
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _tampered_payload() -> str:
    header, _, signature = sign_token(claims(), ES_KEY, kid="es-1").split(".")
    return f"{header}.{_segment(claims(sub='admin'))}.{signature}"


def _rs256_header_on_ec_key() -> str:
    return sign_token(claims(), RS_KEY, kid="es-1", algorithm="RS256")


BAD_TOKENS: dict[str, Callable[[], str]] = {
    "alg-none": _alg_none,
    "hs256-public-key": _hs256_with_public_key,
    "tampered-payload": _tampered_payload,
    "alg-kty-mismatch": _rs256_header_on_ec_key,
    "wrong-aud": lambda: sign_token(claims(aud="elsewhere"), ES_KEY, kid="es-1"),
    "wrong-iss": lambda: sign_token(claims(iss="someone"), ES_KEY, kid="es-1"),
    "expired": lambda: sign_token(claims(exp=int(time.time()) - 120), ES_KEY, kid="es-1"),
    "nbf-future": lambda: sign_token(claims(nbf=int(time.time()) + 300), ES_KEY, kid="es-1"),
    "no-exp": lambda: sign_token(claims(exp=None), ES_KEY, kid="es-1"),
    "no-jti": lambda: sign_token(claims(jti=None), ES_KEY, kid="es-1"),
    "no-sub": lambda: sign_token(claims(sub=None), ES_KEY, kid="es-1"),
    "no-aud": lambda: sign_token(claims(aud=None), ES_KEY, kid="es-1"),
    "unknown-kid": lambda: sign_token(claims(), generate_private_key_pem(), kid="ghost"),
    "no-kid": lambda: sign_token(claims(), ES_KEY, kid="es-1").replace(
        sign_token(claims(), ES_KEY, kid="es-1").split(".")[0], _segment({"alg": "ES256"})
    ),
    "garbage": lambda: "not.a.jwt",
    "two-parts": lambda: "abc.def",
}


@pytest.mark.parametrize("name", list(BAD_TOKENS))
async def test_bad_tokens_are_rejected(
    jwks: JWKSServer, http: httpx.AsyncClient, name: str
) -> None:
    with pytest.raises(ProblemError) as caught:
        await verifier(jwks, http).verify(BAD_TOKENS[name]())
    assert caught.value.kind is INVALID_TOKEN
    assert caught.value.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize("name", ["alg-none", "hs256-public-key", "wrong-aud", "expired"])
async def test_bad_tokens_get_401_from_the_app(
    jwks: JWKSServer, settings: ServiceSettings, name: str
) -> None:
    app = build_app(settings.model_copy(update={"jwks_url": jwks.url}), [router])
    async with serving(app) as client:
        response = await client.get(
            "/v1/me", headers={"Authorization": f"Bearer {BAD_TOKENS[name]()}"}
        )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/invalid-token"


async def test_app_accepts_valid_and_requires_a_token(
    jwks: JWKSServer, settings: ServiceSettings
) -> None:
    app = build_app(settings.model_copy(update={"jwks_url": jwks.url}), [router])
    token = sign_token(claims(), ES_KEY, kid="es-1")
    async with serving(app) as client:
        ok = await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        missing = await client.get("/v1/me")
        basic = await client.get("/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
        anonymous = await client.get("/v1/maybe")
        known = await client.get("/v1/maybe", headers={"Authorization": f"Bearer {token}"})
        bad = await client.get("/v1/maybe", headers={"Authorization": "Bearer x.y.z"})
    assert ok.status_code == 200
    assert ok.json() == {
        "sub": "user-1",
        "grants": [{"role": "ppid_pelaksana", "unit_id": "unit-9"}],
    }
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["type"] == "/problems/unauthorized"
    assert basic.status_code == 401
    assert anonymous.json() == {"sub": None}
    assert known.json() == {"sub": "user-1"}
    assert bad.status_code == 401


async def test_unknown_kid_refetches_once_per_interval(
    jwks: JWKSServer, http: httpx.AsyncClient
) -> None:
    check = verifier(jwks, http, min_refresh_interval=30.0)
    await check.verify(sign_token(claims(), ES_KEY, kid="es-1"))
    start = jwks.hits
    stranger = generate_private_key_pem()
    for _ in range(3):
        with pytest.raises(ProblemError):
            await check.verify(sign_token(claims(), stranger, kid="stranger"))
    assert jwks.hits - start == 0  # fetched at start-up just now: rate limited


async def test_rotated_key_is_picked_up(jwks: JWKSServer, http: httpx.AsyncClient) -> None:
    check = verifier(jwks, http, min_refresh_interval=0.0)
    await check.verify(sign_token(claims(), ES_KEY, kid="es-1"))
    fresh = generate_private_key_pem()
    token = sign_token(claims(sub="rotated"), fresh, kid="es-2")
    with pytest.raises(ProblemError):
        await check.verify(token)
    before = jwks.hits
    jwks.keys = [*jwks.keys, public_jwk(fresh, kid="es-2")]
    assert (await check.verify(token)).sub == "rotated"
    assert jwks.hits == before + 1
    await check.verify(token)  # cached now
    assert jwks.hits == before + 1


async def test_unknown_kid_refetch_happens_after_interval(
    jwks: JWKSServer, http: httpx.AsyncClient
) -> None:
    check = verifier(jwks, http, min_refresh_interval=0.2)
    await check.verify(sign_token(claims(), ES_KEY, kid="es-1"))
    start = jwks.hits
    token = sign_token(claims(), generate_private_key_pem(), kid="other")
    with pytest.raises(ProblemError):
        await check.verify(token)
    assert jwks.hits == start
    await asyncio.sleep(0.25)
    with pytest.raises(ProblemError):
        await check.verify(token)
    assert jwks.hits == start + 1


async def test_unreachable_jwks_is_503(http: httpx.AsyncClient) -> None:
    url = closed_port_url().replace("postgresql+asyncpg://postgres@", "http://")
    check = TokenVerifier(JWKSCache(url, http), issuer=ISSUER, audience=AUDIENCE)
    with pytest.raises(ProblemError) as caught:
        await check.verify(sign_token(claims(), ES_KEY, kid="es-1"))
    assert caught.value.kind is SERVICE_UNAVAILABLE


def test_symmetric_algorithms_cannot_be_allowed(http: httpx.AsyncClient) -> None:
    cache = JWKSCache("http://127.0.0.1:1/jwks.json", http)
    for algorithms in (("HS256",), ("none",), ("ES256", "HS512"), ()):
        with pytest.raises(ValueError, match="not allowed"):
            TokenVerifier(cache, issuer=ISSUER, audience=AUDIENCE, algorithms=algorithms)


def test_public_jwk_has_no_private_parts() -> None:
    es = public_jwk(ES_KEY, kid="k1")
    rs = public_jwk(RS_KEY, kid="k2", algorithm="RS256")
    assert {"kty": "EC", "crv": "P-256", "kid": "k1", "alg": "ES256", "use": "sig"}.items() <= (
        es.items()
    )
    assert "d" not in es
    assert rs["kty"] == "RSA"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & rs.keys()


def test_settings_default_algorithms_are_supported() -> None:
    defaults = ServiceSettings(cursor_secret=SecretStr("x"))
    assert defaults.jwt_algorithms == ["ES256", "RS256"]
    cache = JWKSCache(defaults.jwks_url, httpx.AsyncClient())
    TokenVerifier(cache, issuer="i", audience="a", algorithms=tuple(defaults.jwt_algorithms))


def test_only_tokens_module_imports_jose() -> None:
    """python-jose is confined to ppid_kit.tokens: no other module of any app or tool."""
    root = Path(__file__).resolve().parents[2]
    sources = [
        *root.glob("services/*/src/**/*.py"),
        *root.glob("services/*/migrations/**/*.py"),
        *root.glob("gateway/src/**/*.py"),
        *root.glob("tools/**/*.py"),
    ]
    assert len(sources) > 50  # the globs found the code
    importers = sorted(
        str(path.relative_to(root))
        for path in sources
        if any(
            line.strip().startswith(("import jose", "from jose"))
            for line in path.read_text().splitlines()
        )
    )
    assert importers == ["services/kit/src/ppid_kit/tokens.py"]
