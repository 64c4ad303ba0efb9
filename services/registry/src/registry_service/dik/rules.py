"""The legal checks of a consequence test (uji konsekuensi), before anything is stored.

Every check that fails is reported at once as a field error of one 422 problem, so
an official can fix the whole sheet in one go. The law behind each check is cited at
the check.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ppid_kit.problems import VALIDATION, FieldError, ProblemError, Text

from registry_service.dik.models import Conclusion, ExemptionGround, TestTrigger

# UU 14/2008 Pasal 20(1): the exemptions of Pasal 17 a-f are not permanent.
NOT_PERMANENT = frozenset("abcdef")
# PP 61/2010 (made under UU Pasal 20(2)): information whose opening would obstruct law
# enforcement (Pasal 17 a) is exempted for at most 30 years (DOMAIN.md 4.1).
LAW_ENFORCEMENT_MAX_YEARS = 30
# UU 14/2008 Pasal 17 a: numbers 1-5 (investigation, informants, intelligence, safety of
# law enforcers, equipment). The sub-points of the other letters are not verified.
LAW_ENFORCEMENT_NUMBERS = frozenset({"1", "2", "3", "4", "5"})
# DOMAIN.md 6.2 (PP 61/2010 surat penetapan; SLIP Pasal 49): the decree states the
# deciding official, the place and the date; a test that withholds anything needs it.
DECREE_FIELDS = (
    "decree_number",
    "decree_date",
    "decree_place",
    "signed_by_role",
    "signed_by_name",
)

_NEEDS_PERIOD = Text(
    "Pengecualian berdasarkan Pasal 17 huruf a-f UU 14/2008 tidak bersifat permanen "
    "(Pasal 20): isi jangka waktu (exemption_until) atau syarat berakhirnya (exemption_condition).",
    "Exemptions under UU 14/2008 Pasal 17 a-f are not permanent (Pasal 20): give an end date "
    "(exemption_until) or an ending condition (exemption_condition).",
)
_TOO_LONG = Text(
    "Pengecualian karena menghambat penegakan hukum paling lama 30 tahun sejak penetapan "
    "(PP 61/2010).",
    "An exemption for law enforcement lasts at most 30 years from the decree (PP 61/2010).",
)
_UNTIL_BEFORE_DECREE = Text(
    "Jangka waktu pengecualian harus berakhir setelah tanggal penetapan.",
    "The exemption must end after the decree date.",
)
_DECREE_REQUIRED = Text(
    "Wajib diisi bila informasi dikecualikan (surat penetapan klasifikasi, PP 61/2010).",
    "Required when information is withheld (the classification decree, PP 61/2010).",
)
_BAD_NUMBER = Text(
    "Pasal 17 huruf a UU 14/2008 hanya memiliki angka 1 sampai 5.",
    "UU 14/2008 Pasal 17 letter a has numbers 1 to 5 only.",
)
_NEEDS_OTHER_LAW = Text(
    "Pasal 17 huruf j: sebutkan Undang-Undang yang melarang informasi ini dibuka.",
    "Pasal 17 letter j: name the Undang-Undang that forbids opening this information.",
)
_NEEDS_TRIGGER_REFERENCE = Text(
    "Sebutkan permohonan atau sengketa yang memicu pengujian ini.",
    "Name the request or dispute that triggered this test.",
)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _years_after(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def check_test(state: Mapping[str, Any]) -> list[FieldError]:
    """The field errors of a consequence test's fields (empty when it may be recorded)."""
    errors: list[FieldError] = []
    conclusion = Conclusion(state["conclusion"])
    letter = ExemptionGround(state["legal_basis_letter"])
    until: date | None = state.get("exemption_until")
    decree_date: date | None = state.get("decree_date")
    withholds = conclusion in (Conclusion.EXEMPT, Conclusion.PARTIALLY_OPEN)

    # SLIP Pasal 49(1) b, c: a test run on a request or on the KI's order names it.
    if TestTrigger(state["trigger"]) != TestTrigger.PROACTIVE and _blank(
        state.get("trigger_reference")
    ):
        errors.append(FieldError("trigger_reference", _NEEDS_TRIGGER_REFERENCE))
    number = state.get("legal_basis_number")
    if letter == ExemptionGround.A and number is not None and number not in LAW_ENFORCEMENT_NUMBERS:
        errors.append(FieldError("legal_basis_number", _BAD_NUMBER))
    # UU 14/2008 Pasal 17 j: "informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang".
    if letter == ExemptionGround.J and _blank(state.get("other_laws")):
        errors.append(FieldError("other_laws", _NEEDS_OTHER_LAW))
    if not withholds:
        return errors
    # UU 14/2008 Pasal 20(1): a-f are not permanent (g and h may be).
    if letter in NOT_PERMANENT and until is None and _blank(state.get("exemption_condition")):
        errors.append(FieldError("exemption_until", _NEEDS_PERIOD))
    # PP 61/2010: the decree (surat penetapan) states who decided, where and when.
    errors.extend(
        FieldError(name, _DECREE_REQUIRED) for name in DECREE_FIELDS if _blank(state.get(name))
    )
    if until is not None and decree_date is not None:
        if until <= decree_date:
            errors.append(FieldError("exemption_until", _UNTIL_BEFORE_DECREE))
        # PP 61/2010: law enforcement (Pasal 17 a) at most 30 years from the decree.
        elif letter == ExemptionGround.A and until > _years_after(
            decree_date, LAW_ENFORCEMENT_MAX_YEARS
        ):
            errors.append(FieldError("exemption_until", _TOO_LONG))
    return errors


def require_valid_test(state: Mapping[str, Any]) -> None:
    """422 `validation-error` listing every failed check; nothing is stored."""
    errors = check_test(state)
    if errors:
        raise ProblemError(VALIDATION, errors=errors)
