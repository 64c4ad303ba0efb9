"""Who may file, read and act on an objection (DOMAIN.md 10.2, 10.7; 17 rule 5).

The filer reads their objection with their account or with its own tracking secret;
the officials of the unit read it with a reader role (the Atasan PPID included). Anyone
else gets 404: an objection's existence is not disclosed.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from ppid_kit.access import ATASAN_PPID, Actor, require_role, strongest_role, subject_id
from ppid_kit.problems import FORBIDDEN, NOT_FOUND, ProblemError, Text
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree

from requests_service.core.access import (
    HANDLER_ROLES,
    READER_ROLES,
    REQUEST_NOT_FOUND,
    ViewerKind,
    covers,
    hash_secret,
    is_requester,
    requester_actor,
    secret_matches,
)
from requests_service.core.models import ActorType, InformationRequest
from requests_service.intake.rules import Caller, caller_of
from requests_service.objections.models import Objection
from requests_service.objections.repository import OBJECTION_NOT_FOUND

# The Atasan PPID decides (UU Pasal 36); handlers forward and carry out orders.
ATASAN_ROLES = (ATASAN_PPID,)
FORWARD_ROLES = (*HANDLER_ROLES, ATASAN_PPID)

NOT_HANDLER = Text(
    "Anda tidak berwenang menangani keberatan unit ini.",
    "You are not allowed to handle this unit's objections.",
)
NOT_ATASAN = Text(
    "Hanya Atasan PPID unit ini yang dapat melakukan tindakan ini.",
    "Only the Atasan PPID of this unit may do this.",
)


# Who files: the requester (account or the request's secret), anyone for reason (b)
# alone, or an official entering a paper form. The same as who submits a request.
Filer = Caller


def _client(claims: Claims | None) -> str | None:
    return None if claims is None else claims.client_id


def _online(claims: Claims | None) -> Filer:
    """Filing online: with the requester's account when the token is one, else anonymous."""
    account = requester_actor(claims)
    kind = ActorType.REQUESTER if account is not None else ActorType.ANONYMOUS
    return Filer(kind, account, _client(claims))


def filer_for_request(
    claims: Claims | None, request: InformationRequest, tree: UnitTree, secret: str | None
) -> Filer:
    """The request's requester (account or secret, an API client included), or a handler
    of its unit (paper form); another official of the unit 403, anyone else 404."""
    if claims is not None and claims.typ == "official":
        if covers(claims, request.unit_id, tree, HANDLER_ROLES):
            actor = require_role(claims, HANDLER_ROLES, request.unit_id, tree, NOT_HANDLER)
            return Filer(ActorType.OFFICIAL, actor, claims.client_id)
        if covers(claims, request.unit_id, tree, READER_ROLES):
            raise ProblemError(FORBIDDEN, NOT_HANDLER)
    if is_requester(claims, request):
        return Filer(ActorType.REQUESTER, requester_actor(claims), _client(claims))
    if secret_matches(request, secret):
        return _online(claims)
    raise ProblemError(NOT_FOUND, REQUEST_NOT_FOUND)


def filer_without_request(
    claims: Claims | None, unit_id: uuid.UUID | None, tree: UnitTree
) -> Filer:
    """Reason (b) alone needs no request: anyone files; an official must handle the unit
    (an unknown unit is the form's 422, checked with the other fields)."""
    if unit_id is not None and unit_id in tree:
        return caller_of(claims, unit_id, tree, NOT_HANDLER)
    # An official naming no known unit is not yet refused here: the form's 422 follows.
    return _online(claims)


def objection_secret_matches(objection: Objection, secret: str | None) -> bool:
    return secret is not None and hmac.compare_digest(
        objection.tracking_secret_hash, hash_secret(secret)
    )


def is_filer_account(claims: Claims | None, objection: Objection) -> bool:
    return (
        claims is not None
        and claims.typ == "requester"
        and objection.requester_account_id is not None
        and subject_id(claims) == objection.requester_account_id
    )


@dataclass(frozen=True)
class ObjectionViewer:
    kind: ViewerKind
    actor: Actor | None = None

    @property
    def is_official(self) -> bool:
        return self.kind is ViewerKind.OFFICIAL


def viewer_of(
    claims: Claims | None, objection: Objection, tree: UnitTree, secret: str | None
) -> ObjectionViewer:
    """A reader official of the unit, the filer's account, or the secret's holder; else 404."""
    if claims is not None and objection.unit_id in tree:
        role = strongest_role(claims, READER_ROLES, objection.unit_id, tree)
        if role is not None:
            return ObjectionViewer(ViewerKind.OFFICIAL, Actor(subject_id(claims), role))
    if is_filer_account(claims, objection):
        return ObjectionViewer(ViewerKind.REQUESTER, requester_actor(claims))
    if objection_secret_matches(objection, secret):
        return ObjectionViewer(ViewerKind.SECRET_HOLDER)
    raise ProblemError(NOT_FOUND, OBJECTION_NOT_FOUND)


def require_objection_role(
    claims: Claims, objection: Objection, tree: UnitTree, roles: Sequence[str], refused: Text
) -> Actor:
    """One of `roles` over the objection's unit: 403 for another reader official of the
    unit, 404 for anyone else (existence not disclosed)."""
    if objection.unit_id in tree and strongest_role(claims, roles, objection.unit_id, tree):
        return require_role(claims, roles, objection.unit_id, tree, refused)
    if covers(claims, objection.unit_id, tree, READER_ROLES):
        raise ProblemError(FORBIDDEN, refused)
    raise ProblemError(NOT_FOUND, OBJECTION_NOT_FOUND)


def filer_or_handler(
    claims: Claims | None, objection: Objection, tree: UnitTree, secret: str | None
) -> tuple[Actor | None, ActorType]:
    """The filer (account or secret), or a handler of the unit acting on their written
    word; another official of the unit 403, anyone else 404."""
    if claims is not None and covers(claims, objection.unit_id, tree, HANDLER_ROLES):
        actor = require_role(claims, HANDLER_ROLES, objection.unit_id, tree, NOT_HANDLER)
        return actor, ActorType.OFFICIAL
    if is_filer_account(claims, objection):
        return requester_actor(claims), ActorType.REQUESTER
    if objection_secret_matches(objection, secret):
        return requester_actor(claims), ActorType.ANONYMOUS
    if claims is not None and covers(claims, objection.unit_id, tree, READER_ROLES):
        raise ProblemError(FORBIDDEN, NOT_HANDLER)
    raise ProblemError(NOT_FOUND, OBJECTION_NOT_FOUND)
