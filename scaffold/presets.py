"""Organisation presets: defaults, locked answers, allowed choices, the template to use, catalog metadata.

A preset is a YAML file:

    name: payments                 # optional; the file's stem otherwise
    description: ...               # optional
    template: {source: PATH|URL, version: TAG}
    defaults: {question: value}    # pre-filled, changeable
    locked: {question: value}      # fixed; the wizard shows them and refuses changes
    allowed: {question: [values]}  # subsets of a question's choices
    catalog: {owner_groups: [group, ...], lifecycle: production, system: payments}

Every error names the file, the key and what is allowed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scaffold import TEMPLATE_ROOT
from scaffold.answers import Constraints
from scaffold.errors import InvalidPreset
from scaffold.questions import Question, TemplateSpec

PRESET_PATH_VARIABLE = "SCAFFOLD_PRESET_PATH"
BUILTIN_PRESETS = TEMPLATE_ROOT / "examples"
TOP_LEVEL_KEYS = ("name", "description", "template", "defaults", "locked", "allowed", "catalog")
TEMPLATE_KEYS = ("source", "version")
CATALOG_KEYS = ("owner_groups", "lifecycle", "system")
OWNER_QUESTION = "owner"


@dataclass(frozen=True)
class Catalog:
    """Backstage metadata for the services a preset creates."""

    owner_groups: tuple[str, ...] = ()
    lifecycle: str | None = None
    system: str | None = None

    def answers(self) -> dict[str, str]:
        """lifecycle and system, as answers to questions of the same names."""
        return {key: value for key in ("lifecycle", "system") if (value := getattr(self, key)) is not None}


@dataclass(frozen=True)
class Preset:
    path: Path
    name: str
    description: str = ""
    source: str | None = None
    version: str | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    locked: Mapping[str, Any] = field(default_factory=dict)
    allowed: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    catalog: Catalog = field(default_factory=Catalog)

    def fail(self, key: str, problem: str) -> InvalidPreset:
        return InvalidPreset(f"{self.path}: {key}: {problem}")

    def constraints(self, spec: TemplateSpec) -> Constraints:
        """The preset's rules for `spec`'s questions; catalog metadata becomes answers where asked."""
        self.validate(spec)
        locked = dict(self.locked)
        allowed = dict(self.allowed)
        if self.catalog.owner_groups and OWNER_QUESTION not in locked:
            allowed[OWNER_QUESTION] = self.catalog.owner_groups
        locked.update({key: value for key, value in self.catalog.answers().items() if spec.get(key)})
        return Constraints(
            locked=locked, defaults=self.defaults, allowed=allowed, origin=f"preset {self.name!r}"
        )

    def unrecorded_catalog_keys(self, spec: TemplateSpec) -> list[str]:
        """Catalog metadata the template has no question for, so the service cannot record it."""
        return [key for key in self.catalog.answers() if spec.get(key) is None]

    def validate(self, spec: TemplateSpec) -> None:
        """Every key names an asked question and every value is one of its choices."""
        asked = {question.name: question for question in spec.asked}
        for section in ("defaults", "locked", "allowed"):
            for name, value in getattr(self, section).items():
                question = asked.get(name)
                key = f"{section}.{name}"
                if question is None:
                    raise self.fail(key, f"no such question; the questions are: {', '.join(asked)}")
                if section == "allowed":
                    self._check_allowed(key, question, value)
                else:
                    self._check_value(key, question, value)
        for name, value in self.catalog.answers().items():
            if name in asked:
                self._check_value(f"catalog.{name}", asked[name], value)
        self._check_consistency()
        if self.catalog.owner_groups and OWNER_QUESTION in self.locked:
            owner = self.locked[OWNER_QUESTION]
            if owner not in self.catalog.owner_groups:
                raise self.fail(
                    f"locked.{OWNER_QUESTION}",
                    f"{owner!r} is not one of catalog.owner_groups: {', '.join(self.catalog.owner_groups)}",
                )

    def _check_allowed(self, key: str, question: Question, values: tuple[Any, ...]) -> None:
        if not question.is_choice:
            raise self.fail(
                key, f"{question.name} has no choices; only questions with choices can be narrowed"
            )
        if not values:
            raise self.fail(key, f"allow at least one of: {_listing(question.choices)}")
        for value in values:
            if value not in question.choices:
                raise self.fail(key, f"{value!r} is not a choice; allowed: {_listing(question.choices)}")

    def _check_value(self, key: str, question: Question, value: Any) -> None:
        if not question.is_choice:
            return
        for item in value if question.multiselect and isinstance(value, list) else [value]:
            if item not in question.choices:
                raise self.fail(key, f"{item!r} is not a choice; allowed: {_listing(question.choices)}")

    def _check_consistency(self) -> None:
        for name in set(self.locked) & set(self.defaults):
            raise self.fail(f"defaults.{name}", "is also locked; a locked answer needs no default")
        for section in ("locked", "defaults"):
            for name, value in getattr(self, section).items():
                allowed = self.allowed.get(name)
                items = value if isinstance(value, list) else [value]
                if allowed is not None and any(item not in allowed for item in items):
                    raise self.fail(
                        f"{section}.{name}", f"{value!r} is outside allowed.{name}: {_listing(allowed)}"
                    )


def _listing(values: tuple[Any, ...] | list[Any]) -> str:
    return ", ".join(str(value) for value in values)


def _mapping(path: Path, key: str, value: Any, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidPreset(f"{path}: {key}: expected a mapping, got {type(value).__name__}")
    for name in value:
        if keys is not None and name not in keys:
            raise InvalidPreset(f"{path}: {key}.{name}: unknown key; allowed: {', '.join(keys)}")
    return {str(name): item for name, item in value.items()}


def _text(path: Path, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InvalidPreset(f"{path}: {key}: expected text, got {type(value).__name__}")
    return str(value)


def _catalog(path: Path, raw: Any) -> Catalog:
    catalog = _mapping(path, "catalog", raw, CATALOG_KEYS)
    groups = catalog.get("owner_groups") or []
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list) or not all(isinstance(group, str) and group for group in groups):
        raise InvalidPreset(f"{path}: catalog.owner_groups: expected a list of group names")
    lifecycle = _text(path, "catalog.lifecycle", catalog.get("lifecycle"))
    system = _text(path, "catalog.system", catalog.get("system"))
    return Catalog(owner_groups=tuple(groups), lifecycle=lifecycle, system=system)


def _allowed(path: Path, raw: Any) -> dict[str, tuple[Any, ...]]:
    result = {}
    for name, values in _mapping(path, "allowed", raw).items():
        if not isinstance(values, list):
            raise InvalidPreset(f"{path}: allowed.{name}: expected a list of choices")
        result[name] = tuple(values)
    return result


def _source(path: Path, source: str | None) -> str | None:
    """A local template path is relative to the preset file; URLs are kept as they are."""
    if source is None or "://" in source or source.startswith(("git@", "gh:", "gl:", "git+")):
        return source
    return str((path.parent / Path(source).expanduser()).resolve())


def load_preset(path: Path) -> Preset:
    """Read and check a preset file's structure (its answers are checked against a template later)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidPreset(f"{path}: cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise InvalidPreset(f"{path}: not valid YAML{where}") from error
    body = _mapping(path, "(top level)", raw, TOP_LEVEL_KEYS)
    template = _mapping(path, "template", body.get("template"), TEMPLATE_KEYS)
    return Preset(
        path=path,
        name=_text(path, "name", body.get("name")) or path.stem,
        description=_text(path, "description", body.get("description")) or "",
        source=_source(path, _text(path, "template.source", template.get("source"))),
        version=_text(path, "template.version", template.get("version")),
        defaults=_mapping(path, "defaults", body.get("defaults")),
        locked=_mapping(path, "locked", body.get("locked")),
        allowed=_allowed(path, body.get("allowed")),
        catalog=_catalog(path, body.get("catalog")),
    )


def preset_directories() -> list[Path]:
    """Where a preset given by name is looked for: $SCAFFOLD_PRESET_PATH, then the shipped examples."""
    configured = [Path(part) for part in os.environ.get(PRESET_PATH_VARIABLE, "").split(os.pathsep) if part]
    return [*configured, BUILTIN_PRESETS]


def find_preset(name_or_path: str) -> Preset:
    """A preset by file path, or by name in the preset directories."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return load_preset(path)
    for directory in preset_directories():
        for suffix in (".yml", ".yaml"):
            candidate = directory / f"{name_or_path}{suffix}"
            if candidate.is_file():
                return load_preset(candidate)
    known = sorted({p.stem for d in preset_directories() if d.is_dir() for p in d.glob("*.y*ml")})
    raise InvalidPreset(
        f"{name_or_path}: no such preset file or name; known names: {', '.join(known) or 'none'}"
    )
