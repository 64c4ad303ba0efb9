"""Settings every service shares; each service subclasses with its own env prefix."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Development only: production MUST set <PREFIX>CURSOR_SECRET (cursors signed with a
# public default could be forged). Kept non-empty so `make run` works out of the box.
DEV_CURSOR_SECRET = "terbuka-dev-cursor-secret-do-not-use-in-production"  # noqa: S105


class ServiceSettings(BaseSettings):
    """Subclass with `model_config = SettingsConfigDict(env_prefix="AUTH_")` and so on."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/terbuka"
    db_pool_size: int = 10
    log_level: str = "INFO"
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwt_issuer: str = "terbuka-auth"
    jwt_audience: str = "terbuka"
    # python-jose 3.5 has no EdDSA; ES256 (what auth signs with) and RS256 only.
    jwt_algorithms: list[str] = ["ES256", "RS256"]
    # Auth's whole unit tree (ppid_kit.unit_tree.UnitTreeCache), revalidated this often.
    unit_tree_url: str = "http://127.0.0.1:8001/v1/units/tree"
    unit_tree_refresh_seconds: float = 30.0
    cursor_secret: SecretStr = SecretStr(DEV_CURSOR_SECRET)
