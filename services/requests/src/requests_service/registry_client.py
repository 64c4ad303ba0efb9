"""Calling the registry service over HTTP on behalf of a caller.

The registry owns the DIP and the DIK (DOMAIN.md 5, 6); the requests service reads them
with the caller's own bearer (a root that keeps its lists private still answers its
officials) and the request id, so one request is traced across both services. The
registry unreachable or failing is a 503 with `Retry-After`; an answer that is not what
was asked for is a 502.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any, Self, TypeVar

import httpx
from ppid_kit.logging import get_request_id
from ppid_kit.problems import BAD_GATEWAY, SERVICE_UNAVAILABLE, ProblemError, Text
from pydantic import BaseModel, ValidationError

from requests_service.settings import RequestsSettings

RETRY_AFTER = "5"
M = TypeVar("M", bound=BaseModel)


def unavailable(reason: Text) -> ProblemError:
    return ProblemError(SERVICE_UNAVAILABLE, reason, headers={"Retry-After": RETRY_AFTER})


@dataclass(frozen=True)
class RegistryHttp:
    """The registry's base URL and timeout, with the app's shared HTTP client."""

    http: httpx.AsyncClient
    base_url: str
    timeout: float

    @classmethod
    def of(cls, http: httpx.AsyncClient, settings: RequestsSettings) -> Self:
        return cls(http, settings.registry_url.rstrip("/"), settings.registry_timeout_seconds)

    async def get(
        self,
        path: str,
        *,
        authorization: str | None,
        unreachable: Text,
        down: Container[int],
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """The registry's answer to a GET of `path` with the caller's bearer; 503
        `unreachable` when it cannot be reached or answers with a status in `down`."""
        return await self.send(
            "GET",
            path,
            authorization=authorization,
            unreachable=unreachable,
            down=down,
            params=params,
        )

    async def send(
        self,
        method: str,
        path: str,
        *,
        authorization: str | None,
        unreachable: Text,
        down: Container[int],
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """`method` on `path` with the caller's bearer and the request id; 503 `unreachable`
        when the registry cannot be reached or answers with a status in `down`."""
        sent = {"Accept": "application/json", **(headers or {})}
        if authorization:
            sent["Authorization"] = authorization
        request_id = get_request_id()
        if request_id:
            sent["X-Request-ID"] = request_id
        try:
            response = await self.http.request(
                method,
                f"{self.base_url}{path}",
                params=params,
                json=json,
                headers=sent,
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise unavailable(unreachable) from exc
        if response.status_code in down:
            raise unavailable(unreachable)
        return response


def registry_model(response: httpx.Response, model: type[M], bad_answer: Text) -> M:
    """The 200 answer read as `model`; 502 `bad_answer` for any other status or body."""
    if response.status_code != 200:
        raise ProblemError(BAD_GATEWAY, bad_answer)
    try:
        return model.model_validate(response.json())
    except (ValidationError, ValueError) as exc:
        raise ProblemError(BAD_GATEWAY, bad_answer) from exc
