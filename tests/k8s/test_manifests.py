"""`make k8s`: both overlays render and validate offline, say what production needs, and a
broken manifest fails the validation."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tools import k8s

APPS = ("auth", "registry", "requests", "gateway")
SERVICES = ("auth", "registry", "requests")
Manifest = dict[str, Any]


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[Manifest]]:
    """Each overlay's objects, rendered once for the module."""
    return {name: k8s.render(k8s.OVERLAYS / name) for name in ("dev", "prod")}


def of_kind(objects: list[Manifest], kind: str) -> dict[str, Manifest]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def pod_spec(obj: Manifest) -> Manifest:
    spec: Manifest = obj["spec"]["template"]["spec"]
    return spec


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_overlay_is_valid(overlay: str) -> None:
    report = k8s.check_overlay(k8s.OVERLAYS / overlay, k8s.load_crd_schemas())
    assert report.errors == []
    assert report.checked[f"Kubernetes {k8s.KUBERNETES_VERSION} schemas"] > 30


IMAGES = {"dev": "terbuka/{app}:dev", "prod": "registry.example.go.id/terbuka/{app}:0.1.0"}
MIGRATE = ["python", "-m", "alembic", "-c", "/app/alembic.ini", "upgrade", "head"]


def test_every_app_has_its_objects(rendered: dict[str, list[Manifest]]) -> None:
    for overlay, objects in rendered.items():
        for kind in ("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"):
            assert set(APPS) <= set(of_kind(objects, kind)), kind
        assert set(of_kind(objects, "HorizontalPodAutoscaler")) == set(APPS)
        configs = {name.rsplit("-", 1)[0] for name in of_kind(objects, "ConfigMap")}
        assert {f"{app}-config" for app in APPS} <= configs
        deployments = of_kind(objects, "Deployment")
        for app in APPS:
            (container,) = pod_spec(deployments[app])["containers"]
            assert container["image"] == IMAGES[overlay].format(app=app)
        jobs = of_kind(objects, "Job")
        assert set(jobs) == {f"{svc}-migrate" for svc in SERVICES}
        for svc in SERVICES:
            (container,) = pod_spec(jobs[f"{svc}-migrate"])["containers"]
            assert container["command"] == MIGRATE
            assert container["image"] == IMAGES[overlay].format(app=svc)
        (ingress,) = of_kind(objects, "Ingress").values()
        (path,) = ingress["spec"]["rules"][0]["http"]["paths"]
        assert path["backend"]["service"]["name"] == "gateway"


def test_replicas(rendered: dict[str, list[Manifest]]) -> None:
    for overlay, wanted in (("dev", 1), ("prod", 3)):
        deployments = of_kind(rendered[overlay], "Deployment")
        hpas = of_kind(rendered[overlay], "HorizontalPodAutoscaler")
        for app in APPS:
            assert deployments[app]["spec"]["replicas"] == wanted, (overlay, app)
            assert hpas[app]["spec"]["minReplicas"] == wanted
    for app in APPS:
        assert of_kind(rendered["prod"], "PodDisruptionBudget")[app]["spec"]["minAvailable"] == 1


def test_pods_are_probed_limited_and_unprivileged(rendered: dict[str, list[Manifest]]) -> None:
    for objects in rendered.values():
        workloads = [
            o
            for o in objects
            if o["kind"] in ("Deployment", "Job")
            and o["metadata"].get("labels", {}).get("app.kubernetes.io/part-of") == "terbuka"
        ]
        assert len(workloads) == 7
        for obj in workloads:
            spec = pod_spec(obj)
            assert spec["securityContext"]["runAsNonRoot"] is True
            assert spec["securityContext"]["runAsUser"] != 0
            assert spec["automountServiceAccountToken"] is False
            (container,) = spec["containers"]
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"]
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert "memory" in container["resources"]["limits"]
            assert {m["mountPath"] for m in container["volumeMounts"]} == {"/tmp"}
            if obj["kind"] == "Deployment":
                assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
                assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_secrets_are_referenced_never_committed(rendered: dict[str, list[Manifest]]) -> None:
    for objects in rendered.values():
        assert of_kind(objects, "Secret") == {}
    deployments = of_kind(rendered["prod"], "Deployment")
    for svc in SERVICES:
        (container,) = pod_spec(deployments[svc])["containers"]
        assert {"secretRef": {"name": f"terbuka-{svc}"}} in container["envFrom"]
        (url,) = container["env"]
        assert url["name"] == f"{svc.upper()}_DATABASE_URL"
        assert url["valueFrom"]["secretKeyRef"] == {"name": f"terbuka-{svc}-db-app", "key": "uri"}


FROM_INGRESS = [
    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
]
CALLERS = {
    "auth": {"gateway", "registry", "requests"},
    "registry": {"gateway", "requests"},
    "requests": {"gateway"},
}


def test_network_policies(rendered: dict[str, list[Manifest]]) -> None:
    for objects in rendered.values():
        policies = of_kind(objects, "NetworkPolicy")
        deny = policies["terbuka-default-deny"]["spec"]
        assert deny["podSelector"]["matchLabels"] == {"app.kubernetes.io/part-of": "terbuka"}
        assert deny["policyTypes"] == ["Ingress", "Egress"]
        assert "ingress" not in deny
        assert "egress" not in deny
        # Only the gateway is reached from outside the namespace, and only by the ingress.
        for name, policy in policies.items():
            peers = [p for rule in policy["spec"].get("ingress", []) for p in rule["from"]]
            outside = [p for p in peers if "namespaceSelector" in p or "ipBlock" in p]
            assert outside == (FROM_INGRESS if name == "gateway" else []), name
        # The services are called by the gateway and by each other only as documented.
        for svc, callers in CALLERS.items():
            (rule,) = policies[svc]["spec"]["ingress"]
            (peer,) = rule["from"]
            (expression,) = peer["podSelector"]["matchExpressions"]
            assert expression["key"] == "app.kubernetes.io/name"
            assert set(expression["values"]) == callers
        # Each service reaches its own database and no other.
        for svc in SERVICES:
            egress = policies[svc]["spec"]["egress"]
            labels = {
                key
                for rule in egress
                for peer in rule["to"]
                for key in peer.get("podSelector", {}).get("matchLabels", {})
                if key.startswith("terbuka.io/database-")
            }
            assert labels == {f"terbuka.io/database-{svc}"}


def test_dev_stores_carry_the_labels_the_policies_select(
    rendered: dict[str, list[Manifest]],
) -> None:
    dev = rendered["dev"]
    postgres = of_kind(dev, "StatefulSet")["postgres"]["spec"]["template"]["metadata"]
    for svc in SERVICES:
        assert postgres["labels"][f"terbuka.io/database-{svc}"] == "true"
    minio = of_kind(dev, "Deployment")["minio"]["spec"]["template"]["metadata"]
    assert minio["labels"]["terbuka.io/object-store"] == "true"
    configs = {name.rsplit("-", 1)[0]: c["data"] for name, c in of_kind(dev, "ConfigMap").items()}
    assert configs["registry-config"]["REGISTRY_S3_ENDPOINT"] == "http://minio:9000"
    assert configs["requests-config"]["REQUESTS_S3_ENDPOINT"] == "http://minio:9000"


def test_prod_databases_and_object_store(rendered: dict[str, list[Manifest]]) -> None:
    prod = rendered["prod"]
    clusters = of_kind(prod, "Cluster")
    assert set(clusters) == {f"terbuka-{svc}-db" for svc in SERVICES}
    for svc in SERVICES:
        spec = clusters[f"terbuka-{svc}-db"]["spec"]
        assert spec["instances"] >= 3
        assert spec["inheritedMetadata"]["labels"] == {f"terbuka.io/database-{svc}": "true"}
        assert spec["backup"]["barmanObjectStore"]["destinationPath"].startswith("s3://")
    assert set(of_kind(prod, "ScheduledBackup")) == {
        f"terbuka-{svc}-db-nightly" for svc in SERVICES
    }
    (tenant,) = of_kind(prod, "Tenant").values()
    (pool,) = tenant["spec"]["pools"]
    assert pool["labels"] == {"terbuka.io/object-store": "true"}


def broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of deploy/k8s with one change; returns the copy's root."""
    root = tmp_path / "k8s"
    shutil.copytree(k8s.OVERLAYS.parent, root)
    target = root / file
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    return root


@pytest.mark.parametrize(
    ("overlay", "file", "old", "new", "expected"),
    [
        pytest.param(
            "dev",
            "base/auth/deployment.yaml",
            "replicas: 2",
            'replicas: "two"',
            "Deployment/auth: spec.replicas:",
            id="replicas-not-a-number",
        ),
        pytest.param(
            "prod",
            "base/gateway/deployment.yaml",
            "          image: terbuka/gateway\n",
            "",
            "Deployment/gateway: spec.template.spec.containers.0: no image",
            id="no-image",
        ),
        pytest.param(
            "prod",
            "base/registry/service.yaml",
            "  type: ClusterIP",
            "  type: ClusterIP\n  typo: true",
            "'typo' was unexpected",
            id="unknown-field",
        ),
        pytest.param(
            "prod",
            "overlays/prod/postgres.yaml",
            "instances: 3",
            "instances: three",
            "Cluster/terbuka-auth-db: spec.instances:",
            id="crd-field-wrong-type",
        ),
        pytest.param(
            "dev",
            "overlays/dev/minio.yaml",
            "apiVersion: v1\nkind: Service",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n"
            "  password: hunter2\n---\napiVersion: v1\nkind: Service",
            "Secret/leaked: a Secret with values",
            id="committed-secret",
        ),
        pytest.param(
            "dev",
            "overlays/dev/kustomization.yaml",
            "  - minio.yaml",
            "  - minio.yaml\n  - missing.yaml",
            "render:",
            id="unrenderable",
        ),
    ],
)
def test_broken_manifest_fails(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    overlay: str,
    file: str,
    old: str,
    new: str,
    expected: str,
) -> None:
    root = broken_copy(tmp_path, file, old, new)
    assert k8s.main([str(root / "overlays" / overlay)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out
    assert expected in out
