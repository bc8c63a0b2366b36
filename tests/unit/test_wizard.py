"""The wizard driven through a real pseudo-terminal, as a person would use it."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
import yaml

from scaffold.answers import Questionnaire
from scaffold.questions import TemplateSpec, load_spec
from tests.unit.repositories import SCAFFOLD

DOWN = "\x1b[B"
ENTER = "\r"
CLEAR_LINE = "\x15"
PRESET = """\
name: wizard-test
locked: {ci: gitlab}
allowed: {observability: [tracing]}
"""

Answerer = Callable[[pexpect.spawn], None]


def prompt(name: str) -> re.Pattern[bytes]:
    """questionary's prompt line: the question mark, styling codes, then the question's name."""
    return re.compile(rb"\?(?:\x1b\[[0-9;]*m)* " + re.escape(name.encode()) + rb"\b")


def type_answer(text: str) -> Answerer:
    def answer(child: pexpect.spawn) -> None:
        child.send(CLEAR_LINE + text + ENTER)

    return answer


def refused_then(bad: str, message: str, good: str) -> Answerer:
    def answer(child: pexpect.spawn) -> None:
        child.send(CLEAR_LINE + bad + ENTER)
        child.expect_exact(message)
        child.send(CLEAR_LINE + good + ENTER)

    return answer


def spawn(template: Path, destination: Path, *arguments: str) -> pexpect.spawn:
    return pexpect.spawn(
        str(SCAFFOLD),
        ["new", str(destination), "--template", str(template), *arguments],
        env={**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"},
        dimensions=(50, 160),
        timeout=30,
    )


def answer_every_question(
    child: pexpect.spawn, spec: TemplateSpec, answers: dict[str, Answerer], fixed: dict[str, str]
) -> None:
    """Each question in copier.yml's order: the given answers, Enter (the default) for the rest.

    A conditional question (rbac, asked only with an auth method) is expected when the defaults
    ask it or the test answers it."""
    asked_by_default = Questionnaire(spec, data={}).run()
    for question in spec.asked:
        if question.name not in asked_by_default and question.name not in answers:
            continue
        if question.name in fixed:
            child.expect(
                re.escape(question.name) + r"(?:\x1b\[[0-9;]*m)*: " + re.escape(fixed[question.name])
            )
            child.expect_exact("(fixed: ")
            continue
        child.expect(prompt(question.name))
        answers.get(question.name, lambda child: child.send(ENTER))(child)


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus)


@pytest.fixture(scope="module")
def spec(template: Path) -> TemplateSpec:
    return load_spec(template / "copier.yml")


def test_arrow_keys_typed_answers_refusals_and_locked_answers(
    template: Path, spec: TemplateSpec, tmp_path: Path
) -> None:
    preset = tmp_path / "wizard-test.yml"
    preset.write_text(PRESET, encoding="utf-8")
    destination = tmp_path / "svc"
    child = spawn(template, destination, "--preset", str(preset))

    answer_every_question(
        child,
        spec,
        {
            "project_name": type_answer("Billing Service"),
            "project_slug": refused_then("Bad Slug", "Use lower-case letters", "billing-svc"),
            "database": lambda child: child.send(DOWN + ENTER),
            "observability": lambda child: (
                child.expect_exact("not allowed by preset 'wizard-test'"),
                child.send(ENTER),
            ),
        },
        fixed={"ci": "gitlab"},
    )
    child.expect_exact("Generate the service in")
    child.send("y")

    assert finish(child) == 0
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["project_name"] == "Billing Service"
    assert answers["project_slug"] == "billing-svc"
    assert answers["package_name"] == "billing_svc"
    assert answers["database"] == "postgresql"
    assert answers["ci"] == "gitlab"
    assert answers["observability"] == ["tracing"]


def test_ctrl_c_cancels_and_writes_nothing(template: Path, tmp_path: Path) -> None:
    destination = tmp_path / "svc"
    child = spawn(template, destination)

    child.expect(prompt("project_name"))
    child.sendcontrol("c")
    child.expect_exact("cancelled; nothing was written")

    assert finish(child) == 130
    assert not destination.exists()


def test_declining_the_summary_writes_nothing(template: Path, spec: TemplateSpec, tmp_path: Path) -> None:
    destination = tmp_path / "svc"
    child = spawn(template, destination, "-d", "database=postgresql")

    answer_every_question(child, spec, {}, fixed={"database": "postgresql"})
    child.expect_exact("Your service")
    child.expect_exact("Generate the service in")
    child.send("n")
    child.expect_exact("cancelled; nothing was written")

    assert finish(child) == 130
    assert not destination.exists()
