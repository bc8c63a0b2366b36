"""The generated services the hardening tier and the bench run: which answers, and how they are made.

The frameworks and error formats come from copier.yml, so a framework that lands there is picked up
here without an edit. Every service runs on PostgreSQL, the database recommended for production.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scaffold.questions import Question, load_questions
from tests.generated.service import Service, service_environment
from tests.rendering import copy_working_tree

QUESTIONS: dict[str, Question] = {question.name: question for question in load_questions()}
FRAMEWORKS: tuple[str, ...] = QUESTIONS["framework"].choices
ERROR_FORMATS: tuple[str, ...] = QUESTIONS["error_format"].choices
DEFAULT_ERROR_FORMAT: str = QUESTIONS["error_format"].default
DEFAULT_OBSERVABILITY: tuple[str, ...] = tuple(QUESTIONS["observability"].default)
ANSWERS_FILE = ".copier-answers.yml"


@dataclass(frozen=True)
class Variant:
    """The answers that matter to a run; the rest keep their defaults."""

    framework: str
    error_format: str = DEFAULT_ERROR_FORMAT
    observability: tuple[str, ...] = DEFAULT_OBSERVABILITY
    auth: str = "none"

    @property
    def name(self) -> str:
        observability = "+".join(self.observability) or "no-observability"
        auth = "" if self.auth == "none" else f"-{self.auth}"
        return f"{self.framework}-{self.error_format}-{observability}{auth}"

    def answers(self) -> dict[str, Any]:
        return {
            "database": "postgresql",
            "framework": self.framework,
            "error_format": self.error_format,
            "observability": list(self.observability),
            "auth": self.auth,
        }


def generate_and_install(variant: Variant, root: Path) -> None:
    """`copier copy` from the working tree (uncommitted edits included), then `make install`."""
    copy_working_tree(root, variant.answers())
    Service(root, service_environment(None)).make("install")


def package_of(root: Path) -> str:
    """The generated service's import package, from its answers file."""
    answers = yaml.safe_load((root / ANSWERS_FILE).read_text(encoding="utf-8"))
    return str(answers["package_name"])


EVERY_ERROR_FORMAT = [
    Variant(framework, error_format) for framework in FRAMEWORKS for error_format in ERROR_FORMATS
]
"""Each framework with each error format: for the tests whose outcome depends on the format."""
EVERY_FRAMEWORK = [Variant(framework) for framework in FRAMEWORKS]
"""Each framework with the default answers otherwise."""
