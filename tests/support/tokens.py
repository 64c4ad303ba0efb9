"""Signing access tokens in tests with a service's real key, as auth itself would."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from ppid_kit.tokens import sign_token

Grants = Iterable[tuple[str, uuid.UUID]]


@dataclass(frozen=True)
class Minter:
    """Signs access tokens with auth's active key (ppid_kit.tokens.sign_token)."""

    pem: str
    kid: str
    alg: str
    issuer: str
    audience: str

    def token(
        self,
        grants: Grants,
        *,
        sub: uuid.UUID | str | None = None,
        typ: str = "official",
        ttl: int = 600,
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(sub or uuid.uuid4()),
            "typ": typ,
            "grants": [{"role": role, "unit_id": str(unit)} for role, unit in grants],
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
        }
        return sign_token(claims, self.pem, kid=self.kid, algorithm=self.alg)

    def headers(
        self, grants: Grants, *, sub: uuid.UUID | str | None = None, typ: str = "official"
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(grants, sub=sub, typ=typ)}"}
