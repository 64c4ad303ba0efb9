"""Password policy and hashing: argon2id with OWASP's parameters, off the event loop."""

from __future__ import annotations

import asyncio
import time

import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from auth_service.accounts import passwords
from auth_service.accounts.passwords import check_password_policy
from ppid_kit.problems import ProblemError

EMAIL = "budi.santoso@kota-contoh.go.id"
NAME = "Budi Santoso"


def refusal(password: str) -> ProblemError:
    with pytest.raises(ProblemError) as caught:
        check_password_policy(password, email=EMAIL, name=NAME, field="new_password")
    assert caught.value.kind.slug == "weak-password"
    assert caught.value.kind.status == 422
    assert caught.value.errors is not None
    assert [error.field for error in caught.value.errors] == ["new_password"]
    return caught.value


def test_a_long_uncommon_password_passes() -> None:
    check_password_policy("tangerine-kettle-orbit-42", email=EMAIL, name=NAME)
    check_password_policy("x" * 5 + "Yz!9" + "q" * 3, email=EMAIL, name=NAME)


@pytest.mark.parametrize("password", ["", "short", "elevenchars"])
def test_shorter_than_twelve_is_refused(password: str) -> None:
    assert "12" in refusal(password).detail.en  # type: ignore[union-attr]


def test_twelve_is_enough_and_over_128_is_refused() -> None:
    check_password_policy("kq7#vmz2!pwa", email=EMAIL, name=NAME)
    assert "128" in refusal("kq7#vmz2!pwa" * 11).detail.en  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "PASSWORD1234",
        "qwertyuiop123",
        "iloveyou1234!",
        "bismillah2024",
        "Indonesia1945!",
    ],
)
def test_common_passwords_are_refused_even_with_digits_appended(password: str) -> None:
    assert "common" in refusal(password).detail.en  # type: ignore[union-attr]


def test_the_shipped_list_is_large_and_lower_cased() -> None:
    words = passwords.common_passwords()
    assert len(words) > 19_000
    assert all(word == word.lower() for word in words)
    assert {"123456", "password", "bismillah", "rahasia"} <= words


@pytest.mark.parametrize(
    "password", [EMAIL, EMAIL.upper(), "budi.santoso", "Budi Santoso!", "BudiSantoso2024"]
)
def test_the_email_or_the_name_is_refused(password: str) -> None:
    padded = password if len(password) >= 12 else password + "!!!!"
    assert "email" in refusal(padded).detail.en  # type: ignore[union-attr]


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "abcabcabcabc", "1212121212121212"])
def test_a_repeated_short_pattern_is_refused(password: str) -> None:
    refusal(password)


async def test_hashes_are_argon2id_with_the_owasp_parameters() -> None:
    hashed = await passwords.hash_password("tangerine-kettle-orbit-42")
    params = extract_parameters(hashed)
    assert hashed.startswith("$argon2id$v=19$")
    assert params.type is Type.ID
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)
    assert params.salt_len == 16
    assert params.hash_len == 32
    assert await passwords.verify_password(hashed, "tangerine-kettle-orbit-42")
    assert not await passwords.verify_password(hashed, "tangerine-kettle-orbit-43")
    assert not passwords.needs_rehash(hashed)


async def test_a_hash_with_other_parameters_needs_rehash_and_still_verifies() -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("lama-sekali-123")
    assert passwords.needs_rehash(old)
    assert await passwords.verify_password(old, "lama-sekali-123")
    assert not await passwords.verify_password("not a hash", "lama-sekali-123")


async def test_hashing_does_not_block_the_event_loop() -> None:
    """While eight hashes run, a 5 ms ticker keeps ticking: the work is in worker threads."""
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    await asyncio.gather(*(passwords.hash_password(f"kata-sandi-{i}-panjang") for i in range(8)))
    elapsed = time.perf_counter() - started
    task.cancel()
    assert elapsed > 0.05  # the hashes did real work (19 MiB, two passes each)
    assert ticks >= elapsed / 0.005 / 4, (ticks, elapsed)


async def test_an_unknown_account_costs_one_verification() -> None:
    started = time.perf_counter()
    await passwords.burn_verification("whatever-was-typed")
    burned = time.perf_counter() - started
    hashed = await passwords.hash_password("tangerine-kettle-orbit-42")
    started = time.perf_counter()
    await passwords.verify_password(hashed, "whatever-was-typed")
    real = time.perf_counter() - started
    assert burned > real / 3, (burned, real)
