"""The serverless style: what it refuses, what it renders, and that its rules are enforced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaffold.answers import Questionnaire
from scaffold.errors import InvalidAnswer
from scaffold.questions import load_spec
from tests.render import checks
from tests.rendering import BIN, render

SERVERLESS = {"architecture": "serverless", "framework": "fastapi", "database": "postgresql"}
# Every parameter and condition of template.yaml, across the answers that shape it.
SAM_VARIANTS: list[dict[str, Any]] = [
    {**SERVERLESS},
    {
        **SERVERLESS,
        "framework": "litestar",
        "database": "mysql",
        "auth": "oauth2",
        "cache": "redis",
        "rate_limiting": True,
    },
    {**SERVERLESS, "framework": "django", "auth": "api_key", "observability": []},
    {**SERVERLESS, "framework": "flask", "auth": "none", "observability": ["metrics"], "cache": "redis"},
]


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"database": "sqlite"}, "SQLite would lose data"),
        ({"rate_limiting": True}, "each Lambda instance would keep its own count"),
    ],
)
def test_what_cannot_work_serverless_is_refused_with_a_reason(answers: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidAnswer, match=reason):
        Questionnaire(load_spec(), data={"architecture": "serverless", **answers}).run()


def test_serverless_defaults_to_postgresql() -> None:
    answers = Questionnaire(load_spec(), data={"architecture": "serverless"}).run()

    assert answers["database"].value == "postgresql"


@pytest.fixture(scope="module")
def service(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(template, tmp_path_factory.mktemp("serverless") / "service", SERVERLESS)


def test_the_function_has_an_entry_point_a_sam_template_and_a_sample_event(service: Path) -> None:
    handler = (service / "src" / "my_service" / "lambda_handler.py").read_text(encoding="utf-8")
    template = (service / "template.yaml").read_text(encoding="utf-8")

    assert "handler = create_handler()" in handler
    assert "Handler: my_service.lambda_handler.handler" in template
    assert "Transform: AWS::Serverless-2016-10-31" in template
    assert (service / "events" / "get-health-live.json").is_file()
    assert "cfn-lint template.yaml" in (service / "Makefile").read_text(encoding="utf-8")


def test_the_engine_keeps_no_pool_and_no_pool_setting_is_left(service: Path) -> None:
    engine = (service / "src/my_service/infrastructure/persistence/engine.py").read_text(encoding="utf-8")
    sources = [path.read_text(encoding="utf-8") for path in checks.files(service)]

    assert "poolclass=NullPool" in engine
    assert not [text for text in sources if "pool_size" in text or "POOL_SIZE" in text]


def test_a_monolith_has_no_function(template: Path, tmp_path: Path) -> None:
    service = render(template, tmp_path / "service", {"database": "postgresql"})

    assert not (service / "template.yaml").exists()
    assert not (service / "src" / "my_service" / "lambda_handler.py").exists()
    assert "mangum" not in (service / "pyproject.toml").read_text(encoding="utf-8")


def test_every_variant_renders_clean_and_its_sam_template_passes_cfn_lint(
    template: Path, tmp_path: Path
) -> None:
    rendered = [
        render(template, tmp_path / str(number), answers) for number, answers in enumerate(SAM_VARIANTS)
    ]

    for service in rendered:
        assert checks.leftover_template_syntax(service) == []
        checks.check_python(service)
        checks.check_data_files(service)
        checks.check_import_contracts(service)
        checks.check_delivery_files(service)
    checks.run(str(BIN / "cfn-lint"), *(str(service / "template.yaml") for service in rendered), cwd=tmp_path)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("domain/shortcut.py", "import mangum\n"),
        ("api/shortcut.py", "from mangum import Mangum\n"),
        ("infrastructure/shortcut.py", "from my_service import lambda_handler\n"),
    ],
)
def test_a_layer_that_knows_about_lambda_breaks_the_contracts(
    service: Path, tmp_path: Path, module: str, source: str
) -> None:
    broken = tmp_path / "broken"
    checks.run("cp", "-r", str(service), str(broken), cwd=tmp_path)
    (broken / "src" / "my_service" / module).write_text(source, encoding="utf-8")

    result = checks.run_unchecked(
        str(BIN / "lint-imports"), "--no-cache", cwd=broken, PYTHONPATH=str(broken / "src")
    )

    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout
    assert "0 broken" not in result.stdout
