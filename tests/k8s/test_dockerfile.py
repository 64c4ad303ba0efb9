"""The image recipes keep their promises without a Docker engine to build them: a non-root
user, a healthcheck, no build tools in the final stage, migrations in the image, and every
workspace member's pyproject.toml copied before `uv sync --frozen` (uv needs them all).

Checked for the shared recipe and for each app's own Dockerfile generated from it (which
must be current). Parsed with BuildKit's own parser (the `dockerfile` package), so a syntax
error fails too."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import dockerfile
import pytest

from tools.dockerfiles import IMAGES, RECIPE, render, stale

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = [RECIPE, *(image.path for image in IMAGES)]
BUILD_TOOLS = re.compile(r"\b(uv|pip|gcc|g\+\+|cc|make|build-essential|apt-get|apk)\b")

Stage = list[Any]  # dockerfile.Command: cmd, flags, value


@pytest.fixture(
    scope="module", params=DOCKERFILES, ids=[p.relative_to(ROOT).as_posix() for p in DOCKERFILES]
)
def recipe(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


@pytest.fixture(scope="module")
def stages(recipe: Path) -> dict[str, Stage]:
    """Each stage's instructions by its `AS` name, in order."""
    by_name: dict[str, Stage] = {}
    current: Stage = []
    for command in dockerfile.parse_file(str(recipe)):
        if command.cmd == "FROM":
            current = []
            by_name[command.value[-1]] = current
        else:
            current.append(command)
    assert list(by_name)[-1] == "final"
    return by_name


def values(stage: Stage, cmd: str) -> list[tuple[str, ...]]:
    return [command.value for command in stage if command.cmd == cmd]


def test_final_stage_runs_as_a_numeric_non_root_user(stages: dict[str, Stage]) -> None:
    users = values(stages["final"], "USER")
    assert users, "no USER in the final stage"
    uid, _, gid = users[-1][0].partition(":")
    assert uid.isdigit()
    assert int(uid) != 0
    assert gid.isdigit()
    assert int(gid) != 0


def test_final_stage_has_a_healthcheck_on_healthz(stages: dict[str, Stage]) -> None:
    (check,) = values(stages["final"], "HEALTHCHECK")
    assert check[0] == "CMD"
    assert "/healthz" in " ".join(check)


def test_final_stage_has_no_build_tools(stages: dict[str, Stage]) -> None:
    for command in stages["final"]:
        if command.cmd == "RUN":
            assert not BUILD_TOOLS.search(" ".join(command.value)), command.original
        if command.cmd == "COPY":
            # Only the build stage's results: never the uv image, never the source tree.
            assert command.flags == ("--from=build",), command.original


def test_migrations_and_the_app_run_from_the_image(recipe: Path, stages: dict[str, Stage]) -> None:
    assert "python -m alembic -c /app/alembic.ini upgrade head" in recipe.read_text()
    assert ("/out/", "/app/") in values(stages["final"], "COPY")
    collected = " ".join(" ".join(v) for v in values(stages["build"], "RUN"))
    assert "alembic.ini" in collected
    (cmd,) = values(stages["final"], "CMD")
    assert "uvicorn" in " ".join(cmd)
    assert "--factory" in " ".join(cmd)


def test_every_workspace_member_is_copied_before_the_frozen_sync(
    stages: dict[str, Stage],
) -> None:
    workspace = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]
    build = stages["build"]
    first_sync = next(
        i for i, c in enumerate(build) if c.cmd == "RUN" and "uv sync" in " ".join(c.value)
    )
    copied_before = {c.value[0] for c in build[:first_sync] if c.cmd == "COPY" and not c.flags}
    for member in workspace["members"]:
        assert f"{member}/pyproject.toml" in copied_before, member


def test_every_app_has_a_current_dockerfile_of_its_own() -> None:
    """`make dockerfiles` writes them from the shared recipe; none may drift from it."""
    assert {image.path for image in IMAGES} == {
        *ROOT.glob("services/*/Dockerfile"),
        ROOT / "gateway" / "Dockerfile",
    } - {ROOT / "services" / "kit" / "Dockerfile"}
    assert stale(RECIPE.read_text()) == []


@pytest.mark.parametrize("image", IMAGES, ids=[image.app.name for image in IMAGES])
def test_an_apps_dockerfile_names_that_app(image: object) -> None:
    from tools.dockerfiles import AppImage

    assert isinstance(image, AppImage)
    args = {
        c.value[0].split("=", 1)[0]: c.value[0].split("=", 1)[1]
        for c in dockerfile.parse_file(str(image.path))
        if c.cmd == "ARG" and "=" in c.value[0]
    }
    assert args["APP_DIR"] == image.app.folder.relative_to(ROOT).as_posix()
    assert (ROOT / args["APP_DIR"] / "pyproject.toml").exists()
    package = ROOT / args["APP_DIR"] / "src" / args["APP_MODULE"] / "main.py"
    assert package.exists(), package
    project = tomllib.loads((ROOT / args["APP_DIR"] / "pyproject.toml").read_text())
    assert project["project"]["name"] == args["APP_DIST"]


def test_a_stale_app_dockerfile_is_reported(tmp_path: Path) -> None:
    """The drift check compares with what the recipe renders now."""
    image = IMAGES[0]
    changed = RECIPE.read_text().replace("--retries=3", "--retries=4")
    assert render(image, changed) != image.path.read_text()
    assert image.path in stale(changed)


def test_build_context_leaves_out_local_state() -> None:
    """The context is the repository root: the throwaway PostgreSQL under var/ and the
    virtualenv must never be sent to the builder."""
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var"} <= ignored
