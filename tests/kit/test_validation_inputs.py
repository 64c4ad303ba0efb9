"""Validation problems never send the submitted value back (DOMAIN.md 17: a NIK, a phone)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi.exceptions import RequestValidationError
from ppid_kit._validation import translate_error, translate_validation_errors
from pydantic import BaseModel, Field, ValidationError


class Cat(BaseModel):
    kind: Literal["cat"]


class Dog(BaseModel):
    kind: Literal["dog"]


class Owner(BaseModel):
    pet: Annotated[Cat | Dog, Field(discriminator="kind")]
    phone: str = Field(max_length=8)


def errors_of(data: object) -> list[tuple[str, str, str]]:
    try:
        Owner.model_validate(data)
    except ValidationError as exc:
        return translate_validation_errors(RequestValidationError(exc.errors()))
    raise AssertionError("expected a validation error")


def test_a_message_that_repeats_the_input_becomes_generic() -> None:
    secret = "3273015708910003"
    found = errors_of({"pet": {"kind": secret}, "phone": secret})
    assert ("pet", "Nilai tidak valid.", "Invalid value.") in found
    assert ("phone", "Maksimal 8 karakter.", "Must be at most 8 characters.") in found
    assert not any(secret in part for error in found for part in error)


def test_a_custom_message_without_the_input_is_kept() -> None:
    error = {"type": "value_error", "loc": ("body", "x"), "msg": "Value error, odd", "input": "7"}
    assert translate_error(error) == ("x", "Value error, odd", "Value error, odd")
    assert translate_error({**error, "input": "odd"})[1:] == (
        "Nilai tidak valid.",
        "Invalid value.",
    )
