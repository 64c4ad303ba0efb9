"""Who is submitting, and the rules between the form's fields (DOMAIN.md 7.1, 8.2, 8.3).

Every message is in Indonesian and English and names the field, never its value: a
bad NIK is reported by its reason only (DOMAIN.md 17).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from ppid_kit.access import Actor, strongest_role, subject_id
from ppid_kit.problems import FORBIDDEN, VALIDATION, FieldError, ProblemError, Text
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree

from requests_service.core.access import HANDLER_ROLES, requester_actor
from requests_service.core.models import (
    AccessMethod,
    ActorType,
    Channel,
    DeliveryMethod,
    RequesterCategory,
)
from requests_service.identity.nik import NikError, validate_nik
from requests_service.intake.schemas import RequesterIn, RequestSubmission

MAX_BACKDATE = dt.timedelta(days=30)
OFFICIAL_CHANNELS = frozenset(Channel) - {Channel.ONLINE}
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-]{4,30}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

NOT_A_HANDLER = Text(
    "Hanya PPID atau petugas layanan unit ini yang dapat mencatat permohonan untuknya.",
    "Only the PPID or the service officers of this unit may register requests for it.",
)
REQUIRED = Text("Wajib diisi.", "This field is required.")
OFFICIALS_ONLY = Text("Hanya diisi oleh petugas.", "Only officials set this field.")
_NIK_REASONS = {
    "NIK harus 16 angka": "A NIK has 16 digits.",
    "kode provinsi pada NIK tidak dikenal": "The NIK's province code is unknown.",
    "kode kabupaten/kota atau kecamatan pada NIK tidak valid": (
        "The NIK's regency or district code is not valid."
    ),
    "tanggal lahir pada NIK tidak valid": "The NIK's birth date is not valid.",
    "nomor urut pada NIK tidak valid": "The NIK's serial number is not valid.",
}


@dataclass(frozen=True)
class Caller:
    """Who submits (a request, or an objection: `objections.access.Filer`): anonymous or a
    requester's account (online), or an official entering it."""

    actor_type: ActorType
    actor: Actor | None = None
    # The API client it came through (token `client_id`): its webhooks follow the request.
    client_id: str | None = None

    @property
    def is_official(self) -> bool:
        return self.actor_type is ActorType.OFFICIAL

    @property
    def account_id(self) -> uuid.UUID | None:
        return self.actor.user_id if self.actor_type is ActorType.REQUESTER and self.actor else None


def caller_of(
    claims: Claims | None, unit_id: uuid.UUID, tree: UnitTree, refused: Text = NOT_A_HANDLER
) -> Caller:
    """A requester token submits online with its account; an official must hold a handler
    role over the unit (else 403 with `refused`); anyone else (no token, an API client)
    submits online. Objections filed without a request take the same rule."""
    if claims is not None and claims.typ == "official":
        role = strongest_role(claims, HANDLER_ROLES, unit_id, tree)
        if role is None:
            raise ProblemError(FORBIDDEN, refused)
        return Caller(ActorType.OFFICIAL, Actor(subject_id(claims), role), claims.client_id)
    account = requester_actor(claims)
    if account is not None:
        return Caller(ActorType.REQUESTER, account, claims.client_id if claims else None)
    # An API client (a front-end, a mobile app) submitting for an anonymous requester.
    return Caller(ActorType.ANONYMOUS, client_id=claims.client_id if claims else None)


def unit_errors(unit_id: uuid.UUID, tree: UnitTree) -> list[FieldError]:
    if unit_id not in tree:
        return [FieldError("target_unit_id", Text("Unit tidak dikenal.", "Unknown unit."))]
    if not tree.is_active(unit_id):
        text = Text("Unit ini tidak lagi menerima permohonan.", "This unit is no longer active.")
        return [FieldError("target_unit_id", text)]
    return []


def nik_message(exc: NikError) -> Text:
    reason = str(exc)
    english = _NIK_REASONS.get(reason, "The NIK is not valid.")
    return Text(f"{reason[0].upper()}{reason[1:]}.", english)


def checked_nik(raw: str, field: str = "requester.nik") -> str:
    """The normalised NIK, or 422 with the reason (never the value)."""
    try:
        return validate_nik(raw)
    except NikError as exc:
        raise ProblemError(VALIDATION, errors=[FieldError(field, nik_message(exc))]) from None


def requester_errors(person: RequesterIn) -> list[FieldError]:
    errors: list[FieldError] = []
    needs_nik = person.category in {RequesterCategory.PERORANGAN, RequesterCategory.KELOMPOK_ORANG}
    if person.nik is None and needs_nik:
        errors.append(FieldError("requester.nik", REQUIRED))
    elif person.nik is not None:
        try:
            validate_nik(person.nik)
        except NikError as exc:
            errors.append(FieldError("requester.nik", nik_message(exc)))
    if person.category is RequesterCategory.BADAN_HUKUM and person.legal_entity_decree_no is None:
        errors.append(FieldError("requester.legal_entity_decree_no", REQUIRED))
    if person.phone is None and person.email is None:
        text = Text("Isi nomor telepon atau email.", "Give a phone number or an email address.")
        errors.append(FieldError("requester.phone", text))
    if person.phone is not None and not _PHONE.match(person.phone):
        text = Text("Nomor telepon tidak valid.", "Not a valid phone number.")
        errors.append(FieldError("requester.phone", text))
    if person.email is not None and not _EMAIL.match(person.email):
        text = Text("Alamat email tidak valid.", "Not a valid email address.")
        errors.append(FieldError("requester.email", text))
    return errors


def form_errors(body: RequestSubmission) -> list[FieldError]:
    errors: list[FieldError] = []
    copying = body.access_method is AccessMethod.OBTAIN_COPY
    if copying and body.copy_format is None:
        errors.append(FieldError("copy_format", REQUIRED))
    if not copying and body.copy_format is not None:
        text = Text(
            "Format salinan hanya diisi bila meminta salinan.",
            "A copy format goes only with `obtain_copy`.",
        )
        errors.append(FieldError("copy_format", text))
    contact = {DeliveryMethod.EMAIL: "email", DeliveryMethod.WHATSAPP: "phone"}
    needed = contact.get(body.delivery_method)
    if needed is not None and getattr(body.requester, needed) is None:
        text = Text(
            "Cara pengiriman ini memerlukan kontak tersebut.",
            "This delivery method needs this contact.",
        )
        errors.append(FieldError(f"requester.{needed}", text))
    return errors


def officials_only(body: object, given: tuple[str, ...]) -> list[FieldError]:
    """A field error for each of `given` the form sets: only officials entering a paper
    form say how and when it came (requests and objections alike)."""
    return [FieldError(name, OFFICIALS_ONLY) for name in given if getattr(body, name)]


def received_at_errors(received_at: dt.datetime | None, now: dt.datetime) -> list[FieldError]:
    """When an official says a paper form came: not in the future, at most 30 days back."""
    if received_at is not None and received_at > now:
        text = Text("Waktu diterima tidak boleh di masa depan.", "Must not be in the future.")
        return [FieldError("received_at", text)]
    if received_at is not None and received_at < now - MAX_BACKDATE:
        text = Text("Paling lama 30 hari yang lalu.", "At most 30 days back.")
        return [FieldError("received_at", text)]
    return []


def channel_errors(body: RequestSubmission, caller: Caller, now: dt.datetime) -> list[FieldError]:
    """Officials record how and when it came; online submissions are received now."""
    if not caller.is_official:
        return officials_only(body, ("channel", "channel_note", "received_at"))
    errors: list[FieldError] = []
    if body.channel is not None and body.channel not in OFFICIAL_CHANNELS:
        text = Text("Petugas tidak mencatat permohonan daring.", "Officials do not enter online.")
        errors.append(FieldError("channel", text))
    if body.channel is Channel.OTHER and body.channel_note is None:
        errors.append(FieldError("channel_note", REQUIRED))
    return [*errors, *received_at_errors(body.received_at, now)]


def check_submission(body: RequestSubmission, caller: Caller, now: dt.datetime) -> None:
    """422 with every field error at once."""
    errors = [
        *requester_errors(body.requester),
        *form_errors(body),
        *channel_errors(body, caller, now),
    ]
    if errors:
        raise ProblemError(VALIDATION, errors=errors)


def checked_caller(
    body: RequestSubmission, claims: Claims | None, tree: UnitTree, now: dt.datetime
) -> Caller:
    """The caller of a valid submission: 422 for an unknown or inactive unit (with the
    form's other errors), 403 for an official who does not handle it, 422 for the rest."""
    unknown = unit_errors(body.target_unit_id, tree)
    if unknown:
        more = [*requester_errors(body.requester), *form_errors(body)]
        raise ProblemError(VALIDATION, errors=[*unknown, *more])
    caller = caller_of(claims, body.target_unit_id, tree)
    check_submission(body, caller, now)
    return caller
