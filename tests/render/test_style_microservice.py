"""The microservice style: what it adds to the generated tree, its Kubernetes manifests against the
Kubernetes schemas (offline, strict: an unknown field fails), and its architectural rule enforced by
the generated import-linter contracts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.render import checks
from tests.rendering import render

KUBERNETES_VERSION = "1.33"
MANIFESTS = Path("deploy/kubernetes")
KINDS = {"ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"}
SAMPLES = [
    pytest.param({"framework": "fastapi", "database": "postgresql"}, id="fastapi-postgresql"),
    pytest.param(
        {"framework": "litestar", "database": "mysql", "auth": "none", "observability": []},
        id="litestar-mysql-no-auth",
    ),
    pytest.param(
        {"framework": "django", "database": "postgresql", "auth": "jwt", "cache": "redis"},
        id="django-jwt-redis",
    ),
]


def _microservice(template: Path, destination: Path, answers: dict[str, Any]) -> Path:
    return render(template, destination, {"architecture": "microservice", **answers})


def _resources(service: Path) -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((service / MANIFESTS / "kustomization.yaml").read_text(encoding="utf-8"))
    return [
        document
        for name in kustomization["resources"]
        for document in yaml.safe_load_all((service / MANIFESTS / name).read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("answers", SAMPLES)
def test_a_microservice_renders_clean_with_manifests_that_match_the_kubernetes_schemas(
    template: Path, tmp_path: Path, answers: dict[str, Any]
) -> None:
    service = _microservice(template, tmp_path / "service", answers)
    assert checks.leftover_template_syntax(service) == []
    checks.check_python(service)
    checks.check_data_files(service)
    checks.check_import_contracts(service)
    checks.check_delivery_files(service)
    resources = _resources(service)

    assert {resource["kind"] for resource in resources} == KINDS
    for resource in resources:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
    listed = set(yaml.safe_load((service / MANIFESTS / "kustomization.yaml").read_text())["resources"])
    assert listed == {path.name for path in (service / MANIFESTS).glob("*.yaml")} - {"kustomization.yaml"}


def test_the_deployment_probes_limits_and_owns_its_database(template: Path, tmp_path: Path) -> None:
    service = _microservice(template, tmp_path / "service", {"database": "postgresql"})
    by_kind = {resource["kind"]: resource for resource in _resources(service)}
    pod = by_kind["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]

    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert {"secretRef": {"name": "my-service-secrets"}} in container["envFrom"]
    assert "DATABASE_URL" not in by_kind["ConfigMap"]["data"], "the database URL is a secret"
    assert "replicas" not in by_kind["Deployment"]["spec"], "the autoscaler owns the replica count"
    assert by_kind["HorizontalPodAutoscaler"]["spec"]["minReplicas"] >= 2
    assert by_kind["PodDisruptionBudget"]["spec"]["minAvailable"] == 1


def test_a_misspelled_manifest_field_is_caught(template: Path, tmp_path: Path) -> None:
    service = _microservice(template, tmp_path / "service", {"database": "postgresql"})
    deployment = next(resource for resource in _resources(service) if resource["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_only_the_microservice_style_gets_its_files(template: Path, tmp_path: Path) -> None:
    monolith = render(template, tmp_path / "monolith", {})
    microservice = _microservice(template, tmp_path / "microservice", {"database": "postgresql"})
    package = Path("src/my_service")
    own = [
        MANIFESTS / "deployment.yaml",
        package / "application/downstream.py",
        package / "application/idempotency.py",
        package / "infrastructure/downstream/http_downstream_service.py",
        package / "infrastructure/persistence/idempotency_store.py",
        package / "api/middleware/idempotency.py",
        Path("migrations/versions/0004_create_idempotency_keys.py"),
    ]

    assert [path for path in own if not (microservice / path).is_file()] == []
    assert [path for path in own if (monolith / path).exists()] == []
    assert "purgatory" not in (monolith / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("layer", "shortcut"),
    [
        ("application", "import httpx\n"),
        ("domain", "from tenacity import retry\n"),
        ("application", "from my_service.infrastructure.downstream import client_credentials\n"),
    ],
)
def test_an_inner_layer_calling_http_directly_breaks_the_generated_contracts(
    template: Path, tmp_path: Path, layer: str, shortcut: str
) -> None:
    service = _microservice(template, tmp_path / "service", {"database": "postgresql"})
    checks.check_import_contracts(service)
    (service / "src" / "my_service" / layer / "shortcut.py").write_text(shortcut, encoding="utf-8")

    result = checks.run_unchecked(
        str(checks.BIN / "lint-imports"), "--no-cache", cwd=service, PYTHONPATH=str(service / "src")
    )

    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "my_service." + layer + ".shortcut" in result.stdout
