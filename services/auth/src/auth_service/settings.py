"""Settings of the auth service, read from `AUTH_*` environment variables."""

from __future__ import annotations

from ipaddress import ip_network

from ppid_kit.outbox.settings import MailSettings
from ppid_kit.settings import ServiceSettings
from pydantic import Field, IPvAnyNetwork, SecretStr
from pydantic_settings import SettingsConfigDict

# Development only: production sets AUTH_KEY_ENCRYPTION_KEY (base64 of 32 random bytes).
DEV_KEY_ENCRYPTION_KEY = "ZGV2LW9ubHktdGVyYnVrYS1rZXktZW5jcnlwdGlvbiE="


class AuthSettings(ServiceSettings, MailSettings):
    """`AUTH_DATABASE_URL`, `AUTH_SMTP_HOST`, … (common and mail fields from the kit)."""

    model_config = SettingsConfigDict(env_prefix="AUTH_")

    # Tokens (ARCHITECTURE.md "Tenancy and permissions").
    access_token_ttl_seconds: int = Field(default=900, gt=0)
    refresh_token_ttl_days: int = Field(default=30, gt=0)
    key_encryption_key: SecretStr = SecretStr(DEV_KEY_ENCRYPTION_KEY)
    key_rotation_days: int = Field(default=30, gt=0)
    # How often each replica checks whether the active signing key is due for rotation.
    key_rotation_check_seconds: float = Field(default=3600.0, gt=0)
    # A retired key stays in the JWKS for access_token_ttl + this: the verifiers' clock
    # leeway (30 s in ppid_kit) plus tokens signed while the rotation committed.
    key_publish_leeway_seconds: int = Field(default=60, ge=0)
    public_url: str = "http://127.0.0.1:8000"
    # `python -m auth_service.demo` seeds demo data only when this is set (AUTH_DEMO=1).
    demo: bool = False

    # Email to requesters: links point to the front-end, which posts the token back. The
    # SMTP server and the outbox's retries are the kit's `MailSettings` (AUTH_SMTP_HOST, …).
    email_link_base: str = "http://127.0.0.1:8000/verify"
    password_reset_link_base: str = "http://127.0.0.1:8000/reset-password"  # noqa: S105 (a URL)

    # Login protection.
    lockout_threshold: int = Field(default=5, gt=0)
    lockout_base_seconds: int = Field(default=60, gt=0)
    lockout_max_seconds: int = Field(default=3600, gt=0)
    address_failure_limit: int = Field(default=20, gt=0)
    address_failure_window_seconds: int = Field(default=900, gt=0)
    # An address blocked again right after a block is blocked twice as long, up to this.
    address_lockout_max_seconds: int = Field(default=4 * 3600, gt=0)
    mfa_required_roles: list[str] = Field(
        default_factory=lambda: ["admin", "ppid_utama", "atasan_ppid"]
    )
    # Peers whose X-Forwarded-For is believed for the per-address lockout (the gateway).
    # Loopback by default, like uvicorn's --forwarded-allow-ips; from anyone else the
    # direct peer address counts, since a client may claim any address it likes.
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=lambda: [ip_network("127.0.0.1/32"), ip_network("::1/128")]
    )
    # Shown by authenticator apps next to the account (otpauth:// URI `issuer`).
    totp_issuer: str = "Terbuka"
