"""`make openapi`: write each service's OpenAPI document and the gateway's merged one.

`--check` only reports which files differ (the drift test runs it in a process of
its own, so what tests register cannot leak in). The apps are built with
placeholder settings (nothing connects until their lifespan starts), so no server
or database is needed.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tools.services import ROOT, SERVICES, App

OUT = ROOT / "openapi"
PLACEHOLDER_DB = "postgresql+asyncpg://spec@127.0.0.1:9/spec"


def service_spec(app: App) -> dict[str, Any]:
    module_name, factory_name = app.factory.split(":")
    module = importlib.import_module(module_name)
    settings_module = importlib.import_module(module_name.rsplit(".", 1)[0] + ".settings")
    settings_cls = next(
        obj
        for name, obj in vars(settings_module).items()
        if name.endswith("Settings") and getattr(obj, "__module__", "") == settings_module.__name__
    )
    settings = settings_cls(database_url=PLACEHOLDER_DB)
    spec: dict[str, Any] = getattr(module, factory_name)(settings).openapi()
    return spec


def merged_spec(specs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from gateway.openapi_merge import merge_openapi
    from gateway.routes import ROUTES

    return merge_openapi(specs, ROUTES)


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def isolated_spec(app: App) -> dict[str, Any]:
    """The app's spec built in a process of its own, so it lists only its own problem kinds."""
    done = subprocess.run(
        [sys.executable, "-m", "tools.openapi", "--service", app.name],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    spec: dict[str, Any] = json.loads(done.stdout)
    return spec


def documents() -> dict[Path, str]:
    """Every committed spec file and the text it must hold."""
    specs = {app.name: isolated_spec(app) for app in SERVICES}
    files = {OUT / f"{name}.json": render(spec) for name, spec in specs.items()}
    files[OUT / "openapi.json"] = render(merged_spec(specs))
    return files


def main() -> int:
    if sys.argv[1:2] == ["--service"]:
        app = next(app for app in SERVICES if app.name == sys.argv[2])
        print(json.dumps(service_spec(app)))
        return 0
    if sys.argv[1:2] == ["--check"]:
        drifted = [
            p.name for p, text in documents().items() if not p.exists() or p.read_text() != text
        ]
        for name in drifted:
            print(f"openapi/{name} is out of date: run `make openapi` and commit")
        return 1 if drifted else 0
    OUT.mkdir(exist_ok=True)
    for path, text in documents().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
