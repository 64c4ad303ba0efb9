"""Signing secrets (Standard Webhooks): made, sealed at rest, and used to sign.

A secret is `whsec_` + base64 of 32 random bytes; the HMAC key is those bytes. The
service must sign with it, so it is sealed (AES-GCM, `requests_service.sealing`) rather
than hashed, shown to the client once, and never logged or returned again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable
from datetime import datetime

from pydantic import SecretStr

from requests_service.sealing import seal, unseal
from requests_service.settings import RequestsSettings
from requests_service.webhooks.models import WebhookSubscription

PREFIX = "whsec_"
SECRET_BYTES = 32
# Associated data: a sealed webhook secret never opens as another field's value.
_AAD = b"terbuka:webhook-secret:v1"


def new_secret() -> bytes:
    return os.urandom(SECRET_BYTES)


def shown(secret: bytes) -> str:
    """The form the client stores: `whsec_<base64>`."""
    return PREFIX + base64.b64encode(secret).decode()


def sealed(secret: bytes, settings: RequestsSettings) -> tuple[bytes, str]:
    return seal(secret, settings.webhook_secret_keys, settings.webhook_secret_key_id, _AAD)


def opened(blob: bytes, key_id: str, keys: dict[str, SecretStr]) -> bytes:
    return unseal(blob, keys, key_id, _AAD)


def signing_secrets(
    subscription: WebhookSubscription, keys: dict[str, SecretStr], now: datetime
) -> list[bytes]:
    """The current secret, then the previous one while its overlap lasts."""
    secrets = [opened(subscription.secret_ciphertext, subscription.secret_key_id, keys)]
    previous = subscription.previous_secret_ciphertext
    expires = subscription.previous_secret_expires_at
    key_id = subscription.previous_secret_key_id
    if previous is not None and key_id is not None and expires is not None and expires > now:
        secrets.append(opened(previous, key_id, keys))
    return secrets


def signature_header(message_id: str, timestamp: int, body: bytes, secrets: Iterable[bytes]) -> str:
    """`webhook-signature`: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` per
    secret, space-separated (receivers accept the message when any one matches)."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        for key in secrets
    )
