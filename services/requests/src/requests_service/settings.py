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
