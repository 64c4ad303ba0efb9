"""Settings of the requests service, read from `REQUESTS_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from ppid_kit.outbox.settings import MailSettings
from ppid_kit.settings import ServiceSettings
from ppid_kit.storage.settings import StorageSettings
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

# Development only: production sets REQUESTS_NIK_KEYS and REQUESTS_NIK_HASH_KEY
# (base64 of 32 random bytes each). NIK is personal data (DOMAIN.md 17).
DEV_NIK_KEY = "ZGV2LW9ubHktdGVyYnVrYS1uaWstZW5jcnlwdGlvbiE="
DEV_NIK_HASH_KEY = "ZGV2LW9ubHktdGVyYnVrYS1uaWstbG9va3VwLWhhc2g="
DEV_TRACKING_KEY = "ZGV2LW9ubHktdGVyYnVrYS10cmFja2luZy1zZWNyZXQ="
# Development only: production sets REQUESTS_WEBHOOK_SECRET_KEYS (base64 of 32 bytes).
DEV_WEBHOOK_SECRET_KEY = "ZGV2LW9ubHktdGVyYnVrYS13ZWJob29rLXNlY3JldCE="  # noqa: S105


class RequestsSettings(ServiceSettings, StorageSettings, MailSettings):
    """`REQUESTS_DATABASE_URL`, `REQUESTS_S3_BUCKET`, `REQUESTS_SMTP_HOST`, … (kit fields)."""

    model_config = SettingsConfigDict(env_prefix="REQUESTS_")

    # The private bucket: identity scans and delivered information (ARCHITECTURE.md Storage).
    storage_dir: Path = Path("var/requests-objects")
    s3_bucket: str = "terbuka-requests"
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, gt=0)
    # The files' sweeper (`files.sweep`: identity scans past the root's retention, objects
    # of rows marked deleted, old orphans) runs with the kit's `sweep_*_seconds`.

    # NIK at rest: AES-GCM under the key named `nik_key_id`; older keys stay for reading
    # (rotation: add a key, point nik_key_id at it). A keyed hash (HMAC-SHA-256) for lookup.
    nik_keys: dict[str, SecretStr] = Field(default_factory=lambda: {"dev": SecretStr(DEV_NIK_KEY)})
    nik_key_id: str = "dev"
    nik_hash_key: SecretStr = SecretStr(DEV_NIK_HASH_KEY)
    # Tracking secrets are HMAC(key, request id): a replayed submission can show it again
    # without any table holding it in clear.
    tracking_secret_key: SecretStr = SecretStr(DEV_TRACKING_KEY)

    # The registry, to check a refusal's consequence test (DOMAIN.md 8.5).
    registry_url: str = "http://127.0.0.1:8002"
    registry_timeout_seconds: float = Field(default=5.0, gt=0)

    # Links in emails to requesters point to the front-end's tracking page.
    tracking_link_base: str = "http://127.0.0.1:8000/lacak"
    # Deadline reminders to officials (issue 5: two working days before D10/D17).
    reminder_working_days: int = Field(default=2, ge=0)
    reminder_interval_seconds: float = Field(default=300.0, ge=0)

    # Webhooks (webhooks/; docs/requests-contract.md "Webhooks: decisions").
    # Signing secrets at rest: AES-GCM under `webhook_secret_key_id` (rotate like NIK keys).
    webhook_secret_keys: dict[str, SecretStr] = Field(
        default_factory=lambda: {"dev": SecretStr(DEV_WEBHOOK_SECRET_KEY)}
    )
    webhook_secret_key_id: str = "dev"  # noqa: S105 - a key id, not a key
    # After a rotation the previous secret also signs for this long.
    webhook_secret_overlap_seconds: int = Field(default=86400, ge=0)
    # `http` and hosts resolving to private/loopback/link-local addresses (development, tests).
    webhook_allow_private_urls: bool = False
    # The delivery worker: poll interval (0 = off), per-request timeout, attempts, back-off.
    webhook_poll_seconds: float = Field(default=2.0, ge=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_batch_size: int = Field(default=20, ge=1, le=200)
    # Delay before retry n: base * 4^(n-1), at most max, less up to half of it (jitter);
    # with the defaults 10 attempts span about a day.
    webhook_max_attempts: int = Field(default=10, ge=1)
    webhook_backoff_base_seconds: float = Field(default=30.0, gt=0)
    webhook_backoff_max_seconds: float = Field(default=6 * 3600.0, gt=0)
    # A subscription is disabled after this many failed attempts in a row, once it has also
    # had no success for `webhook_disable_after_seconds` (a busy receiver's short outage
    # must not disable it).
    webhook_disable_after_failures: int = Field(default=20, ge=1)
    webhook_disable_after_seconds: float = Field(default=5 * 86400.0, ge=0)
    # The follower of the registry's DIP change feed (0 = off).
    webhook_feed_interval_seconds: float = Field(default=30.0, ge=0)
