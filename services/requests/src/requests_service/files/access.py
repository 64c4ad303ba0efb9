"""Who may add, see and read the private files of a request (DOMAIN.md 17 rules 2, 3, 5).

- Identity evidence (`IDENTITY_FILE_KINDS`): added by the requester (account or tracking
  secret) or a handler of the handling unit; read only by handlers of the handling unit
  (every read audited). Reader officials who do not handle (auditor, atasan, admin) see
  it listed but get 403; everyone else 404, as if it did not exist.
- `supporting`: added like identity evidence; read by reader officials, and by the
  requester when the requester's side uploaded it.
- `delivered`: added by handlers only; read by everyone `viewer_of` admits (reader
  officials, the requester's account, the tracking secret's holder).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ppid_kit.access import Actor
from ppid_kit.problems import CONFLICT, FORBIDDEN, NOT_FOUND, ProblemError, Text
from ppid_kit.tokens import Claims
from ppid_kit.unit_tree import UnitTree

from requests_service.core.access import (
    HANDLER_ROLES,
    NOT_HANDLER,
    Viewer,
    ViewerKind,
    covers,
    require_official,
    viewer_of,
)
from requests_service.core.models import (
    IDENTITY_FILE_KINDS,
    TERMINAL_STATES,
    ActorType,
    InformationRequest,
    RequestFile,
    RequestFileKind,
)

NO_FILE = Text("Berkas tidak ditemukan.", "File not found.")
HANDLERS_DELIVER = Text(
    "Hanya petugas unit yang menangani permohonan yang dapat mengunggah informasi yang diserahkan.",
    "Only officials of the handling unit upload the information delivered.",
)
HANDLERS_READ_IDENTITY = Text(
    "Hanya petugas unit yang menangani permohonan yang dapat membuka dokumen identitas.",
    "Only officials of the handling unit may open identity documents.",
)
REQUEST_ENDED = Text(
    "Permohonan sudah berakhir; berkas tidak dapat ditambahkan.",
    "The request has ended; no file can be added.",
)


@dataclass(frozen=True)
class Caller:
    """Who is adding or reading a file: the viewer, and the handler's actor when one."""

    viewer: Viewer
    handler: Actor | None = None

    @property
    def user_id(self) -> uuid.UUID | None:
        """Who uploads, for `RequestFile.uploaded_by` (None: the tracking secret's holder)."""
        actor = self.handler or self.viewer.actor
        return None if actor is None else actor.user_id

    def audit_actor(self) -> tuple[uuid.UUID | None, str]:
        """(actor_id, actor_type) for the audit log, in `core.history`'s style."""
        actor = self.handler or self.viewer.actor
        if self.viewer.kind is ViewerKind.SECRET_HOLDER or actor is None:
            return None, ActorType.ANONYMOUS.value
        kind = ActorType.OFFICIAL if self.viewer.is_official else ActorType.REQUESTER
        return actor.user_id, f"{kind.value}:{actor.role}"


def caller_of(
    claims: Claims | None, request: InformationRequest, tree: UnitTree, secret: str | None
) -> Caller:
    """The viewer (404 to strangers), with the handler's actor when the caller handles."""
    viewer = viewer_of(claims, request, tree, secret)
    if (
        viewer.is_official
        and claims is not None
        and covers(claims, request.unit_id, tree, HANDLER_ROLES)
    ):
        return Caller(viewer, require_official(claims, request, tree))
    return Caller(viewer)


def handler_of(
    claims: Claims, request: InformationRequest, tree: UnitTree, refused: Text | None = None
) -> Actor:
    """A handler of the handling unit: 404 to who may not see the request, 403 to readers."""
    viewer_of(claims, request, tree, None)
    if refused is None:
        return require_official(claims, request, tree)
    return require_official(claims, request, tree, refused=refused)


def check_may_upload(caller: Caller, request: InformationRequest) -> None:
    """Uploads while the request runs (409), by its handlers or the requester's side
    (reader officials who do not handle: 403)."""
    if request.state in TERMINAL_STATES:
        raise ProblemError(CONFLICT, REQUEST_ENDED)
    if caller.handler is None and caller.viewer.is_official:
        raise ProblemError(FORBIDDEN, NOT_HANDLER)


def check_upload(caller: Caller, request: InformationRequest, kind: RequestFileKind) -> None:
    """`check_may_upload`, and delivered information by handlers only (403)."""
    check_may_upload(caller, request)
    if kind is RequestFileKind.DELIVERED and caller.handler is None:
        raise ProblemError(FORBIDDEN, HANDLERS_DELIVER)


def from_requester_side(file: RequestFile, request: InformationRequest) -> bool:
    """Uploaded with the tracking secret (no account) or with the requester's account."""
    return file.uploaded_by is None or file.uploaded_by == request.requester_account_id


def listed_for(viewer: Viewer, file: RequestFile, request: InformationRequest) -> bool:
    """Officials of the unit see every live file; the requester's side sees the delivered
    information and the supporting files it uploaded (never identity evidence)."""
    if viewer.is_official:
        return True
    if file.kind is RequestFileKind.DELIVERED:
        return True
    return file.kind is RequestFileKind.SUPPORTING and from_requester_side(file, request)


def check_read(caller: Caller, file: RequestFile, request: InformationRequest) -> None:
    """Identity evidence: handlers only (403 to other reader officials, 404 to the rest);
    other kinds: whoever the list shows them to (404 otherwise)."""
    if file.kind in IDENTITY_FILE_KINDS:
        if not caller.viewer.is_official:
            raise ProblemError(NOT_FOUND, NO_FILE)
        if caller.handler is None:
            raise ProblemError(FORBIDDEN, HANDLERS_READ_IDENTITY)
        return
    if not listed_for(caller.viewer, file, request):
        raise ProblemError(NOT_FOUND, NO_FILE)
