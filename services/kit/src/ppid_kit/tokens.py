"""Access-token verification against auth's JWKS (the only module that imports jose)."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Mapping
from typing import Annotated, Any, Protocol

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jose import jwk, jwt
from jose.exceptions import ExpiredSignatureError, JOSEError
from pydantic import BaseModel, ConfigDict, ValidationError

from ppid_kit.problems import INVALID_TOKEN, SERVICE_UNAVAILABLE, UNAUTHORIZED, ProblemError, Text

_log = logging.getLogger("ppid_kit.tokens")
# Asymmetric only: a symmetric algorithm would let anyone holding the public key sign.
_KEY_TYPE = {
    "ES256": ("EC", "P-256"),
    "ES384": ("EC", "P-384"),
    "ES512": ("EC", "P-521"),
    "RS256": ("RSA", None),
    "RS384": ("RSA", None),
    "RS512": ("RSA", None),
}
_CURVES: dict[str, ec.EllipticCurve] = {
    "ES256": ec.SECP256R1(),
    "ES384": ec.SECP384R1(),
    "ES512": ec.SECP521R1(),
}
_CHALLENGE = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
_EXPIRED = Text("Token akses sudah kedaluwarsa.", "The access token has expired.")


class Grant(BaseModel):
    role: str
    unit_id: str


class Claims(BaseModel):
    model_config = ConfigDict(extra="ignore")

    sub: str
    typ: str | None = None
    grants: list[Grant] = []
    aud: str | list[str]
    iss: str
    exp: int
    nbf: int | None = None
    iat: int | None = None
    jti: str
    scope: str | None = None
    client_id: str | None = None
    tier: str | None = None  # an API client's rate-limit tier, for the gateway's quotas


class UnknownKeyError(LookupError):
    """A key source knows no (published) key with this `kid`: the token is refused."""


class KeySource(Protocol):
    """Where `TokenVerifier` finds public JWKs: `JWKSCache` over HTTP, or the issuer's own store.

    `get_key` returns the JWK of `kid`, raises `UnknownKeyError` when there is none, and
    `JWKSUnavailableError` when no key set could be had at all (503, not the token's fault).
    """

    async def get_key(self, kid: str) -> dict[str, Any]: ...


class JWKSUnavailableError(RuntimeError):
    """No key set could be fetched yet."""


class JWKSCache:
    """Public keys by `kid`, fetched from `url` and kept `ttl` seconds.

    An unknown `kid` (a key rotated in) triggers one refetch, at most once per
    `min_refresh_interval`, so garbage tokens cannot make us hammer auth.
    """

    def __init__(
        self,
        url: str,
        client: httpx.AsyncClient,
        *,
        ttl: float = 300.0,
        min_refresh_interval: float = 30.0,
    ) -> None:
        self.url = url
        self._client = client
        self._ttl = ttl
        self._min_refresh = min_refresh_interval
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def get_key(self, kid: str) -> dict[str, Any]:
        key = self._keys.get(kid)
        stale = self._fetched_at is None or time.monotonic() - self._fetched_at >= self._ttl
        if key is None or stale:
            await self._refresh()
            key = self._keys.get(kid)
        if key is None:
            if self._fetched_at is None:
                raise JWKSUnavailableError(self.url)
            raise UnknownKeyError(kid)
        return key

    async def _refresh(self) -> None:
        async with self._lock:
            now = time.monotonic()
            if self._attempted_at is not None and now - self._attempted_at < self._min_refresh:
                return  # rate limited; also absorbs the tasks that queued on the lock
            self._attempted_at = now
            try:
                response = await self._client.get(self.url)
                response.raise_for_status()
                keys = response.json()["keys"]
                self._keys = {k["kid"]: k for k in keys if _is_signing_key(k)}
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                # Keep serving the keys we have: a blip at auth must not log everyone out.
                _log.warning("JWKS fetch failed: %s", type(exc).__name__)
                return
            self._fetched_at = now


def _is_signing_key(key: Any) -> bool:
    if not isinstance(key, dict):
        return False
    return isinstance(key.get("kid"), str) and key.get("use", "sig") == "sig"


def _unverified_header(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS")
    header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    if not isinstance(header, dict):
        raise ValueError("header is not an object")
    return header


class TokenVerifier:
    def __init__(
        self,
        jwks: KeySource,
        *,
        issuer: str,
        audience: str,
        algorithms: tuple[str, ...] = ("ES256", "RS256"),
        leeway: int = 30,
    ) -> None:
        unsupported = [a for a in algorithms if a not in _KEY_TYPE]
        if unsupported or not algorithms:
            raise ValueError(f"algorithms not allowed: {unsupported or 'none given'}")
        self.jwks = jwks
        self.issuer = issuer
        self.audience = audience
        self.algorithms = frozenset(algorithms)
        self.leeway = leeway

    async def verify(self, token: str) -> Claims:
        try:
            return await self._verify(token)
        except ExpiredSignatureError as exc:
            raise ProblemError(INVALID_TOKEN, _EXPIRED, headers=_CHALLENGE) from exc
        except (JOSEError, ValueError, UnknownKeyError, ValidationError) as exc:
            _log.info("token rejected: %s", type(exc).__name__)
            raise ProblemError(INVALID_TOKEN, headers=_CHALLENGE) from exc
        except JWKSUnavailableError as exc:  # auth unreachable: not the token's fault
            raise ProblemError(SERVICE_UNAVAILABLE, headers={"Retry-After": "5"}) from exc

    async def _verify(self, token: str) -> Claims:
        header = _unverified_header(token)
        alg, kid = header.get("alg"), header.get("kid")
        # Decide the algorithm from our allowlist before touching the signature.
        if not isinstance(alg, str) or alg not in self.algorithms:
            raise ValueError(f"algorithm {alg!r} not allowed")
        if not isinstance(kid, str):
            raise ValueError("no kid")
        key = await self.jwks.get_key(kid)
        kty, crv = _KEY_TYPE[alg]
        if key.get("kty") != kty or (crv is not None and key.get("crv") != crv):
            raise ValueError("algorithm does not fit the key type")
        if key.get("alg", alg) != alg:
            raise ValueError("algorithm does not fit the key")
        payload = jwt.decode(
            token,
            jwk.construct(key, alg),
            algorithms=[alg],
            audience=self.audience,
            issuer=self.issuer,
            options={
                "leeway": self.leeway,
                "require_exp": True,
                "require_sub": True,
                "require_jti": True,
                "require_aud": True,
                "require_iss": True,
            },
        )
        return Claims.model_validate(payload)


def sign_token(
    claims: Mapping[str, Any] | Claims,
    private_key_pem: str,
    *,
    kid: str,
    algorithm: str = "ES256",
) -> str:
    data = claims.model_dump(exclude_none=True) if isinstance(claims, Claims) else dict(claims)
    return jwt.encode(data, private_key_pem, algorithm=algorithm, headers={"kid": kid})


def public_jwk(private_key_pem: str, *, kid: str, algorithm: str = "ES256") -> dict[str, Any]:
    """The JWKS entry for the public half of `private_key_pem`."""
    public: dict[str, Any] = jwk.construct(private_key_pem, algorithm).public_key().to_dict()
    public.update({"kid": kid, "alg": algorithm, "use": "sig"})
    return public


def generate_private_key_pem(algorithm: str = "ES256") -> str:
    """A new PKCS#8 PEM private key for `algorithm` (ES256/384/512 or RS256/384/512)."""
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    if algorithm in _CURVES:
        key = ec.generate_private_key(_CURVES[algorithm])
    elif algorithm in _KEY_TYPE:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        raise ValueError(f"unsupported algorithm {algorithm!r}")
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode("ascii")


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


_bearer_scheme = HTTPBearer(auto_error=False, bearerFormat="JWT")


async def optional_claims(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> Claims | None:
    """No token: None. A token: it must be valid (a bad token is an error, not anonymity)."""
    token = bearer_token(request)
    if token is None:
        return None
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(token)


async def current_claims(
    claims: Annotated[Claims | None, Depends(optional_claims)],
) -> Claims:
    if claims is None:
        raise ProblemError(UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    return claims


CurrentClaims = Annotated[Claims, Depends(current_claims)]
OptionalClaims = Annotated[Claims | None, Depends(optional_claims)]
