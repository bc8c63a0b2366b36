"""`scaffold new`: answer the questions (preset, --data, defaults, the wizard) and render a service."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console

from scaffold.answers import Answer, Constraints, Questionnaire, plain_answers
from scaffold.copying import copy_template
from scaffold.errors import DestinationExists, InvalidAnswer, NoTerminal, UsageError
from scaffold.presets import Preset
from scaffold.source import TemplateSource
from scaffold.wizard import Wizard

SLUG_QUESTION = "project_slug"


@dataclass(frozen=True)
class NewService:
    """What `scaffold new` was asked to do."""

    destination: Path | None = None
    preset: Preset | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    defaults: bool = False
    source: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class Created:
    destination: Path
    source: TemplateSource
    ref: str | None
    answers: Mapping[str, Answer]
    notes: tuple[str, ...] = ()


def parse_data(pairs: Iterable[str], data_file: Path | None) -> dict[str, Any]:
    """Answers from --data-file (YAML) and --data key=value pairs; --data wins."""
    data: dict[str, Any] = {}
    if data_file is not None:
        try:
            loaded = yaml.safe_load(data_file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise InvalidAnswer(f"{data_file}: cannot read the answers: {error}") from error
        if not isinstance(loaded, Mapping):
            raise InvalidAnswer(f"{data_file}: expected a mapping of question: answer")
        data.update({str(key): value for key, value in loaded.items() if not str(key).startswith("_")})
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            raise InvalidAnswer(f"--data {pair}: expected question=value")
        data[name.strip()] = value
    return data


def create_service(request: NewService, console: Console, *, interactive: bool) -> Created:
    """Resolve every answer, then render. Nothing is written before the answers are complete."""
    preset = request.preset
    source = TemplateSource.of(request.source or (preset.source if preset else None))
    ref = source.resolve(request.version or (preset.version if preset else None))
    spec = source.spec(ref)
    constraints = preset.constraints(spec) if preset else Constraints()
    if request.destination is not None:
        _refuse_occupied(request.destination)
    if not request.defaults and not interactive:
        raise NoTerminal("no terminal for the wizard; pass --defaults (with --preset, --data or --data-file)")
    questionnaire = Questionnaire(
        spec,
        data=request.data,
        constraints=constraints,
        defaults=request.defaults,
        destination=str(request.destination or ""),
    )
    wizard = Wizard(console) if not request.defaults else None
    answers = questionnaire.run(wizard)
    destination = request.destination or _default_destination(answers)
    _refuse_occupied(destination)
    if wizard is not None:
        wizard.confirm(answers, destination)
    copy_template(source, ref, destination.resolve(), plain_answers(answers))
    notes = tuple(
        f"catalog {key} is not recorded: the template has no {key!r} question"
        for key in (preset.unrecorded_catalog_keys(spec) if preset else [])
    )
    return Created(destination.resolve(), source, ref, answers, notes)


def _default_destination(answers: Mapping[str, Answer]) -> Path:
    """./<project_slug> when no destination was given."""
    if SLUG_QUESTION not in answers:
        raise UsageError(f"this template asks no {SLUG_QUESTION}; give the destination folder")
    return Path.cwd() / str(answers[SLUG_QUESTION].value)


def _refuse_occupied(destination: Path) -> None:
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise DestinationExists(f"{destination} exists and is not empty; choose a new folder")
