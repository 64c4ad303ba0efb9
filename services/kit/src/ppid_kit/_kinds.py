"""The catalogue of problem kinds (stable `type` URIs with Indonesian and English titles)."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

Lang = Literal["id", "en"]


@dataclass(frozen=True)
class Text:
    """A message in Indonesian (`id`) and English (`en`)."""

    id: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.id


@dataclass(frozen=True)
class ProblemKind:
    slug: str
    status: int
    title: Text
    detail: Text | None = None  # default detail when the raiser gives none

    @property
    def type(self) -> str:
        return f"/problems/{self.slug}"

    def describe(self) -> dict[str, Any]:
        """The public description of this kind, in both languages (served by the gateway)."""
        body: dict[str, Any] = {
            "type": self.type,
            "slug": self.slug,
            "status": self.status,
            "title": {"id": self.title.id, "en": self.title.en},
        }
        if self.detail is not None:
            body["detail"] = {"id": self.detail.id, "en": self.detail.en}
        return body


@dataclass(frozen=True)
class FieldError:
    field: str
    message: Text


KINDS: dict[str, ProblemKind] = {}


def register_kind(
    slug: str,
    status: int,
    title_id: str,
    title_en: str,
    *,
    detail_id: str | None = None,
    detail_en: str | None = None,
) -> ProblemKind:
    """Register (once) a stable problem type; re-registering the same values is a no-op."""
    detail = Text(detail_id, detail_en) if detail_id and detail_en else None
    kind = ProblemKind(slug, status, Text(title_id, title_en), detail)
    existing = KINDS.get(slug)
    if existing is not None:
        if existing != kind:
            raise ValueError(f"problem kind {slug!r} is already registered differently")
        return existing
    KINDS[slug] = kind
    return kind


BAD_REQUEST = register_kind(
    "bad-request",
    400,
    "Permintaan tidak valid",
    "Bad request",
    detail_id="Permintaan tidak dapat diproses karena formatnya salah.",
    detail_en="The request could not be processed because it is malformed.",
)
UNAUTHORIZED = register_kind(
    "unauthorized",
    401,
    "Autentikasi diperlukan",
    "Authentication required",
    detail_id="Sertakan token akses yang sah.",
    detail_en="Provide a valid access token.",
)
INVALID_TOKEN = register_kind(
    "invalid-token",
    401,
    "Token tidak sah",
    "Invalid token",
    detail_id="Token akses tidak sah atau sudah kedaluwarsa.",
    detail_en="The access token is invalid or has expired.",
)
FORBIDDEN = register_kind(
    "forbidden",
    403,
    "Akses ditolak",
    "Forbidden",
    detail_id="Anda tidak berwenang melakukan tindakan ini.",
    detail_en="You are not allowed to do this.",
)
NOT_FOUND = register_kind(
    "not-found",
    404,
    "Tidak ditemukan",
    "Not found",
    detail_id="Sumber daya yang diminta tidak ditemukan.",
    detail_en="The requested resource was not found.",
)
METHOD_NOT_ALLOWED = register_kind(
    "method-not-allowed",
    405,
    "Metode tidak diizinkan",
    "Method not allowed",
    detail_id="Metode HTTP ini tidak didukung untuk alamat ini.",
    detail_en="This HTTP method is not supported for this address.",
)
CONFLICT = register_kind(
    "conflict",
    409,
    "Konflik keadaan",
    "Conflict",
    detail_id="Permintaan bertentangan dengan keadaan sumber daya saat ini.",
    detail_en="The request conflicts with the current state of the resource.",
)
PRECONDITION_FAILED = register_kind(
    "precondition-failed",
    412,
    "Prasyarat gagal",
    "Precondition failed",
    detail_id="Sumber daya telah berubah; muat ulang lalu coba lagi.",
    detail_en="The resource has changed; reload it and try again.",
)
PAYLOAD_TOO_LARGE = register_kind(
    "payload-too-large",
    413,
    "Muatan terlalu besar",
    "Payload too large",
    detail_id="Isi permintaan melebihi batas ukuran.",
    detail_en="The request body exceeds the size limit.",
)
UNSUPPORTED_MEDIA_TYPE = register_kind(
    "unsupported-media-type",
    415,
    "Jenis media tidak didukung",
    "Unsupported media type",
    detail_id="Jenis isi permintaan tidak diizinkan.",
    detail_en="The content type of the request is not allowed.",
)
VALIDATION = register_kind(
    "validation-error",
    422,
    "Data tidak valid",
    "Validation failed",
    detail_id="Beberapa isian tidak valid.",
    detail_en="Some fields are invalid.",
)
UNSTORABLE_TEXT = register_kind(
    "invalid-text",
    422,
    "Teks tidak valid",
    "Invalid text",
    detail_id="Isian memuat karakter yang tidak dapat disimpan (misalnya karakter NUL).",
    detail_en="A field holds a character that cannot be stored (such as NUL).",
)
IDEMPOTENCY_MISMATCH = register_kind(
    "idempotency-key-reused",
    422,
    "Kunci idempotensi sudah dipakai",
    "Idempotency key reused",
    detail_id="Idempotency-Key ini sudah dipakai untuk permintaan dengan isi berbeda.",
    detail_en="This Idempotency-Key was already used for a request with a different body.",
)
PRECONDITION_REQUIRED = register_kind(
    "precondition-required",
    428,
    "Prasyarat diperlukan",
    "Precondition required",
    detail_id="Sertakan header If-Match dengan ETag terakhir.",
    detail_en="Send an If-Match header with the latest ETag.",
)
RATE_LIMITED = register_kind(
    "rate-limited",
    429,
    "Terlalu banyak permintaan",
    "Too many requests",
    detail_id="Batas permintaan terlampaui; coba lagi nanti.",
    detail_en="The rate limit was exceeded; try again later.",
)
INTERNAL = register_kind(
    "internal-error",
    500,
    "Kesalahan internal",
    "Internal error",
    detail_id="Terjadi kesalahan pada server.",
    detail_en="The server hit an error.",
)
BAD_GATEWAY = register_kind(
    "bad-gateway",
    502,
    "Gerbang bermasalah",
    "Bad gateway",
    detail_id="Layanan hulu memberi jawaban yang tidak valid.",
    detail_en="An upstream service gave an invalid answer.",
)
SERVICE_UNAVAILABLE = register_kind(
    "service-unavailable",
    503,
    "Layanan tidak tersedia",
    "Service unavailable",
    detail_id="Layanan sementara tidak tersedia; coba lagi sebentar lagi.",
    detail_en="The service is temporarily unavailable; try again shortly.",
)
GATEWAY_TIMEOUT = register_kind(
    "gateway-timeout",
    504,
    "Waktu tunggu habis",
    "Gateway timeout",
    detail_id="Layanan hulu tidak menjawab tepat waktu.",
    detail_en="An upstream service did not answer in time.",
)
INVALID_CURSOR = register_kind(
    "invalid-cursor",
    400,
    "Kursor tidak valid",
    "Invalid cursor",
    detail_id="Parameter cursor rusak atau telah diubah.",
    detail_en="The cursor parameter is damaged or was altered.",
)

_BY_STATUS: dict[int, ProblemKind] = {}
for _kind in list(KINDS.values()):
    _BY_STATUS.setdefault(_kind.status, _kind)


def kind_for_status(status: int) -> ProblemKind:
    """The built-in kind for an HTTP status; an ad-hoc `http-<status>` kind otherwise."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return ProblemKind(f"http-{status}", status, Text(phrase, phrase))
