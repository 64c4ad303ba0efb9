"""The readiness score: a weighted checklist mapped to the Komisi Informasi's categories.

DOMAIN.md 16: the Monev of the Komisi Informasi (Perki 1/2022) scores a public body
0-100 and names five qualifications (Informatif 90-100, Menuju Informatif 80-89.9,
Cukup Informatif 60-79.9, Kurang Informatif 40-59.9, Tidak Informatif below 40). Its
questionnaire changes yearly and asks for much the backend cannot see (SAQ evidence,
the website, forums…), so this score is an **internal estimate** over the items the
data proves, for the PPID Utama's own monitoring of its units; never the KI's result.

Pure functions only: the route gathers the figures, these decide and weigh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ppid_kit.problems import Text


class ItemKey(StrEnum):
    """The checklist items the data can prove (DOMAIN.md 16 "What evaluators look for")."""

    DIP_DECREE = "dip_decree"
    DIP_BERKALA = "dip_berkala"
    DIP_SETIAP_SAAT = "dip_setiap_saat"
    DIP_SERTA_MERTA = "dip_serta_merta"
    NO_STALE_BERKALA = "no_stale_berkala"
    UPDATED_RECENTLY = "updated_recently"
    REQUEST_REGISTER = "request_register"
    REQUESTS_ON_TIME = "requests_on_time"
    NO_OPEN_OVERDUE = "no_open_overdue_requests"
    OBJECTIONS_ON_TIME = "objections_on_time"
    COST_STANDARD = "cost_standard"
    SERVICE_HOURS = "service_hours_policy"
    PPID_DESIGNATED = "ppid_designated"


class Scope(StrEnum):
    """`unit`: proven by the unit's own data; `root`: the badan publik's, shared by its units."""

    UNIT = "unit"
    ROOT = "root"


@dataclass(frozen=True)
class ItemSpec:
    key: ItemKey
    weight: int
    scope: Scope
    title: Text


# The weights sum to 100. The KI's own weights change yearly (DOMAIN.md 16: e.g. KI Kepri
# 2022 gave "types of information" 40 %); here the DIP (types, freshness, decree: 55) weighs
# most, then the service (register, time limits, objections: 30), then the organisation and
# the published standards (15).
ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        ItemKey.DIP_DECREE,
        10,
        Scope.ROOT,
        Text(
            "DIP tahun berjalan ditetapkan dengan SK (SK penetapan DIP)",
            "This year's DIP set by decree (SK penetapan DIP)",
        ),
    ),
    ItemSpec(
        ItemKey.DIP_BERKALA,
        10,
        Scope.UNIT,
        Text(
            "DIP memuat informasi berkala yang diumumkan (UU 14/2008 Pasal 9)",
            "The DIP lists published periodic (berkala) information (UU 14/2008 Art. 9)",
        ),
    ),
    ItemSpec(
        ItemKey.DIP_SETIAP_SAAT,
        10,
        Scope.UNIT,
        Text(
            "DIP memuat informasi tersedia setiap saat (UU 14/2008 Pasal 11)",
            "The DIP lists information available at any time (UU 14/2008 Art. 11)",
        ),
    ),
    ItemSpec(
        ItemKey.DIP_SERTA_MERTA,
        5,
        Scope.UNIT,
        Text(
            "DIP memuat informasi serta merta (UU 14/2008 Pasal 10)",
            "The DIP lists immediate (serta merta) information (UU 14/2008 Art. 10)",
        ),
    ),
    ItemSpec(
        ItemKey.NO_STALE_BERKALA,
        10,
        Scope.UNIT,
        Text(
            "Tidak ada informasi berkala yang usang (UU 14/2008 Pasal 9 ayat (3))",
            "No stale periodic entry (UU 14/2008 Art. 9(3))",
        ),
    ),
    ItemSpec(
        ItemKey.UPDATED_RECENTLY,
        10,
        Scope.UNIT,
        Text(
            "DIP diperbarui dalam 30 hari terakhir (pemutakhiran berkala)",
            "DIP updated within the last 30 days (timely updates)",
        ),
    ),
    ItemSpec(
        ItemKey.REQUEST_REGISTER,
        5,
        Scope.UNIT,
        Text(
            "Register permohonan informasi tahun ini terisi dan dapat diunduh",
            "The year's request register has entries and can be exported",
        ),
    ),
    ItemSpec(
        ItemKey.REQUESTS_ON_TIME,
        15,
        Scope.UNIT,
        Text(
            "Sedikitnya 90 % permohonan dijawab tepat waktu (UU 14/2008 Pasal 22 ayat (7)-(8))",
            "At least 90 % of requests answered on time (UU 14/2008 Art. 22(7)-(8))",
        ),
    ),
    ItemSpec(
        ItemKey.NO_OPEN_OVERDUE,
        5,
        Scope.UNIT,
        Text(
            "Tidak ada permohonan terbuka yang melewati batas waktu",
            "No open request past its deadline",
        ),
    ),
    ItemSpec(
        ItemKey.OBJECTIONS_ON_TIME,
        5,
        Scope.UNIT,
        Text(
            "Keberatan ditanggapi dalam 30 hari kerja (UU 14/2008 Pasal 36 ayat (2))",
            "Objections answered within 30 working days (UU 14/2008 Art. 36(2))",
        ),
    ),
    ItemSpec(
        ItemKey.COST_STANDARD,
        5,
        Scope.ROOT,
        Text(
            "Standar biaya salinan informasi ditetapkan (Perki 1/2010 Pasal 28 ayat (4))",
            "A cost standard for copies is set (Perki 1/2010 Art. 28(4))",
        ),
    ),
    ItemSpec(
        ItemKey.SERVICE_HOURS,
        5,
        Scope.ROOT,
        Text(
            "Jam layanan dan kalender hari kerja ditetapkan",
            "Service hours and the working-day calendar are set",
        ),
    ),
    ItemSpec(
        ItemKey.PPID_DESIGNATED,
        5,
        Scope.UNIT,
        Text(
            "PPID (Utama/Pelaksana) ditunjuk untuk unit ini (UU 14/2008 Pasal 13)",
            "A PPID (Utama/Pelaksana) is designated for the unit (UU 14/2008 Art. 13)",
        ),
    ),
)
SPECS: dict[ItemKey, ItemSpec] = {spec.key: spec for spec in ITEMS}
assert sum(spec.weight for spec in ITEMS) == 100  # a guard on the table above


class Category(StrEnum):
    """The five Monev qualifications (DOMAIN.md 16)."""

    INFORMATIF = "informatif"
    MENUJU_INFORMATIF = "menuju_informatif"
    CUKUP_INFORMATIF = "cukup_informatif"
    KURANG_INFORMATIF = "kurang_informatif"
    TIDAK_INFORMATIF = "tidak_informatif"


@dataclass(frozen=True)
class Band:
    category: Category
    label: str
    minimum: float
    maximum: float


# Highest first; a score belongs to the first band whose minimum it reaches.
BANDS: tuple[Band, ...] = (
    Band(Category.INFORMATIF, "Informatif", 90.0, 100.0),
    Band(Category.MENUJU_INFORMATIF, "Menuju Informatif", 80.0, 89.9),
    Band(Category.CUKUP_INFORMATIF, "Cukup Informatif", 60.0, 79.9),
    Band(Category.KURANG_INFORMATIF, "Kurang Informatif", 40.0, 59.9),
    Band(Category.TIDAK_INFORMATIF, "Tidak Informatif", 0.0, 39.9),
)


@dataclass(frozen=True)
class Outcome:
    """One item decided: `applicable` false when the data cannot prove it either way (e.g.
    no request came due), so it neither adds nor takes away."""

    key: ItemKey
    met: bool
    applicable: bool = True


def one_decimal(value: float) -> float:
    """Half up to one decimal, as the KI reports scores (89.95 is 90.0, not 89.9)."""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score(outcomes: Sequence[Outcome]) -> float:
    """0-100: the weight of the met items over the weight of the applicable ones."""
    applicable = [o for o in outcomes if o.applicable]
    total = sum(SPECS[o.key].weight for o in applicable)
    if total == 0:
        return 0.0
    met = sum(SPECS[o.key].weight for o in applicable if o.met)
    return one_decimal(100 * met / total)


def band_of(value: float) -> Band:
    """The Monev qualification of a score (rounded to one decimal first)."""
    if not 0.0 <= value <= 100.0:
        raise ValueError(f"score out of range: {value}")
    rounded = one_decimal(value)
    return next(band for band in BANDS if rounded >= band.minimum)


def category_of(value: float) -> Category:
    return band_of(value).category


def mean_score(scores: Sequence[float]) -> float:
    """The root's summary: the plain mean of its units' scores (every unit counts once)."""
    return one_decimal(sum(scores) / len(scores)) if scores else 0.0
