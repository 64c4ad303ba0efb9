"""Who may read and act on a request (DOMAIN.md 2.3, 17 rule 5; ARCHITECTURE.md Tenancy).

Officials act on the requests of the units their grants cover (a role at a unit
covers its subtree; the PPID Utama's at the root covers every unit). A requester
reads their own requests with their account, or one request with its tracking
secret (DOMAIN.md 17 rule 3: the number alone is never enough).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ppid_kit.access import (
    ADMIN,
    ATASAN_PPID,
    AUDITOR,
    PETUGAS_LAYANAN,
    PPID_PELAKSANA,
    PPID_UTAMA,
    Actor,
    require_role,
    strongest_role,
    subject_id,
)
from ppid_kit.problems import NOT_FOUND, ProblemError, Text
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree

from requests_service.core.models import InformationRequest

# Strongest first: the role recorded when several cover the unit.
HANDLER_ROLES = (PPID_UTAMA, PPID_PELAKSANA, PETUGAS_LAYANAN)
DECIDER_ROLES = (PPID_UTAMA, PPID_PELAKSANA)  # verify-level acts plus notices, extensions
READER_ROLES = (*HANDLER_ROLES, ATASAN_PPID, AUDITOR, ADMIN)

NOT_HANDLER = Text(
    "Anda tidak berwenang menangani permohonan unit ini.",
    "You are not allowed to handle this unit's requests.",
)
REQUEST_NOT_FOUND = Text("Permohonan tidak ditemukan.", "Request not found.")


class ViewerKind(StrEnum):
    OFFICIAL = "official"
    REQUESTER = "requester"  # the account that submitted it
    SECRET_HOLDER = "secret_holder"  # noqa: S105 (a kind of viewer) whoever holds the tracking secret


@dataclass(frozen=True)
class Viewer:
    kind: ViewerKind
    actor: Actor | None = None  # set for officials and requesters with an account

    @property
    def is_official(self) -> bool:
        return self.kind is ViewerKind.OFFICIAL


def hash_secret(secret: str) -> str:
    """SHA-256 of a tracking secret (high-entropy, so no slow hash is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(request: InformationRequest, secret: str | None) -> bool:
    return secret is not None and hmac.compare_digest(
        request.tracking_secret_hash, hash_secret(secret)
    )


def require_official(
    claims: Claims,
    request: InformationRequest,
    tree: UnitTree,
    roles: Sequence[str] = HANDLER_ROLES,
    refused: Text = NOT_HANDLER,
) -> Actor:
    """One of `roles` over the request's handling unit: else 403."""
    return require_role(claims, roles, request.unit_id, tree, refused)


def is_requester(claims: Claims | None, request: InformationRequest) -> bool:
    return (
        claims is not None
        and claims.typ == "requester"
        and request.requester_account_id is not None
        and subject_id(claims) == request.requester_account_id
    )


def viewer_of(
    claims: Claims | None,
    request: InformationRequest,
    tree: UnitTree,
    tracking_secret: str | None,
) -> Viewer:
    """Who is reading: a reader official of the unit, the requester, or the secret's
    holder; anyone else gets 404 (the request's existence is not disclosed)."""
    if claims is not None and request.unit_id in tree:
        role = strongest_role(claims, READER_ROLES, request.unit_id, tree)
        if role is not None:
            return Viewer(ViewerKind.OFFICIAL, Actor(subject_id(claims), role))
    if claims is not None and is_requester(claims, request):
        return Viewer(ViewerKind.REQUESTER, Actor(subject_id(claims), "pemohon"))
    if secret_matches(request, tracking_secret):
        return Viewer(ViewerKind.SECRET_HOLDER)
    raise ProblemError(NOT_FOUND, REQUEST_NOT_FOUND)


def audit_actor_type(kind: StrEnum, actor: Actor | None) -> str:
    """The audit log's `actor_type`: the kind, with the role when someone is known
    (`official:ppid_pelaksana`); never who they are."""
    return kind.value if actor is None else f"{kind.value}:{actor.role}"


def requester_actor(claims: Claims | None) -> Actor | None:
    """The requester's account behind a submission, when the token is a requester's."""
    if claims is None or claims.typ != "requester":
        return None
    return Actor(subject_id(claims), "pemohon")


def covers(claims: Claims, unit_id: uuid.UUID, tree: UnitTree, roles: Sequence[str]) -> bool:
    return unit_id in tree and strongest_role(claims, roles, unit_id, tree) is not None
