"""The NIK (Nomor Induk Kependudukan): shape checks, encryption at rest, keyed lookup hash.

A NIK is 16 digits: province (2), regency/city (2), district (2), birth date as
DDMMYY with 40 added to the day for women (6), and a serial (4) that is never
0000. Only the shape is checked here; Dukcapil is the authority on whether it
exists. The NIK is personal data (DOMAIN.md 17): AES-GCM under a key from the
settings (its id stored beside the ciphertext, so keys can rotate), and an
HMAC-SHA-256 under a separate key for lookups and duplicates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from pydantic import SecretStr

from requests_service.sealing import key_bytes, seal, unseal

_SHAPE = re.compile(r"^\d{16}$")
# Kode wilayah provinsi (Permendagri 72/2019): 11-19 Sumatra, 21 Kepri, 31-36 Jawa,
# 51-53 Bali/Nusa Tenggara, 61-65 Kalimantan, 71-76 Sulawesi, 81-82 Maluku, 91-97 Papua.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97}
)
# Associated data: a ciphertext is only ever a NIK, never another field's value.
_AAD = b"terbuka:nik:v1"


class NikError(ValueError):
    """Why a NIK is not plausible (a reason safe to show; never the NIK itself)."""


def normalize_nik(raw: str) -> str:
    """Drop spaces, dots and dashes people type between the groups."""
    return re.sub(r"[\s.\-]", "", raw)


def birth_date_of(nik: str, today: dt.date) -> dt.date:
    """The birth date the NIK encodes (women's days have 40 added); NikError if none."""
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    century = 2000 if 2000 + year2 <= today.year else 1900
    try:
        return dt.date(century + year2, month, day)
    except ValueError as exc:
        raise NikError("tanggal lahir pada NIK tidak valid") from exc


def validate_nik(raw: str, today: dt.date | None = None) -> str:
    """The NIK normalised, or NikError: 16 digits, a known province, plausible regency,
    district, birth date and serial."""
    nik = normalize_nik(raw)
    if not _SHAPE.match(nik):
        raise NikError("NIK harus 16 angka")
    if int(nik[0:2]) not in _PROVINCES:
        raise NikError("kode provinsi pada NIK tidak dikenal")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise NikError("kode kabupaten/kota atau kecamatan pada NIK tidak valid")
    birth_date_of(nik, today or dt.date.today())
    if nik[12:16] == "0000":
        raise NikError("nomor urut pada NIK tidak valid")
    return nik


def encrypt_nik(nik: str, keys: dict[str, SecretStr], key_id: str) -> tuple[bytes, str]:
    """(nonce + ciphertext, key id) under the current key."""
    return seal(nik.encode(), keys, key_id, _AAD)


def decrypt_nik(blob: bytes, keys: dict[str, SecretStr], key_id: str) -> str:
    """The NIK back, with the key it was sealed under (KeyError if that key is gone)."""
    return unseal(blob, keys, key_id, _AAD).decode()


def nik_hash(nik: str, hash_key: SecretStr) -> str:
    """HMAC-SHA-256 of the normalised NIK: equal NIKs match, nobody can reverse it."""
    return hmac.new(key_bytes(hash_key), normalize_nik(nik).encode(), hashlib.sha256).hexdigest()


def masked(nik: str) -> str:
    """For officials' screens: the region part and the last two digits only."""
    return f"{nik[:6]}{'*' * 8}{nik[-2:]}"
