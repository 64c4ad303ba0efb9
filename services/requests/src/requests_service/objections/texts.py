"""Indonesian wording of an objection's grounds, states and decisions (forms, letters, emails).

The grounds are UU 14/2008 Pasal 35(1) a-g as the form lists them (DOMAIN.md 10.1, 10.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from requests_service.objections.models import (
    ObjectionDecision,
    ObjectionReason,
    ObjectionState,
    RequesterReaction,
)

REASON_WORDS: Mapping[ObjectionReason, str] = MappingProxyType(
    {
        ObjectionReason.A: ("Permohonan informasi ditolak dengan alasan pengecualian (Pasal 17)"),
        ObjectionReason.B: "Informasi berkala (Pasal 9) tidak disediakan",
        ObjectionReason.C: "Permohonan informasi tidak ditanggapi",
        ObjectionReason.D: "Permohonan informasi ditanggapi tidak sebagaimana yang diminta",
        ObjectionReason.E: "Permohonan informasi tidak dipenuhi",
        ObjectionReason.F: "Pengenaan biaya yang tidak wajar",
        ObjectionReason.G: "Informasi disampaikan melebihi jangka waktu yang diatur",
    }
)
STATE_WORDS: Mapping[ObjectionState, str] = MappingProxyType(
    {
        ObjectionState.FILED: "keberatan diterima dan terdaftar",
        ObjectionState.WITH_ATASAN: "diteruskan kepada Atasan PPID",
        ObjectionState.MUSYAWARAH: "dalam penyelesaian secara musyawarah",
        ObjectionState.DECIDED_UPHELD_REQUESTER: "keberatan diterima oleh Atasan PPID",
        ObjectionState.DECIDED_UPHELD_PPID: "keberatan ditolak oleh Atasan PPID",
        ObjectionState.ORDER_EXECUTED: "perintah Atasan PPID telah dilaksanakan",
        ObjectionState.SETTLED: "selesai",
        ObjectionState.ESCALATED_TO_KI: "diajukan sebagai sengketa ke Komisi Informasi",
        ObjectionState.WITHDRAWN: "dicabut oleh pengaju keberatan",
    }
)
DECISION_WORDS: Mapping[ObjectionDecision, str] = MappingProxyType(
    {
        ObjectionDecision.UPHELD_REQUESTER: "Keberatan diterima",
        ObjectionDecision.UPHELD_PPID: "Keberatan ditolak; keputusan PPID dikuatkan",
        ObjectionDecision.SETTLED_BY_CONSULTATION: "Diselesaikan secara musyawarah",
    }
)
REACTION_WORDS: Mapping[RequesterReaction, str] = MappingProxyType(
    {
        RequesterReaction.SATISFIED: "puas",
        RequesterReaction.NOT_SATISFIED: "tidak puas",
    }
)
KI_RIGHT = (
    "Apabila Anda tidak puas atas tanggapan ini, Anda dapat mengajukan permohonan "
    "penyelesaian sengketa informasi kepada Komisi Informasi paling lambat 14 hari kerja "
    "sejak diterimanya tanggapan tertulis ini (UU 14/2008 Pasal 37 ayat (2))."
)


def reasons_text(reasons: list[str]) -> list[str]:
    """`a. Permohonan informasi ditolak …`, in the order of the UU."""
    return [f"{code}. {REASON_WORDS[ObjectionReason(code)]}" for code in sorted(reasons)]
