"""Registering a request: the legal clock, the number, the identity, the first event.

All in the submitting transaction (DOMAIN.md 8.6, 9.3, 14): the root's calendar gives
the receipt date and D10 (UU Pasal 22(7)) with its version; the number comes from the
root's counter (gap-free); the identity is stored apart, the NIK encrypted with a keyed
hash beside it (DOMAIN.md 17); `record_event` writes the `submit` event and the audit.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import uuid
from dataclasses import dataclass

from ppid_kit.unit_tree import UnitTree
from sqlalchemy.ext.asyncio import AsyncSession

from requests_service.calendar.clock import WorkCalendar
from requests_service.calendar.models import DEFAULT_TIME_ZONE
from requests_service.calendar.service import load_calendar
from requests_service.core.access import hash_secret
from requests_service.core.history import record_event
from requests_service.core.models import (
    Channel,
    InformationRequest,
    RequesterIdentity,
    RequestState,
)
from requests_service.identity.nik import encrypt_nik, nik_hash, validate_nik
from requests_service.intake import numbers
from requests_service.intake.policies import get_request_policy
from requests_service.intake.rules import Caller
from requests_service.intake.schemas import RequesterIn, RequestSubmission
from requests_service.settings import RequestsSettings

NOTICE_WORKING_DAYS = 10  # UU Pasal 22(7)


@dataclass(frozen=True)
class Submitted:
    request: InformationRequest
    tracking_secret: str


def tracking_secret(settings: RequestsSettings, request_id: uuid.UUID, domain: bytes = b"") -> str:
    """HMAC-SHA-256(key, domain + id) in base64url: derivable again for a replay, never
    stored. Objections pass their own `domain`, apart from the requests' secrets."""
    key = base64.b64decode(settings.tracking_secret_key.get_secret_value())
    digest = hmac.new(key, domain + str(request_id).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def channel_of(body: RequestSubmission, caller: Caller) -> Channel:
    if not caller.is_official:
        return Channel.ONLINE
    return body.channel or Channel.WALK_IN


def identity_of(
    request_id: uuid.UUID, person: RequesterIn, settings: RequestsSettings
) -> RequesterIdentity:
    identity = RequesterIdentity(
        request_id=request_id,
        name=person.name,
        legal_entity_decree_no=person.legal_entity_decree_no,
        address=person.address,
        phone=person.phone,
        email=person.email,
        occupation=person.occupation,
        agent_name=person.agent_name,
    )
    if person.nik is not None:
        nik = validate_nik(person.nik)
        identity.nik_ciphertext, identity.nik_key_id = encrypt_nik(
            nik, settings.nik_keys, settings.nik_key_id
        )
        identity.nik_hash = nik_hash(nik, settings.nik_hash_key)
    return identity


async def root_calendar(session: AsyncSession, tree: UnitTree, root_id: uuid.UUID) -> WorkCalendar:
    """The root's working calendar, in its time zone (the legal clock of its requests)."""
    return await load_calendar(
        session, root_id, time_zone=tree.node(root_id).time_zone or DEFAULT_TIME_ZONE
    )


async def registration_number(
    session: AsyncSession,
    tree: UnitTree,
    root_id: uuid.UUID,
    unit_id: uuid.UUID,
    year: int,
    series: str = numbers.REQUEST_SERIES,
) -> tuple[int, str]:
    """The next (seq, number) of `series` for the root's year, in the root's format
    (requests; objections and their responses number their own series)."""
    policy = await get_request_policy(session, root_id)
    seq = await numbers.next_seq(session, root_id, year, series)
    number = numbers.format_number(
        policy.number_format,
        root=tree.node(root_id).code.upper() or numbers.unit_code(tree, root_id),
        unit=numbers.unit_code(tree, unit_id),
        year=year,
        seq=seq,
        series=series,
    )
    return seq, number


async def submit_request(
    session: AsyncSession,
    tree: UnitTree,
    body: RequestSubmission,
    caller: Caller,
    settings: RequestsSettings,
    *,
    now: dt.datetime,
) -> Submitted:
    """Register a checked submission (`rules.check_submission`) as a `received` request."""
    root_id = tree.root_of(body.target_unit_id)
    calendar = await root_calendar(session, tree, root_id)
    received_at = body.received_at if caller.is_official and body.received_at else now
    year = calendar.local(received_at).year
    seq, number = await registration_number(session, tree, root_id, body.target_unit_id, year)
    request_id = uuid.uuid4()
    secret = tracking_secret(settings, request_id)
    request = InformationRequest(
        id=request_id,
        root_id=root_id,
        target_unit_id=body.target_unit_id,
        unit_id=body.target_unit_id,
        year=year,
        seq=seq,
        registration_number=number,
        channel=channel_of(body, caller),
        channel_note=body.channel_note if caller.is_official else None,
        requester_account_id=caller.account_id,
        entered_by=caller.actor.user_id if caller.is_official and caller.actor else None,
        client_id=caller.client_id,
        requester_category=body.requester.category,
        information_requested=body.information_requested,
        purpose=body.purpose,
        access_method=body.access_method,
        copy_format=body.copy_format,
        delivery_method=body.delivery_method,
        state=RequestState.RECEIVED,
        received_at=received_at,
        receipt_date=calendar.receipt_date(received_at),
        notice_due=calendar.deadline(received_at, NOTICE_WORKING_DAYS),
        calendar_version=calendar.version,
        time_zone=calendar.time_zone,
        tracking_secret_hash=hash_secret(secret),
        version=0,
    )
    session.add(request)
    await session.flush()
    session.add(identity_of(request_id, body.requester, settings))
    await session.flush()
    await record_event(
        session,
        request,
        action="submit",
        to_state=RequestState.RECEIVED,
        actor=caller.actor,
        actor_type=caller.actor_type,
        details={"channel": str(request.channel), "registration_number": number},
    )
    await session.refresh(request)
    return Submitted(request, secret)
