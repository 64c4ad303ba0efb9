"""Deterministic ids of the demo badan publik, shared by every service's demo seed.

Auth seeds the demo units and accounts, the registry seeds the demo DIP for the same
units: both derive the ids from the same codes here (UUID v5 in one namespace), so
every database seeded with the demo agrees without the services importing each other.
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("6f1c1c52-0d8e-4a0a-9c55-7465726275b1")


def demo_id(key: str) -> uuid.UUID:
    """The demo id of a unit code (`kota-contoh.dinkes`) or an account's email."""
    return uuid.uuid5(NAMESPACE, key)
