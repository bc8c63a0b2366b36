"""The modular-monolith style: a module per bounded context, each in its own four layers, and the
generated contracts that keep modules out of one another's internals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaffold.answers import Questionnaire
from scaffold.errors import InvalidAnswer
from scaffold.questions import load_spec
from tests.render import checks
from tests.rendering import render

MODULAR = {"architecture": "modular_monolith", "framework": "fastapi", "database": "postgresql"}
PACKAGE = Path("src/my_service")
LAYERS = ("domain", "application", "infrastructure", "api")
INDEPENDENCE = (
    "Modules are independent: one uses another only through its public interface, application/use_cases.py"
)
LAYERED = (
    "Inside every module, layers depend inward: api and infrastructure on application, application on domain"
)


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"modules": ["note", "item"]}, 'Start the list with the example resource "item"'),
        ({"modules": ["item"]}, "2 to 6 modules"),
        ({"modules": ["item", "note", "note"]}, "a name of its own"),
        ({"modules": ["item", "Order"]}, "singular snake_case names"),
        ({"modules": ["item", "user"]}, '"user" is a Python name or a name the generated code'),
        ({"modules": ["item", "check_readiness"]}, '"check_readiness" is a Python name'),
        ({"modules": ["item", "note"], "module_plurals": ["items", "items"]}, "a plural of its own"),
        ({"framework": "django"}, "generated with FastAPI and Litestar so far"),
        ({"framework": "flask"}, "generated with FastAPI and Litestar so far"),
    ],
)
def test_bad_modules_are_refused_with_a_reason(answers: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidAnswer, match=reason):
        Questionnaire(load_spec(), data={**MODULAR, **answers}).run()


def test_the_default_is_two_modules_the_example_resource_first() -> None:
    answers = Questionnaire(load_spec(), data={"architecture": "modular_monolith"}).run()

    assert answers["modules"].value == ["item", "note"]
    assert answers["module_plurals"].value == ["items", "notes"]


@pytest.fixture(scope="module")
def service(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    answers = {**MODULAR, "modules": ["item", "category", "invoice"]}
    return render(template, tmp_path_factory.mktemp("modular") / "service", answers)


def test_it_renders_clean_and_its_contracts_hold(service: Path) -> None:
    assert checks.leftover_template_syntax(service) == []
    checks.check_python(service)
    checks.check_import_contracts(service)


def test_every_module_has_its_four_layers_table_migration_and_tests(service: Path) -> None:
    modules = PACKAGE / "modules"
    expected = [
        *(modules / plural / layer for plural in ("items", "categories", "invoices") for layer in LAYERS),
        modules / "categories/domain/category.py",
        modules / "categories/infrastructure/persistence/tables.py",
        modules / "categories/api/routes/categories.py",
        Path("tests/unit/test_category_use_cases.py"),
        Path("tests/api/test_categories.py"),
        Path("tests/category_fakes.py"),
    ]

    assert [path for path in expected if not (service / path).exists()] == []
    assert not (service / PACKAGE / "domain" / "item.py").exists()
    assert "categories_table" in (service / modules / "schema.py").read_text(encoding="utf-8")


def test_the_migrations_form_one_chain_after_the_hosts(service: Path) -> None:
    versions = service / "migrations" / "versions"
    revisions = {
        path.name: (path.read_text(encoding="utf-8").split("down_revision: str | None = ")[1].split("\n")[0])
        for path in versions.glob("*.py")
    }

    assert revisions == {
        "0001_create_items.py": "None",
        "0002_create_auth_tables.py": '"0001"',
        "0011_create_categories.py": '"0002"',
        "0012_create_invoices.py": '"0011"',
    }


def test_a_monolith_has_no_modules(template: Path, tmp_path: Path) -> None:
    monolith = render(template, tmp_path / "monolith", {})

    assert not (monolith / PACKAGE / "modules").exists()
    assert (monolith / PACKAGE / "domain" / "item.py").is_file()


def _contracts_after(service: Path, module: str, shortcut: str) -> str:
    """lint-imports' report once `shortcut` is the source of a new file in `module`."""
    (service / PACKAGE / "modules" / module / "shortcut.py").write_text(shortcut, encoding="utf-8")
    try:
        result = checks.run_unchecked(
            str(checks.BIN / "lint-imports"), "--no-cache", cwd=service, PYTHONPATH=str(service / "src")
        )
    finally:
        (service / PACKAGE / "modules" / module / "shortcut.py").unlink()
    return result.stdout


@pytest.mark.parametrize(
    ("module", "shortcut", "broken"),
    [
        ("invoices/application", "from my_service.modules.items.domain import item\n", INDEPENDENCE),
        (
            "invoices/api",
            "from my_service.modules.categories.infrastructure.persistence import tables\n",
            INDEPENDENCE,
        ),
        ("categories/application", "from my_service.modules.items.application import ports\n", INDEPENDENCE),
        ("items/domain", "from my_service.modules.items.infrastructure.persistence import tables\n", LAYERED),
        ("items/application", "from my_service.modules.items.api.routes import items\n", LAYERED),
    ],
)
def test_reaching_into_another_module_or_an_outer_layer_breaks_the_contracts(
    service: Path, module: str, shortcut: str, broken: str
) -> None:
    report = " ".join(_contracts_after(service, module, shortcut).split())

    assert f"{broken} BROKEN" in report
    assert f"my_service.modules.{module.replace('/', '.')}.shortcut" in report


def test_a_module_may_use_anothers_public_interface(service: Path) -> None:
    report = _contracts_after(
        service,
        "invoices/application",
        "from my_service.modules.items.application.use_cases import UseCases\n",
    )

    assert "0 broken" in report
