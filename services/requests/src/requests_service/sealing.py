"""AES-GCM sealing of small secrets at rest under keys named in the settings.

Shared by the NIK (`identity/nik.py`) and the webhook signing secrets
(`webhooks/secrets.py`). Each blob is `nonce + ciphertext`, stored beside the id of
the key that sealed it, so keys can rotate: add a key, point the `*_key_id` setting
at it, and older blobs still open with their own key. The associated data binds a
blob to what it is (a NIK blob never opens as a webhook secret and vice versa).
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import SecretStr

NONCE_BYTES = 12


def key_bytes(secret: SecretStr) -> bytes:
    """The raw key from its base64 setting; ValueError unless 16, 24 or 32 bytes."""
    key = base64.b64decode(secret.get_secret_value())
    if len(key) not in (16, 24, 32):
        raise ValueError("a sealing key must be base64 of 16, 24 or 32 bytes")
    return key


def seal(plain: bytes, keys: dict[str, SecretStr], key_id: str, aad: bytes) -> tuple[bytes, str]:
    """(nonce + ciphertext, key id) under the key named `key_id`."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key_bytes(keys[key_id])).encrypt(nonce, plain, aad), key_id


def unseal(blob: bytes, keys: dict[str, SecretStr], key_id: str, aad: bytes) -> bytes:
    """The plaintext back with the key it was sealed under (KeyError if that key is gone)."""
    nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    return AESGCM(key_bytes(keys[key_id])).decrypt(nonce, sealed, aad)
