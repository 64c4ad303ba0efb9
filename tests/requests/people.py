"""The test requesters: every personal value the suite submits comes from here.

The personal-data guard (`tests/requests/conftest.py`) searches logs, metrics and
public responses for these values (DOMAIN.md 17: never in a log, a metric or a
public response), so a test that invents its own requester must add it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Person:
    name: str
    nik: str
    address: str
    phone: str
    email: str
    occupation: str = "Wiraswasta"

    def requester(self, **overrides: Any) -> dict[str, Any]:
        """The `requester` member of a submission."""
        return {
            "category": "perorangan",
            "name": self.name,
            "nik": self.nik,
            "address": self.address,
            "phone": self.phone,
            "email": self.email,
            "occupation": self.occupation,
            **overrides,
        }

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values that identify them (the name is too common to search for alone)."""
        return (self.nik, self.address, self.phone, self.phone.lstrip("+"))


# Plausible shapes (real province, regency, district codes; invented birth dates and serials).
SITI = Person(
    "Siti Rahmawati",
    "3273015708910003",
    "Jl. Cempaka Putih No. 17, RT 03/RW 05, Bandung",
    "+6281234567801",
    "siti.rahmawati@example.org",
)
BUDI = Person(
    "Budi Santoso",
    "3578021203850007",
    "Jl. Raya Darmo Permai III No. 9, Surabaya",
    "+6285712340022",
    "budi.santoso@example.org",
)
WAYAN = Person(
    "I Wayan Sudarsana",
    "5171030101800011",
    "Jl. Gatot Subroto Barat No. 221, Denpasar",
    "+6281338765433",
    "wayan.sudarsana@example.org",
)
YOHANES = Person(
    "Yohanes Wenda",
    "9171041506920004",
    "Jl. Raya Abepura No. 45, Jayapura",
    "+6282199990044",
    "yohanes.wenda@example.org",
)

PEOPLE = (SITI, BUDI, WAYAN, YOHANES)


def personal_values() -> tuple[str, ...]:
    return tuple(value for person in PEOPLE for value in person.secrets)
