"""The Makefile's targets and what they run (read with `make -n`: nothing is executed)."""

from __future__ import annotations

import subprocess

import pytest

from tools.services import ROOT

TARGETS = (
    "help",
    "install",
    "run",
    "test",
    "lint",
    "fmt",
    "openapi",
    "dockerfiles",
    "bench",
    "k8s",
)


def make(*args: str) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_help_lists_every_target() -> None:
    listed = {line.split()[1] for line in make("help").splitlines() if line.strip()}
    assert set(TARGETS) <= listed


def test_make_test_lints_first_then_runs_the_suite() -> None:
    steps = make("-n", "test").splitlines()

    def position(fragment: str) -> int:
        return next(i for i, step in enumerate(steps) if fragment in step)

    lint = [
        position("ruff check ."),
        position("ruff format --check ."),
        position("mypy -p ppid_kit -p auth_service -p registry_service"),
        position("mypy tools tests"),
    ]
    suite = position("pytest")
    assert position("uv sync --frozen") < min(lint)  # installs what is needed first
    assert max(lint) < suite
    assert position("python -m tools.k8s") < suite


@pytest.mark.parametrize(
    ("target", "command"),
    [
        ("run", "python -m tools.run"),
        ("openapi", "python -m tools.openapi"),
        ("dockerfiles", "python -m tools.dockerfiles"),
        ("bench", "python -m tools.bench"),
        ("k8s", "python -m tools.k8s"),
        ("fmt", "ruff format ."),
        ("install", "uv sync --frozen"),
    ],
)
def test_targets_run_their_tool(target: str, command: str) -> None:
    assert command in make("-n", target)


def test_ci_runs_make_test_and_nothing_else() -> None:
    script = (ROOT / ".ci" / "run").read_text().splitlines()
    commands = [
        line.strip()
        for line in script
        if line.strip() and not line.startswith(("#", "set ", 'cd "$(dirname'))
    ]
    assert commands == ["make test"]
