"""`scaffold export backstage`: a valid Backstage template that mirrors copier.yml, and drift detection."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from scaffold.backstage import is_literal
from scaffold.questions import TemplateSpec, load_spec
from tests.unit.repositories import scaffold

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "backstage-template-v1beta3.json").read_text())


@pytest.fixture(scope="module")
def exported(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("backstage") / "template.yaml"
    result = scaffold("export", "backstage", "--template", str(template), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="module")
def document(exported: Path) -> dict[str, Any]:
    return yaml.safe_load(exported.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def spec(template: Path) -> TemplateSpec:
    return load_spec(template / "copier.yml")


def service_page(document: dict[str, Any]) -> dict[str, Any]:
    return document["spec"]["parameters"][0]["properties"]


def test_the_export_is_a_valid_backstage_template(document: dict[str, Any]) -> None:
    errors = [error.message for error in Draft7Validator(SCHEMA).iter_errors(document)]

    assert errors == []
    for page in document["spec"]["parameters"]:
        Draft7Validator.check_schema({"type": "object", **page})


def test_the_schema_refuses_what_backstage_refuses(document: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(document))
    broken["apiVersion"] = "backstage.io/v1alpha1"
    del broken["spec"]["steps"][0]["action"]

    assert len(list(Draft7Validator(SCHEMA).iter_errors(broken))) == 2


def test_parameters_mirror_the_asked_questions(document: dict[str, Any], spec: TemplateSpec) -> None:
    properties = service_page(document)

    assert list(properties) == [question.name for question in spec.asked]
    for question in spec.asked:
        exported = properties[question.name]
        assert exported["description"].startswith(" ".join(question.help.split()))
        if question.multiselect:
            assert exported["items"]["enum"] == list(question.choices)
            assert exported["default"] == question.default
        elif question.is_choice:
            assert exported["enum"] == list(question.choices)
            assert exported["enumNames"] == [option.label for option in question.options]
            assert exported.get("default") == (question.default if is_literal(question.default) else None)


def test_validator_patterns_are_exported_where_expressible(document: dict[str, Any]) -> None:
    properties = service_page(document)
    slug = re.compile(properties["project_slug"]["pattern"])

    assert slug.search("billing-service")
    assert not slug.search("Bad Slug")
    assert "default" not in properties["project_slug"]
    assert "pattern" not in properties["description"]


def test_the_steps_run_the_template_with_every_answer(
    document: dict[str, Any], spec: TemplateSpec, template: Path
) -> None:
    generate = document["spec"]["steps"][0]

    assert generate["action"] == "scaffold:new"
    assert generate["input"]["source"] == str(template)
    assert generate["input"]["answers"] == {q.name: f"${{{{ parameters.{q.name} }}}}" for q in spec.asked}
    assert [step["action"] for step in document["spec"]["steps"][1:]] == [
        "publish:github",
        "catalog:register",
    ]


def test_a_question_added_to_copier_yml_only_is_drift(exported: Path, template: Path, tmp_path: Path) -> None:
    changed = tmp_path / "template"
    shutil.copytree(template, changed)
    with (changed / "copier.yml").open("a", encoding="utf-8") as config:
        config.write("\nregion:\n  type: str\n  help: Where it runs.\n  default: eu-west-1\n")

    unchanged = scaffold("export", "backstage", "--template", str(template), "--check", str(exported))
    drifted = scaffold("export", "backstage", "--template", str(changed), "--check", str(exported))

    assert unchanged.returncode == 0, unchanged.stdout
    assert drifted.returncode == 1
    assert drifted.stdout == f"{exported}: region: in copier.yml, not in the export\n"


def test_a_parameter_only_in_the_export_is_drift(
    document: dict[str, Any], template: Path, tmp_path: Path
) -> None:
    edited = json.loads(json.dumps(document))
    service_page(edited)["region"] = {"title": "Region", "type": "string"}
    service_page(edited)["database"]["enum"] = ["sqlite"]
    path = tmp_path / "template.yaml"
    path.write_text(yaml.safe_dump(edited), encoding="utf-8")

    result = scaffold("export", "backstage", "--template", str(template), "--check", str(path))

    assert result.returncode == 1
    assert f"{path}: region: in the export, not in copier.yml" in result.stdout.splitlines()
    assert any(line.startswith(f"{path}: database: enum differs") for line in result.stdout.splitlines())
