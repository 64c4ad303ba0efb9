"""The gateway's configuration, read from `GATEWAY_*` environment variables."""

from __future__ import annotations

from pydantic import IPvAnyNetwork, PositiveFloat, PositiveInt, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


class GatewaySettings(BaseSettings):
    """Upstream addresses, edge checks, limits and timeouts (host/port belong to uvicorn)."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    auth_url: str = "http://127.0.0.1:8001"
    registry_url: str = "http://127.0.0.1:8002"
    requests_url: str = "http://127.0.0.1:8003"
    # Empty means "the auth service's JWKS", filled in by the validator below.
    jwks_url: str = ""
    jwt_issuer: str = "terbuka-auth"
    jwt_audience: str = "terbuka"
    jwt_algorithms: tuple[str, ...] = ("ES256", "RS256")

    cors_origins: list[str] = []
    # The API clients' origins are added to those above, polled from auth this often.
    client_origins_refresh_seconds: PositiveFloat = 60.0
    # Absolute base URL advertised in the merged OpenAPI `servers`; "/" means same origin.
    public_url: str = "/"

    max_body_bytes: PositiveInt = 10 * MIB
    max_upload_bytes: PositiveInt = 512 * MIB

    # Per replica: each gateway process keeps its own buckets.
    rate_limit_per_minute: PositiveInt = 300
    client_rate_limit_per_minute: PositiveInt = 1200  # the `standard` tier (and user tokens)
    # Unset: 5 and 100 times the standard quota.
    partner_rate_limit_per_minute: PositiveInt | None = None
    internal_rate_limit_per_minute: PositiveInt | None = None
    trusted_proxies: list[IPvAnyNetwork] = []

    connect_timeout: PositiveFloat = 3.0
    read_timeout: PositiveFloat = 30.0
    export_read_timeout: PositiveFloat = 300.0
    readiness_timeout: PositiveFloat = 1.0
    max_connections: PositiveInt = 512
    max_keepalive_connections: PositiveInt = 128

    breaker_failures: PositiveInt = 5
    breaker_cooldown: PositiveFloat = 10.0

    openapi_cache_seconds: float = 30.0
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _default_jwks_url(self) -> GatewaySettings:
        if not self.jwks_url:
            self.jwks_url = self.auth_url.rstrip("/") + "/.well-known/jwks.json"
        return self

    def tier_quotas(self) -> dict[str, int]:
        """Requests per minute for each API client's `rate_limit_tier`."""
        standard = self.client_rate_limit_per_minute
        return {
            "standard": standard,
            "partner": self.partner_rate_limit_per_minute or 5 * standard,
            "internal": self.internal_rate_limit_per_minute or 100 * standard,
        }

    def upstream_urls(self) -> dict[str, str]:
        """Base URL of each upstream, keyed by the names the route table uses."""
        return {
            "auth": self.auth_url.rstrip("/"),
            "registry": self.registry_url.rstrip("/"),
            "requests": self.requests_url.rstrip("/"),
        }
