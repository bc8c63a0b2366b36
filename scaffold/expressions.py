"""copier.yml's Jinja (defaults, validators, `when`, per-choice validators) rendered as copier renders it.

The environment is configured like copier's: a SandboxedEnvironment with the template's `_envops`
(StrictUndefined here) and the jinja2_ansible_filters extension (regex_search, regex_replace, ...).
"""

from __future__ import annotations

import copy
import functools
import json
import os
from collections.abc import Mapping
from typing import Any

import yaml
from jinja2 import StrictUndefined, Template, Undefined
from jinja2.exceptions import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from scaffold.questions import Question

COPIER_EXTENSIONS = ("jinja2_ansible_filters.AnsibleCoreFiltersExtension",)
UNDEFINED_CLASSES: Mapping[str, type[Undefined]] = {
    "jinja2.Undefined": Undefined,
    "jinja2.StrictUndefined": StrictUndefined,
}
TRUE_WORDS = {"y", "yes", "t", "true", "on"}
FALSE_WORDS = {"", "n", "no", "f", "false", "off", "~", "null", "none"}


def environment(envops: Mapping[str, Any]) -> SandboxedEnvironment:
    """A Jinja environment configured as copier configures it for this template."""
    options = dict(envops)
    if "undefined" in options:
        options["undefined"] = UNDEFINED_CLASSES[options["undefined"]]
    return SandboxedEnvironment(extensions=list(COPIER_EXTENSIONS), **options)


@functools.cache
def _shared_environment(envops: str) -> SandboxedEnvironment:
    """One environment per set of `_envops` (as JSON): building one, and compiling, is what makes
    answering the questions slow when the test matrices answer them thousands of times."""
    return environment(json.loads(envops))


@functools.cache
def _compiled(env: SandboxedEnvironment, source: str) -> Template:
    return env.from_string(source)


@functools.cache
def _is_plain(env: SandboxedEnvironment, source: str) -> bool:
    """Whether rendering `source` gives it back unchanged: no Jinja syntax, and no trailing newline
    for Jinja to drop. Most list items (such as the reserved names) are plain."""
    markers = [env.block_start_string, env.variable_start_string, env.comment_start_string]
    markers += [prefix for prefix in (env.line_statement_prefix, env.line_comment_prefix) if prefix]
    return not any(marker in source for marker in markers) and (
        env.keep_trailing_newline or not source.endswith("\n")
    )


@functools.cache
def _all_plain(env: SandboxedEnvironment, items: tuple[str, ...]) -> bool:
    return all(_is_plain(env, item) for item in items)


@functools.cache
def _yaml(text: str) -> Any:
    return yaml.safe_load(text)


def _load_yaml(text: str) -> Any:
    """YAML parsed once per text (the matrices cast the same computed YAML thousands of times);
    each caller gets a copy of its own."""
    return copy.deepcopy(_yaml(text))


def copier_conf(*, defaults: bool, data: Mapping[str, Any], destination: str) -> dict[str, Any]:
    """The `_copier_conf` values a question's Jinja may read while copier asks the questions."""
    return {
        "defaults": defaults,
        "data": dict(data),
        "dst_path": destination,
        "sep": os.sep,
        "os": "linux",
        "answers_file": ".copier-answers.yml",
    }


def to_bool(value: Any) -> bool:
    """Copier's reading of a yes/no value: numbers, YAML's boolean and null words, else truthiness."""
    try:
        return bool(float(value))
    except (TypeError, ValueError):
        pass
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return bool(value)


class Expressions:
    """Renders the Jinja of one template's questions."""

    def __init__(self, envops: Mapping[str, Any]) -> None:
        self._env = _shared_environment(json.dumps(dict(envops), sort_keys=True, default=str))

    def render(self, value: Any, context: Mapping[str, Any]) -> Any:
        """Render `value` when it is a string; lists are rendered item by item, anything else kept."""
        if isinstance(value, list):
            if all(isinstance(item, str) for item in value) and _all_plain(self._env, tuple(value)):
                return list(value)
            return [self.render(item, context) for item in value]
        if not isinstance(value, str) or _is_plain(self._env, value):
            return value
        return _compiled(self._env, value).render(dict(context))

    def is_asked(self, question: Question, context: Mapping[str, Any]) -> bool:
        """Copier's `when`: a boolean, or a template that renders to a yes/no word."""
        return to_bool(self.render(question.when, context))

    def verdict(self, question: Question, answer: Any, context: Mapping[str, Any]) -> str:
        """The validator's message for `answer` (empty when it is accepted)."""
        if not question.validator:
            return ""
        try:
            return str(self.render(question.validator, {**context, question.name: answer})).strip()
        except TemplateError as error:
            return str(error)

    def disabled_reason(self, validator: str, context: Mapping[str, Any]) -> str:
        """Why a choice is unavailable after the earlier answers (empty when it is available)."""
        return str(self.render(validator, context)).strip() if validator else ""


def cast(question: Question, raw: Any) -> Any:
    """An answer converted to the question's type, as copier casts it; ValueError when it cannot be."""
    if question.multiselect:
        items = _load_yaml(raw) if isinstance(raw, str) else raw
        if isinstance(items, str):
            items = [item.strip() for item in items.split(",") if item.strip()]
        if not isinstance(items, list):
            raise ValueError(f"expected a list of choices, got {raw!r}")
        return [_cast_one(question.type, item) for item in items]
    return _cast_one(question.type, raw)


def _cast_one(type_name: str, raw: Any) -> Any:
    if raw is None and type_name not in {"yaml", "json"}:
        raise ValueError(f"an answer of type {type_name} is required")
    if type_name == "str":
        return str(raw)
    if type_name == "bool":
        return to_bool(raw)
    if type_name in {"int", "float"}:
        return int(raw) if type_name == "int" else float(raw)
    if type_name == "yaml":
        return _load_yaml(raw) if isinstance(raw, str) else raw
    if type_name == "json":
        return json.loads(raw) if isinstance(raw, str) else raw
    return raw
