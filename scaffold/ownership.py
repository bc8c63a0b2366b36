"""Which generated files the template owns (and `scaffold check` compares with a fresh render).

copier.yml decides, as copier does on `copier update`: a file the update would not write is the
team's. That is a file matching `_skip_if_exists` (written once, like .env) or an `_exclude` pattern
as copier renders it during an update (the scaffold-once files, the team's from day one).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from jinja2 import UndefinedError
from pathspec import PathSpec

from scaffold.expressions import Expressions, cast
from scaffold.questions import TemplateSpec


class Ownership:
    """The template's ownership rules for one service's answers (computed values it cannot derive
    from them are left out)."""

    def __init__(self, spec: TemplateSpec, answers: Mapping[str, Any]) -> None:
        expressions = Expressions(spec.settings.envops)
        context: dict[str, Any] = dict(answers)
        for question in spec.questions:
            if question.computed and question.name not in context:
                with suppress(UndefinedError):
                    context[question.name] = cast(question, expressions.render(question.default, context))
        context["_copier_operation"] = "update"
        excluded_on_update = [
            line
            for pattern in spec.settings.exclude
            for line in str(expressions.render(pattern, context)).splitlines()
            if line.strip()
        ]
        self._teams = PathSpec.from_lines("gitignore", [*spec.settings.skip_if_exists, *excluded_on_update])

    def is_template_owned(self, relative_path: str) -> bool:
        """Whether `copier update` writes `relative_path` (a POSIX path relative to the service)."""
        return not self._teams.match_file(relative_path)
