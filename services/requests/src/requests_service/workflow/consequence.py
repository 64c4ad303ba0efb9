"""The consequence test behind a refusal, read from the registry's DIK (DOMAIN.md 6, 8.5).

Refusing on a Pasal 17 ground without a test record must be impossible (UU Pasal 2(4),
19): the refusal names a DIK entry, and the registry's `GET /v1/dik/entries/{id}`
(with the caller's own token, so a root that keeps its DIK private still answers its
officials) must know it as a test in force of the request's badan publik.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ppid_kit.problems import (
    VALIDATION,
    FieldError,
    ProblemError,
    Text,
)
from pydantic import BaseModel

from requests_service.registry_client import RegistryHttp, registry_model

REGISTRY_UNREACHABLE = Text(
    "Registri DIP/DIK tidak dapat dihubungi untuk memeriksa uji konsekuensi; coba lagi sebentar "
    "lagi.",
    "The DIP/DIK registry could not be reached to check the consequence test; try again shortly.",
)
REGISTRY_BAD_ANSWER = Text(
    "Registri DIP/DIK memberi jawaban yang tidak dapat dipahami.",
    "The DIP/DIK registry gave an answer that could not be understood.",
)
UNKNOWN_TEST = Text(
    "Uji konsekuensi tidak ditemukan dalam Daftar Informasi yang Dikecualikan (DIK) yang berlaku.",
    "No consequence test in force with this id in the list of exempted information (DIK).",
)
OTHER_ROOT = Text(
    "Uji konsekuensi ini milik badan publik lain.",
    "This consequence test belongs to another public body.",
)


class DikEntry(BaseModel):
    """What the public DIK says of an entry (the registry's `DikEntryPublic`)."""

    id: uuid.UUID
    root_id: uuid.UUID
    number: str
    title: str
    public_summary: str
    legal_basis_letter: str
    legal_basis_number: str | None = None
    other_laws: str | None = None
    decree_number: str | None = None
    status: str


@dataclass(frozen=True)
class RegistryClient(RegistryHttp):
    async def dik_entry(self, entry_id: uuid.UUID, authorization: str | None) -> DikEntry | None:
        """The entry, or None when the registry does not know it (404); 503/502 otherwise."""
        response = await self.get(
            f"/v1/dik/entries/{entry_id}",
            authorization=authorization,
            unreachable=REGISTRY_UNREACHABLE,
            down=(502, 503, 504),
        )
        if response.status_code == 404:
            return None
        return registry_model(response, DikEntry, REGISTRY_BAD_ANSWER)


def ground_mismatch(entry: DikEntry, ground: str) -> Text:
    return Text(
        f"Uji konsekuensi {entry.number} menetapkan pengecualian berdasarkan Pasal 17 huruf "
        f"{entry.legal_basis_letter}, bukan huruf {ground}.",
        f"Consequence test {entry.number} exempts on Article 17 letter "
        f"{entry.legal_basis_letter}, not letter {ground}.",
    )


async def require_test(
    client: RegistryClient,
    entry_id: uuid.UUID,
    *,
    root_id: uuid.UUID,
    ground: str,
    authorization: str | None,
) -> DikEntry:
    """The DIK entry a refusal rests on: in force, of the request's root, on its ground."""
    entry = await client.dik_entry(entry_id, authorization)
    if entry is None or entry.status != "active":
        raise _invalid(UNKNOWN_TEST)
    if entry.root_id != root_id:
        raise _invalid(OTHER_ROOT)
    if entry.legal_basis_letter != ground:
        raise _invalid(ground_mismatch(entry, ground))
    return entry


def _invalid(message: Text) -> ProblemError:
    return ProblemError(VALIDATION, message, errors=[FieldError("consequence_test_id", message)])
