"""`make dockerfiles`: each app's own Dockerfile, written from the one shared recipe.

`deploy/docker/Dockerfile` is the recipe, edited by hand; it takes the app as build
arguments. Each app gets a Dockerfile of its own in its folder (`services/auth/Dockerfile`,
…, `gateway/Dockerfile`) with those arguments filled in, so `docker build -f
services/auth/Dockerfile .` needs no `--build-arg`. They are generated, never edited: a test
fails when one differs from what this writes.

    python -m tools.dockerfiles           # write them
    python -m tools.dockerfiles --check   # exit 1 when one is missing or stale
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.services import GATEWAY, SERVICES, App

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "deploy" / "docker" / "Dockerfile"
_HEADER_END = "\nARG PYTHON_IMAGE"


@dataclass(frozen=True)
class AppImage:
    app: App

    @property
    def folder(self) -> str:
        return self.app.folder.relative_to(ROOT).as_posix()

    @property
    def module(self) -> str:
        return self.app.factory.split(".", 1)[0]

    @property
    def distribution(self) -> str:
        return self.module.replace("_", "-")

    @property
    def path(self) -> Path:
        return self.app.folder / "Dockerfile"

    @property
    def build_args(self) -> dict[str, str]:
        return {"APP_DIR": self.folder, "APP_DIST": self.distribution, "APP_MODULE": self.module}


IMAGES = tuple(AppImage(app) for app in (*SERVICES, GATEWAY))


def render(image: AppImage, recipe: str) -> str:
    """The recipe with the app's build arguments as defaults and a header saying whence."""
    body = recipe[recipe.index(_HEADER_END) + 1 :]
    for name, value in image.build_args.items():
        body, count = re.subn(rf"^ARG {name}$", f"ARG {name}={value}", body, flags=re.MULTILINE)
        if count == 0:
            raise ValueError(f"the recipe declares no `ARG {name}`")
    header = (
        "# syntax=docker/dockerfile:1\n"
        f"# The {image.app.name} image. GENERATED from deploy/docker/Dockerfile by\n"
        "# `make dockerfiles`: edit that recipe, not this file. Build from the repository root:\n"
        f"#   docker build -f {image.folder}/Dockerfile -t terbuka/{image.app.name} .\n"
    )
    return header + body


def stale(recipe: str) -> list[Path]:
    return [
        image.path
        for image in IMAGES
        if not image.path.exists() or image.path.read_text() != render(image, recipe)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    recipe = RECIPE.read_text()
    if args.check:
        outdated = stale(recipe)
        for path in outdated:
            print(f"stale: {path.relative_to(ROOT)} (run `make dockerfiles`)", file=sys.stderr)
        return 1 if outdated else 0
    for image in IMAGES:
        image.path.write_text(render(image, recipe))
        print(f"wrote {image.path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
