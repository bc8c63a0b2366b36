"""The template's questions and settings as copier.yml declares them; copier.yml is their only definition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scaffold import TEMPLATE_ROOT

COPIER_YML = TEMPLATE_ROOT / "copier.yml"
DEFAULT_ANSWERS_FILE = ".copier-answers.yml"


@dataclass(frozen=True)
class Option:
    """One choice of a question: the label shown, the value answered, and copier's optional per-choice
    validator (a Jinja template that disables the choice, saying why, when it renders text)."""

    label: str
    value: Any
    validator: str = ""


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    help: str
    default: Any
    choices: tuple[Any, ...]
    multiselect: bool
    computed: bool
    validator: str = ""
    when: str | bool = True
    options: tuple[Option, ...] = field(default=(), compare=False)

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)


@dataclass(frozen=True)
class TemplateSettings:
    """The copier settings scaffold needs: how to render Jinja, where answers live, what users own."""

    envops: Mapping[str, Any] = field(default_factory=dict)
    answers_file: str = DEFAULT_ANSWERS_FILE
    skip_if_exists: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateSpec:
    """A template's questions in order, and its settings."""

    questions: tuple[Question, ...]
    settings: TemplateSettings

    @property
    def asked(self) -> list[Question]:
        """The questions a user may answer (computed values excluded)."""
        return [question for question in self.questions if not question.computed]

    def get(self, name: str) -> Question | None:
        return next((question for question in self.questions if question.name == name), None)


def _options(choices: Mapping[str, Any] | Sequence[Any] | None) -> tuple[Option, ...]:
    """Choices are `label: value` pairs, `label: {value, validator}` or plain values."""
    if not choices:
        return ()
    if isinstance(choices, Mapping):
        return tuple(
            Option(str(label), value["value"], str(value.get("validator", "")))
            if isinstance(value, Mapping)
            else Option(str(label), value)
            for label, value in choices.items()
        )
    return tuple(Option(str(value), value) for value in choices)


def _question(name: str, spec: Any) -> Question:
    if not isinstance(spec, Mapping):
        spec = {"default": spec}
    options = _options(spec.get("choices"))
    when = spec.get("when", True)
    return Question(
        name=name,
        type=spec.get("type", "str"),
        help=spec.get("help", ""),
        default=spec.get("default"),
        choices=tuple(option.value for option in options),
        multiselect=bool(spec.get("multiselect", False)),
        computed=when is False,
        validator=spec.get("validator", ""),
        when=when,
        options=options,
    )


def parse_spec(text: str) -> TemplateSpec:
    """A TemplateSpec from the text of a copier.yml."""
    config = yaml.safe_load(text) or {}
    settings = TemplateSettings(
        envops=config.get("_envops", {}),
        answers_file=config.get("_answers_file", DEFAULT_ANSWERS_FILE),
        skip_if_exists=tuple(config.get("_skip_if_exists", ())),
        exclude=tuple(config.get("_exclude", ())),
    )
    questions = tuple(_question(name, spec) for name, spec in config.items() if not name.startswith("_"))
    return TemplateSpec(questions=questions, settings=settings)


def load_spec(path: Path = COPIER_YML) -> TemplateSpec:
    """The questions and settings of the copier.yml at `path`."""
    return parse_spec(path.read_text(encoding="utf-8"))


def load_questions(path: Path = COPIER_YML) -> list[Question]:
    """Every question of copier.yml in order; settings (keys starting with _) are skipped."""
    return list(load_spec(path).questions)
