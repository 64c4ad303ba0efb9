"""Settings of the outbox's mail delivery, a mixin for a service's settings.

`class FooSettings(ServiceSettings, MailSettings)` with `env_prefix="FOO_"` reads
`FOO_SMTP_HOST`, `FOO_MAIL_FROM`, `FOO_OUTBOX_POLL_SECONDS`, …
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class MailSettings(BaseSettings):
    """The SMTP server the outbox worker sends through, and its polling and retries."""

    model_config = SettingsConfigDict(extra="ignore")

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    mail_from: str = "PPID Terbuka <noreply@terbuka.invalid>"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    outbox_poll_seconds: float = Field(default=2.0, gt=0)
    # Retries of a message: base * 2**(attempt-1) seconds, capped; then it is given up.
    outbox_max_attempts: int = Field(default=8, gt=0)
    outbox_backoff_base_seconds: float = Field(default=30.0, gt=0)
    outbox_backoff_max_seconds: float = Field(default=3600.0, gt=0)
