"""Keys derived from AUTH_KEY_ENCRYPTION_KEY for the accounts package, and what they protect.

One master key, one derived key per purpose (HKDF, RFC 5869), so the TOTP sealing key
and the login-failure HMAC key never coincide. The key id stored with each sealed
secret tells, after the master key is rotated, which secrets still need the old one.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_FORMAT = "v1"
_NONCE_BYTES = 12  # NIST SP 800-38D: 96-bit nonces for AES-GCM


class SealError(ValueError):
    """A sealed value that cannot be opened: other key, tampered, or not ours."""


@functools.cache
def _derive(master_b64: str, purpose: bytes) -> bytes:
    master = base64.b64decode(master_b64, validate=True)
    if len(master) != 32:
        raise ValueError("AUTH_KEY_ENCRYPTION_KEY must be base64 of 32 bytes")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


def totp_key(master_b64: str) -> bytes:
    return _derive(master_b64, b"terbuka accounts totp secrets v1")


def failure_key(master_b64: str) -> bytes:
    return _derive(master_b64, b"terbuka accounts login failures v1")


def key_id(key: bytes) -> str:
    """A short, public name of a derived key (it reveals nothing of the key)."""
    return hashlib.sha256(b"kid" + key).hexdigest()[:12]


def seal(key: bytes, plaintext: str, *, context: str) -> str:
    """`v1:<kid>:<base64(nonce | ciphertext | tag)>`; `context` (the user id) is bound as AAD.

    Binding the user id means a sealed secret copied onto another user's row fails to open.
    """
    nonce = os.urandom(_NONCE_BYTES)
    body = AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{_FORMAT}:{key_id(key)}:{base64.b64encode(nonce + body).decode('ascii')}"


def unseal(key: bytes, sealed: str, *, context: str) -> str:
    version, kid, payload = [*sealed.split(":", 2), "", ""][:3]
    if version != _FORMAT or kid != key_id(key):
        raise SealError("sealed with another key or format")
    try:
        raw = base64.b64decode(payload, validate=True)
        plain = AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise SealError("cannot open the sealed value") from exc
    return plain.decode()


def keyed_hash(key: bytes, value: str) -> str:
    """HMAC-SHA256, hex: login-failure keys of emails (no email stored, none guessable offline)."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def sha256_hex(value: str) -> str:
    """How recovery codes are stored: 80 random bits each, so a plain hash is enough."""
    return hashlib.sha256(value.encode()).hexdigest()
