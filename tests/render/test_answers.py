"""Bad answers are refused before anything is written; derived answers follow the name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.render import checks
from tests.rendering import copier_cli, render


@pytest.mark.parametrize(
    ("answers", "allowed"),
    [
        (["project_name="], "Start with a letter"),
        (["project_name=9 Lives"], "Start with a letter"),
        (["project_name=Class"], "Python keyword"),
        (["project_name=An Extremely Long Service Name"], "longer than 24 characters"),
        (["project_slug=my service"], "lower-case letters, digits and single dashes"),
        (["project_slug=My-Service"], "lower-case letters, digits and single dashes"),
        (["package_name=class"], "Python keyword"),
        (["package_name=json"], "standard-library module"),
        (["package_name=fastapi"], "dependency of the service"),
        (["package_name=my-service"], "lower-case Python identifier"),
        (["package_name=" + "x" * 25], "2 to 24"),
        (["owner=Team Payments"], "group name"),
        (["description="], "one line"),
        (["resource=Widgets!"], "snake_case"),
        (["resource=class"], "a Python name"),
        (["resource=settings"], "already uses"),
        (["resource=widget", "resource_plural=widget"], "must differ"),
        (["database=oracle"], "Invalid choice"),
        (["error_format=xml"], "Invalid choice"),
        (["observability=[logs]"], "Invalid choice"),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_is_written(
    template: Path, tmp_path: Path, answers: list[str], allowed: str
) -> None:
    destination = tmp_path / "service"
    data = [argument for answer in answers for argument in ("-d", answer)]

    result = copier_cli("copy", "--trust", "--defaults", *data, str(template), str(destination))

    assert result.returncode != 0
    assert allowed in result.stderr
    assert not destination.exists()


def test_a_refused_answer_leaves_an_existing_destination_untouched(template: Path, tmp_path: Path) -> None:
    destination = tmp_path / "service"
    destination.mkdir()
    (destination / "notes.txt").write_text("ours\n")

    result = copier_cli(
        "copy", "--trust", "--defaults", "-d", "package_name=class", str(template), str(destination)
    )

    assert result.returncode != 0
    assert [path.name for path in destination.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, {"project_slug": "my-service", "package_name": "my_service", "resource_plural": "items"}),
        (
            {"project_name": "Billing Service 2", "resource": "category"},
            {
                "project_slug": "billing-service-2",
                "package_name": "billing_service_2",
                "resource_plural": "categories",
            },
        ),
        ({"resource": "box"}, {"resource_plural": "boxes"}),
        ({"resource": "survey"}, {"resource_plural": "surveys"}),
        ({"resource": "order_line"}, {"resource_plural": "order_lines"}),
    ],
)
def test_derived_answers_follow_the_name(
    template: Path, tmp_path: Path, answers: dict[str, str], expected: dict[str, str]
) -> None:
    service = render(template, tmp_path / "service", answers)

    recorded = yaml.safe_load((service / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in expected} == expected
    assert (service / "src" / recorded["package_name"] / "main.py").exists()


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param({"project_name": "Ab", "resource": "ax"}, id="shortest-names"),
        pytest.param(
            {
                "project_name": "Zz Customer Identity Svc",
                "resource": "zone_capacity_ty",
                "resource_plural": "zone_capacity_values",
                "database": "postgresql",
            },
            id="longest-names",
        ),
        pytest.param({"resource": "order_line", "error_format": "problem_details"}, id="two-word-resource"),
    ],
)
def test_extreme_names_still_render_clean(template: Path, tmp_path: Path, answers: dict[str, str]) -> None:
    """Names sort before and after every fixed module name, and fill lines to the limit."""
    service = render(template, tmp_path / "service", answers)

    assert checks.leftover_template_syntax(service) == []
    checks.check_python(service)
    checks.check_import_contracts(service)


def test_copy_makes_the_service_a_git_repository(template: Path, tmp_path: Path) -> None:
    result = copier_cli("copy", "--trust", "--defaults", str(template), str(tmp_path / "service"))

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "service" / ".git").is_dir()


def test_copy_inside_an_existing_repository_does_not_nest_one(template: Path, tmp_path: Path) -> None:
    checks.run("git", "init", "--quiet", cwd=tmp_path)

    result = copier_cli("copy", "--trust", "--defaults", str(template), str(tmp_path / "service"))

    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "service" / ".git").exists()
