"""What token issuing needs from the settings, found from the session that does the work.

The functions other packages call take only a session (docs/auth-contract.md); the
config is bound to the app's engine in the lifespan, so each app (and each test app
with its own settings) signs with its own issuer, lifetimes and key-encryption key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from weakref import WeakKeyDictionary

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from auth_service.settings import AuthSettings
from auth_service.tokens.sealing import decode_key_encryption_key, derive_pepper


@dataclass(frozen=True)
class TokenConfig:
    issuer: str
    audience: str
    algorithms: tuple[str, ...]
    access_ttl: int  # seconds
    refresh_ttl: timedelta
    kek: bytes
    pepper: bytes
    rotation_age: timedelta
    publish_window: timedelta  # how long a retired key stays in the JWKS

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> TokenConfig:
        kek = decode_key_encryption_key(settings.key_encryption_key.get_secret_value())
        return cls(
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            algorithms=tuple(settings.jwt_algorithms),
            access_ttl=settings.access_token_ttl_seconds,
            refresh_ttl=timedelta(days=settings.refresh_token_ttl_days),
            kek=kek,
            pepper=derive_pepper(kek),
            rotation_age=timedelta(days=settings.key_rotation_days),
            publish_window=timedelta(
                seconds=settings.access_token_ttl_seconds + settings.key_publish_leeway_seconds
            ),
        )


_CONFIGS: WeakKeyDictionary[AsyncEngine, TokenConfig] = WeakKeyDictionary()


def bind_config(engine: AsyncEngine, config: TokenConfig) -> None:
    """Make `config` the one used by every session on `engine` (called from the lifespan)."""
    _CONFIGS[engine] = config


def config_for(session: AsyncSession) -> TokenConfig:
    engine = session.bind
    config = _CONFIGS.get(engine) if isinstance(engine, AsyncEngine) else None
    if config is None:
        raise RuntimeError("tokens are not configured for this engine (see tokens.lifespan)")
    return config
