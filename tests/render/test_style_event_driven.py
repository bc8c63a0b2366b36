"""The event-driven style (and the outbox it shares with microservice): what it renders, and that
its architecture rules are enforced by the generated service's own import-linter contracts.

The generated tests (run by the live tier) exercise the broker; these checks need no install.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.render import checks
from tests.rendering import BIN, render

BROKERS = ["rabbitmq", "nats", "redis"]
EXTRAS = {"rabbitmq": "rabbit", "nats": "nats", "redis": "redis"}
PACKAGE = Path("src") / "my_service"
MESSAGING_CONTRACT = "Domain and application use no messaging library: events leave through the outbox port"
LAYERS_CONTRACT = (
    "Layers depend inward: the composition on api and infrastructure, those on application, "
    "application on domain"
)


def _pyproject(service: Path) -> dict[str, Any]:
    return tomllib.loads((service / "pyproject.toml").read_text(encoding="utf-8"))


def _contracts(service: Path) -> dict[str, dict[str, Any]]:
    return {
        contract["name"]: contract for contract in _pyproject(service)["tool"]["importlinter"]["contracts"]
    }


def _lint_imports(service: Path) -> str:
    result = checks.run_unchecked(
        str(BIN / "lint-imports"), "--no-cache", cwd=service, PYTHONPATH=str(service / "src")
    )
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def event_driven(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("event-driven") / "service"
    return render(template, destination, {"architecture": "event_driven", "broker": "rabbitmq"})


@pytest.mark.parametrize("broker", BROKERS)
def test_each_broker_renders_a_clean_event_driven_service(
    template: Path, tmp_path: Path, broker: str
) -> None:
    service = render(template, tmp_path / "service", {"architecture": "event_driven", "broker": broker})

    assert checks.leftover_template_syntax(service) == []
    checks.check_python(service)
    checks.check_data_files(service)
    checks.check_import_contracts(service)
    checks.check_delivery_files(service)
    dependencies = _pyproject(service)["project"]["dependencies"]
    assert any(dependency.startswith(f"faststream[{EXTRAS[broker]}]") for dependency in dependencies)
    assert any(dependency.startswith("tenacity") for dependency in dependencies)
    for relative in (
        "worker.py",
        "consumers/item_activity.py",
        "domain/item_events.py",
        "infrastructure/messaging/relay.py",
        "infrastructure/messaging/retries.py",
        "application/record_item_activity.py",
    ):
        assert (service / PACKAGE / relative).is_file(), relative
    assert (service / "migrations" / "versions" / "0003_create_messaging_tables.py").is_file()
    assert (service / "tests" / "messaging" / "test_consumers.py").is_file()
    compose = (service / "compose.yaml").read_text(encoding="utf-8")
    assert "worker:" in compose
    assert "BROKER_URL" in (service / ".env.example").read_text(encoding="utf-8")


def test_a_microservice_gets_the_outbox_and_relay_but_no_consumers(template: Path, tmp_path: Path) -> None:
    service = render(template, tmp_path / "service", {"architecture": "microservice", "broker": "nats"})

    assert checks.leftover_template_syntax(service) == []
    checks.check_python(service)
    checks.check_import_contracts(service)
    assert (service / PACKAGE / "infrastructure" / "messaging" / "relay.py").is_file()
    assert (service / PACKAGE / "worker.py").is_file()
    assert not (service / PACKAGE / "consumers").exists()
    assert not (service / PACKAGE / "infrastructure" / "messaging" / "retries.py").exists()
    assert not (service / "tests" / "messaging" / "test_consumers.py").exists()
    assert MESSAGING_CONTRACT in _contracts(service)


def test_a_monolith_has_no_messaging(template: Path, tmp_path: Path) -> None:
    service = render(template, tmp_path / "service", {})

    assert not (service / PACKAGE / "worker.py").exists()
    assert not (service / PACKAGE / "infrastructure" / "messaging").exists()
    assert not (service / "tests" / "messaging").exists()
    assert MESSAGING_CONTRACT not in _contracts(service)
    assert "faststream" not in (service / "pyproject.toml").read_text(encoding="utf-8")


def test_the_contracts_keep_messaging_out_of_the_inner_layers(event_driven: Path) -> None:
    contracts = _contracts(event_driven)

    assert set(contracts[MESSAGING_CONTRACT]["forbidden_modules"]) == {"faststream", "tenacity"}
    assert contracts[MESSAGING_CONTRACT]["source_modules"] == ["my_service.domain", "my_service.application"]
    layers = contracts[LAYERS_CONTRACT]["layers"]
    assert layers[0] == "my_service.worker"
    assert "my_service.api | my_service.consumers | my_service.infrastructure" in layers


@pytest.mark.parametrize(
    ("module", "source", "violation"),
    [
        pytest.param(
            "domain/shortcut.py",
            "import faststream\n",
            "my_service.domain is not allowed to import faststream",
            id="domain-imports-faststream",
        ),
        pytest.param(
            "application/shortcut.py",
            "from my_service.infrastructure.messaging import broker\n",
            "my_service.application is not allowed to import my_service.infrastructure",
            id="application-imports-the-broker-adapter",
        ),
        pytest.param(
            "consumers/shortcut.py",
            "from my_service.infrastructure.persistence import unit_of_work\n",
            "my_service.consumers is not allowed to import my_service.infrastructure",
            id="consumer-bypasses-the-use-cases",
        ),
    ],
)
def test_breaking_the_style_rule_fails_the_generated_contracts(
    event_driven: Path, tmp_path: Path, module: str, source: str, violation: str
) -> None:
    assert "0 broken" in _lint_imports(event_driven)
    copy = tmp_path / "copy"
    checks.run("cp", "-R", str(event_driven), str(copy), cwd=tmp_path)
    (copy / PACKAGE / module).write_text(source, encoding="utf-8")

    output = _lint_imports(copy)

    assert "0 broken" not in output, output
    assert violation in output, output
