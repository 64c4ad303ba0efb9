"""Turn pydantic/FastAPI validation errors into short human messages (id, en)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi.exceptions import RequestValidationError

_Msg = tuple[str, str]
_Ctx = Mapping[str, Any]


def _fixed(id_: str, en: str) -> Callable[[_Ctx], _Msg]:
    return lambda _ctx: (id_, en)


def _expected(id_: str, en: str) -> Callable[[_Ctx], _Msg]:
    return lambda ctx: (id_.format(**ctx), en.format(**ctx))


_TYPE_OF = {
    "int": ("bilangan bulat", "an integer"),
    "float": ("angka", "a number"),
    "bool": ("nilai benar/salah (true/false)", "a boolean (true/false)"),
    "string": ("teks", "a string"),
    "uuid": ("UUID", "a UUID"),
    "datetime": ("waktu RFC 3339", "an RFC 3339 date-time"),
    "date": ("tanggal (YYYY-MM-DD)", "a date (YYYY-MM-DD)"),
    "time": ("jam (HH:MM[:SS])", "a time (HH:MM[:SS])"),
    "decimal": ("angka desimal", "a decimal number"),
    "list": ("daftar (array)", "a list (array)"),
    "dict": ("objek", "an object"),
    "model": ("objek", "an object"),
    "url": ("URL yang sah", "a valid URL"),
}

_MESSAGES: dict[str, Callable[[_Ctx], _Msg]] = {
    "missing": _fixed("Wajib diisi.", "This field is required."),
    "extra_forbidden": _fixed("Isian ini tidak dikenal.", "This field is not allowed."),
    "string_too_short": _expected(
        "Minimal {min_length} karakter.", "Must be at least {min_length} characters."
    ),
    "string_too_long": _expected(
        "Maksimal {max_length} karakter.", "Must be at most {max_length} characters."
    ),
    "too_short": _expected("Minimal {min_length} butir.", "Must have at least {min_length} items."),
    "too_long": _expected("Maksimal {max_length} butir.", "Must have at most {max_length} items."),
    "greater_than": _expected("Harus lebih dari {gt}.", "Must be greater than {gt}."),
    "greater_than_equal": _expected(
        "Harus paling sedikit {ge}.", "Must be greater than or equal to {ge}."
    ),
    "less_than": _expected("Harus kurang dari {lt}.", "Must be less than {lt}."),
    "less_than_equal": _expected(
        "Harus paling banyak {le}.", "Must be less than or equal to {le}."
    ),
    "string_pattern_mismatch": _fixed(
        "Formatnya tidak sesuai.", "Does not match the required format."
    ),
    "enum": _expected("Harus salah satu dari: {expected}.", "Must be one of: {expected}."),
    "literal_error": _expected("Harus salah satu dari: {expected}.", "Must be one of: {expected}."),
    "json_invalid": _fixed("JSON tidak valid.", "Invalid JSON."),
    "json_type": _fixed("Harus berupa JSON.", "Must be JSON."),
    "int_from_float": _fixed("Harus bilangan bulat.", "Must be a whole number."),
    "uuid_version": _fixed("Versi UUID tidak didukung.", "Unsupported UUID version."),
    "multiple_of": _expected(
        "Harus kelipatan {multiple_of}.", "Must be a multiple of {multiple_of}."
    ),
    "timezone_aware": _fixed(
        "Waktu harus menyertakan zona waktu.", "The time must include a time zone offset."
    ),
    "datetime_from_date_parsing": _fixed(
        "Harus berupa waktu RFC 3339.", "Must be an RFC 3339 date-time."
    ),
    "date_from_datetime_parsing": _fixed(
        "Harus berupa tanggal (YYYY-MM-DD).", "Must be a date (YYYY-MM-DD)."
    ),
    "date_from_datetime_inexact": _fixed(
        "Harus berupa tanggal tanpa jam.", "Must be a date without a time."
    ),
}


def _type_message(error_type: str) -> _Msg | None:
    """`<kind>_type` / `<kind>_parsing` errors: "must be <kind>"."""
    for suffix in ("_type", "_parsing"):
        if error_type.endswith(suffix):
            names = _TYPE_OF.get(error_type.removesuffix(suffix))
            if names is not None:
                return f"Harus berupa {names[0]}.", f"Must be {names[1]}."
    return None


def _field_name(loc: Sequence[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def translate_error(error: Mapping[str, Any]) -> tuple[str, str, str]:
    """(field, message_id, message_en) for one pydantic error dict."""
    error_type = str(error.get("type", ""))
    ctx = {k: _ctx_value(v) for k, v in (error.get("ctx") or {}).items()}
    # A JSON syntax error's loc ends in a character offset, not a field.
    field = "body" if error_type == "json_invalid" else _field_name(error.get("loc", ()))
    msg = _type_message(error_type)
    if msg is None and error_type in _MESSAGES:
        try:
            msg = _MESSAGES[error_type](ctx)
        except (KeyError, IndexError):
            msg = None
    if msg is None:  # custom validators and rare types: pydantic's English text for both
        text = str(error.get("msg", "Invalid value."))
        msg = _INVALID if _echoes(text, error.get("input")) else (text, text)
    return field, msg[0], msg[1]


_INVALID: _Msg = ("Nilai tidak valid.", "Invalid value.")


def _echoes(text: str, value: Any) -> bool:
    """The message repeats a submitted value (a NIK, a phone…, or one inside the input)."""
    if isinstance(value, Mapping):
        return any(_echoes(text, item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_echoes(text, item) for item in value)
    return isinstance(value, str | int | float) and str(value) != "" and str(value) in text


def _ctx_value(value: Any) -> Any:
    return value if isinstance(value, int | float | str) else str(value)


def translate_validation_errors(exc: RequestValidationError) -> list[tuple[str, str, str]]:
    return [translate_error(e) for e in exc.errors()]
