"""scaffold.questions reads copier.yml as copier does."""

from __future__ import annotations

from pathlib import Path

import copier
import pytest

from scaffold.questions import load_questions


@pytest.fixture(scope="module")
def questions_by_name() -> dict[str, object]:
    return {question.name: question for question in load_questions()}


def test_every_question_of_the_catalogue_is_declared(questions_by_name: dict[str, object]) -> None:
    assert set(questions_by_name) >= {
        "project_name",
        "project_slug",
        "package_name",
        "description",
        "owner",
        "architecture",
        "framework",
        "database",
        "auth",
        "error_format",
        "observability",
        "resource",
        "ci",
    }


def test_choices_are_the_answer_values_not_the_labels() -> None:
    framework = next(question for question in load_questions() if question.name == "framework")

    assert framework.choices == ("fastapi", "litestar", "django", "flask")
    assert framework.default == "fastapi"


def test_every_asked_question_has_help_and_a_default() -> None:
    for question in load_questions():
        if question.computed:
            continue
        assert question.help, f"{question.name} has no help text"
        assert question.default is not None, f"{question.name} has no default"


def test_the_defaults_alone_render_a_service(template: Path, tmp_path: Path) -> None:
    copier.run_copy(str(template), str(tmp_path), defaults=True, unsafe=True, quiet=True, skip_tasks=True)

    assert (tmp_path / "src" / "my_service" / "main.py").exists()
