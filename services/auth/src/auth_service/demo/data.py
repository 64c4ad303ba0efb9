"""The demo badan publik: its units and one account per role, with known credentials.

DOMAIN.md 2.2: the PPID Utama of a Pemkot is the head of Diskominfo, so the Diskominfo
unit carries the root's PPID Utama designation (the one `utama` of the root); every
other unit has a PPID Pelaksana. Ids are derived from codes and emails, so every
database seeded with the demo has the same ids.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ppid_kit.demo import NAMESPACE as NAMESPACE
from ppid_kit.demo import demo_id as demo_id

from auth_service.units.models import PpidDesignation, RootTimeZone, UnitKind

ROOT_CODE = "kota-contoh"
ROOT_NAME = "Pemerintah Kota Contoh"
ROOT_TIME_ZONE = RootTimeZone.WIB
DOMAIN = "kota-contoh.example"  # RFC 2606: never a real mailbox

# Monday to Thursday 08:00-16:00, Friday 08:00-11:30 and 13:30-16:30 (Friday prayers).
OFFICE_HOURS: list[dict[str, Any]] = [
    *({"day": day, "opens": "08:00", "closes": "16:00"} for day in ("mon", "tue", "wed", "thu")),
    {"day": "fri", "opens": "08:00", "closes": "11:30"},
    {"day": "fri", "opens": "13:30", "closes": "16:30"},
]


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    kind: UnitKind
    parent: str  # the parent's code
    ppid: PpidDesignation = PpidDesignation.PELAKSANA

    @property
    def id(self) -> uuid.UUID:
        return demo_id(self.code)


def _unit(slug: str, name: str, kind: UnitKind, parent: str = ROOT_CODE) -> DemoUnit:
    return DemoUnit(f"{ROOT_CODE}.{slug}", name, kind, parent)


DISKOMINFO = DemoUnit(
    f"{ROOT_CODE}.diskominfo",
    "Dinas Komunikasi dan Informatika",
    UnitKind.OPD,
    ROOT_CODE,
    PpidDesignation.UTAMA,
)
DINKES = _unit("dinkes", "Dinas Kesehatan", UnitKind.OPD)
DISDIK = _unit("disdik", "Dinas Pendidikan", UnitKind.OPD)
KECAMATAN = _unit("kec-contoh-utara", "Kecamatan Contoh Utara", UnitKind.KECAMATAN)
KELURAHAN = _unit("kel-sukamaju", "Kelurahan Sukamaju", UnitKind.KELURAHAN, parent=KECAMATAN.code)
RSUD = _unit("rsud", "RSUD Kota Contoh", UnitKind.RSUD)
# Parents before children.
UNITS = (DISKOMINFO, DINKES, DISDIK, KECAMATAN, KELURAHAN, RSUD)
ROOT_ID = demo_id(ROOT_CODE)


@dataclass(frozen=True)
class DemoAccount:
    """One demo login. `role` None: the requester (pemohon), who holds no grant."""

    email: str
    name: str
    password: str
    role: str | None
    unit_code: str | None

    @property
    def id(self) -> uuid.UUID:
        return demo_id(self.email)

    def totp_secret(self, mfa_roles: Collection[str]) -> str | None:
        """Pre-enrolled when the role needs a second factor; fixed per account (demo only!)."""
        if self.role is None or self.role not in mfa_roles:
            return None
        digest = hashlib.sha256(f"terbuka-demo-totp:{self.email}".encode()).digest()
        return base64.b32encode(digest[:20]).decode()


def _official(local: str, name: str, role: str, unit: str = ROOT_CODE) -> DemoAccount:
    password = f"demo-{local.replace('.', '-')}-terbuka"
    return DemoAccount(f"{local}@{DOMAIN}", name, password, role, unit)


# DOMAIN.md 2.2/2.3: root-wide roles at the root; PPID Pelaksana at two OPD.
ACCOUNTS = (
    _official("admin", "Admin Kota Contoh", "admin"),
    _official("ppid.utama", "Kepala Diskominfo (PPID Utama)", "ppid_utama"),
    _official("ppid.dinkes", "PPID Pelaksana Dinas Kesehatan", "ppid_pelaksana", DINKES.code),
    _official("ppid.disdik", "PPID Pelaksana Dinas Pendidikan", "ppid_pelaksana", DISDIK.code),
    _official("petugas", "Petugas Layanan Informasi", "petugas_layanan"),
    _official("atasan", "Sekretaris Daerah (Atasan PPID)", "atasan_ppid"),
    _official("tim.pertimbangan", "Tim Pertimbangan", "tim_pertimbangan"),
    _official("auditor", "Auditor Komisi Informasi", "auditor"),
    DemoAccount("pemohon@example.org", "Warga Contoh", "demo-pemohon-terbuka", None, None),
)
