"""Encrypting private keys at rest, and hashing opaque tokens and client secrets."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE_BYTES = 12  # NIST SP 800-38D: 96-bit nonces for AES-GCM


def decode_key_encryption_key(encoded: str) -> bytes:
    """AUTH_KEY_ENCRYPTION_KEY: base64 of exactly 32 random bytes (AES-256)."""
    key = base64.b64decode(encoded, validate=True)
    if len(key) != 32:
        raise ValueError("AUTH_KEY_ENCRYPTION_KEY must be base64 of 32 bytes")
    return key


def seal(kek: bytes, plaintext: str, *, context: str) -> str:
    """AES-256-GCM; `context` (the kid) is bound as associated data, so rows cannot be swapped."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(kek).encrypt(nonce, plaintext.encode(), context.encode())
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(kek: bytes, sealed: str, *, context: str) -> str:
    raw = base64.b64decode(sealed)
    nonce, body = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    return AESGCM(kek).decrypt(nonce, body, context.encode()).decode()


def derive_pepper(kek: bytes) -> bytes:
    """A key for client-secret hashes, separate from the sealing key (HKDF, RFC 5869)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"terbuka client secrets")
    return hkdf.derive(kek)


def new_opaque_token() -> str:
    """32 random bytes, URL-safe: refresh tokens and client secrets (256 bits of entropy)."""
    return secrets.token_urlsafe(32)


def sha256_hex(value: str) -> str:
    """How refresh tokens are stored: high-entropy, so a plain hash cannot be brute-forced."""
    return hashlib.sha256(value.encode()).hexdigest()


def keyed_hash(pepper: bytes, value: str) -> str:
    """HMAC-SHA256 of a client secret.

    The secrets are 256-bit random values, so a slow password hash (argon2) would add
    no safety, only CPU per token request; the pepper (kept out of the database) means a
    stolen table cannot even be checked offline.
    """
    return hmac.new(pepper, value.encode(), hashlib.sha256).hexdigest()


def same_hash(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())
