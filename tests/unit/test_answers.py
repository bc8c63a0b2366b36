"""scaffold.answers gives copier's verdicts and defaults, and applies a preset's rules on top."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml

from scaffold.answers import Constraints, Questionnaire, plain_answers
from scaffold.errors import InvalidAnswer
from scaffold.questions import TemplateSpec, load_spec

COPIER_VERDICT = re.compile(r"Validation error for question '\w+': (.*)|Invalid choice for '\w+': (.*)", re.S)
REFUSED = [
    {"project_name": "1 Service"},
    {"project_name": "Import"},
    {"project_name": "An Extremely Long Service Name For Payments"},
    {"project_slug": "Bad Slug"},
    {"package_name": "json"},
    {"description": "two\nlines"},
    {"owner": "Team Payments"},
    {"resource": "id"},
    {"resource": "invoice", "resource_plural": "invoice"},
    {"database": "oracle"},
]
ACCEPTED = [
    {"project_name": "Billing Service"},
    {"project_name": "Import", "package_name": "import_service"},
    {"resource": "order_line"},
]


@pytest.fixture(scope="module")
def spec(template: Path) -> TemplateSpec:
    return load_spec(template / "copier.yml")


def copier_verdict(template: Path, destination: Path, data: dict[str, Any]) -> str:
    """What copier itself says about these answers with --defaults: its message, or "" when it accepts."""
    try:
        copier.run_copy(
            str(template), str(destination), data=data, defaults=True, pretend=True, quiet=True, unsafe=True
        )
    except ValueError as error:
        match = COPIER_VERDICT.search(str(error))
        return (match.group(1) or match.group(2)).strip() if match else str(error)
    return ""


@pytest.mark.parametrize("data", REFUSED + ACCEPTED, ids=lambda data: "-".join(map(str, data.values())))
def test_verdicts_are_copiers(
    template: Path, tmp_path: Path, spec: TemplateSpec, data: dict[str, Any]
) -> None:
    expected = copier_verdict(template, tmp_path / "out", data)

    try:
        Questionnaire(spec, data=data, defaults=True).run()
        ours = ""
    except InvalidAnswer as error:
        ours = str(error)

    assert bool(ours) == bool(expected), (ours, expected)
    if data.get("database") == "oracle":
        assert "sqlite" in ours
    elif expected:
        assert expected.split("(got")[0].strip() in ours


def test_defaults_are_the_answers_copier_records(template: Path, tmp_path: Path, spec: TemplateSpec) -> None:
    copier.run_copy(str(template), str(tmp_path), defaults=True, quiet=True, unsafe=True, skip_tasks=True)
    recorded = yaml.safe_load((tmp_path / ".copier-answers.yml").read_text(encoding="utf-8"))

    assert plain_answers(Questionnaire(spec).run()) == {
        name: value for name, value in recorded.items() if not name.startswith("_")
    }


def test_a_preset_narrows_the_choices_and_says_why(spec: TemplateSpec) -> None:
    constraints = Constraints(
        allowed={"database": ("postgresql",), "ci": ("gitlab", "none")}, origin="preset 'x'"
    )
    questionnaire = Questionnaire(spec, constraints=constraints)

    answers = questionnaire.run()
    prompt = questionnaire.prompt(spec.get("ci"), questionnaire.context())  # type: ignore[arg-type]

    assert answers["database"].value == "postgresql"
    assert answers["database"].source == "the only value preset 'x' allows"
    assert answers["ci"].value == "gitlab"
    assert {choice.value: choice.disabled for choice in prompt.choices} == {
        "github": "not allowed by preset 'x'",
        "gitlab": "",
        "none": "",
    }
    assert "not allowed by preset 'x'" in prompt.verdict("github")


def test_locked_answers_win_and_cannot_be_changed(spec: TemplateSpec) -> None:
    constraints = Constraints(
        locked={"ci": "gitlab"}, defaults={"database": "postgresql"}, origin="preset 'x'"
    )

    answers = Questionnaire(spec, constraints=constraints).run()
    with pytest.raises(InvalidAnswer, match="ci is locked to 'gitlab' by preset 'x'"):
        Questionnaire(spec, data={"ci": "github"}, constraints=constraints)

    assert (answers["ci"].value, answers["ci"].source) == ("gitlab", "locked by preset 'x'")
    assert (answers["database"].value, answers["database"].source) == ("postgresql", "preset default")


def test_unknown_questions_are_named(spec: TemplateSpec) -> None:
    with pytest.raises(
        InvalidAnswer, match=r"unknown question 'colour' in --data; the questions are: .*database"
    ):
        Questionnaire(spec, data={"colour": "blue"})


def test_multiselect_answers_accept_yaml_lists_and_refuse_strangers(spec: TemplateSpec) -> None:
    answers = Questionnaire(spec, data={"observability": "[tracing]"}).run()

    assert answers["observability"].value == ["tracing"]
    with pytest.raises(InvalidAnswer, match="'logs' is not a choice"):
        Questionnaire(spec, data={"observability": "metrics, logs"}).run()
