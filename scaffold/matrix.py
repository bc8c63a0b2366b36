"""Answer combinations to test the template with, derived from the questions' choices.

- `full`: every combination (the render tier, while the product stays small);
- `covering`: every `strength` values of any `strength` questions appear together in some
  combination; `pairwise` is strength 2;
- `each_value`: the fewest combinations in which every value appears at least once;
- `bounded`: every combination of the questions that matter (the others cycling through their
  values) while there are at most `limit`, else the strongest covering of them within it.

A multiselect question contributes every subset of its options to `full` and `pairwise`, and "all"
and "none" to `each_value`; a yes/no question contributes both answers.

`allowed` (an Acceptance, see `accepted_by`) leaves out the combinations copier.yml refuses, such as a choice
another answer disables: `pairwise` and `each_value` then cover every pair or value that some
accepted combination holds.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from scaffold.answers import Questionnaire
from scaffold.errors import InvalidAnswer
from scaffold.questions import Question, TemplateSpec

Combination = dict[str, Any]
Axes = dict[str, list[Any]]


class Rules:
    """Which combinations a template accepts. This base has no rules: it accepts every one and
    asks every question; Acceptance applies copier.yml's."""

    def __call__(self, combination: Combination) -> bool:
        return True

    def asked(self, combination: Combination) -> Combination | None:
        return combination

    def feasible(self, combination: Combination, axes: Axes) -> bool:
        return True


NO_RULES = Rules()


class Acceptance(Rules):
    """Which combinations copier accepts, the questions they leave out taking their defaults.

    Only the questions that per-choice validators and `when` conditions depend on can make a
    combination refused, so each distinct set of their answers is checked once.
    """

    def __init__(self, spec: TemplateSpec) -> None:
        self._spec = spec
        self._relevant = _constrained_names(spec)

    def __call__(self, combination: Combination) -> bool:
        """Accepted, and every question it answers is asked (an answer to a question that is not
        asked would only repeat another combination)."""
        return self.asked(combination) == combination

    def asked(self, combination: Combination) -> Combination | None:
        """`combination` without the answers to questions that are not asked; None if refused."""
        key = tuple((name, value) for name, value in combination.items() if name in self._relevant)
        unasked = self._unasked(key)
        if unasked is None:
            return None
        return {name: value for name, value in combination.items() if name not in unasked}

    def feasible(self, combination: Combination, axes: Axes) -> bool:
        """Whether some accepted combination holds `combination` (a partial one), the questions
        of `axes` it leaves out taking any of their values or no answer."""
        known = frozenset(_item(name, value) for name, value in combination.items() if name in self._relevant)
        relevant = tuple(
            (name, tuple(_item(name, value) for value in values))
            for name, values in axes.items()
            if name in self._relevant
        )
        return self._feasible(known, relevant)

    @functools.cache  # noqa: B019 - one Acceptance per test module, kept for its life
    def _feasible(self, known: frozenset[tuple[str, Any]], relevant: tuple[tuple[str, Any], ...]) -> bool:
        return any(known <= accepted for accepted in self._accepted(relevant))

    @functools.cache  # noqa: B019 - one Acceptance per test module, kept for its life
    def _accepted(self, relevant: tuple[tuple[str, Any], ...]) -> list[frozenset[tuple[str, Any]]]:
        """The accepted combinations of the questions validators and conditions read, as copier
        keeps them (without the questions it does not ask): every combination a partial one can
        grow into, whatever answers, or absent answers, the other questions take."""
        accepted = []
        for items in itertools.product(*(values for _, values in relevant)):
            answers = {name: list(value) if isinstance(value, tuple) else value for name, value in items}
            asked = self.asked(answers)
            if asked is not None:
                accepted.append(frozenset(_item(name, value) for name, value in asked.items()))
        return accepted

    @functools.cache  # noqa: B019 - one Acceptance per test module, kept for its life
    def _unasked(self, key: tuple[tuple[str, Any], ...]) -> frozenset[str] | None:
        try:
            answers = Questionnaire(self._spec, data=dict(key)).run()
        except InvalidAnswer:
            return None
        return frozenset(name for name, _ in key if name not in answers)


def _item(name: str, value: Any) -> tuple[str, Any]:
    """A hashable (name, answer) pair: a multiselect answer becomes a tuple."""
    return (name, tuple(value) if isinstance(value, list) else value)


def accepted_by(spec: TemplateSpec) -> Acceptance:
    return Acceptance(spec)


def _constrained_names(spec: TemplateSpec) -> set[str]:
    """The questions that have a validator (of the question or of a choice) or a `when` condition,
    and the questions those read (through computed questions too)."""
    asked = [question for question in spec.questions if not question.computed]
    conditions = [option.validator for question in asked for option in question.options]
    conditions += [question.validator for question in asked if question.validator]
    conditions += [str(question.when) for question in spec.questions if question.when is not True]
    names = {question.name for question in spec.questions if question.when is not True}
    names |= {q.name for q in asked if q.validator or any(option.validator for option in q.options)}
    computed = {question.name: str(question.default) for question in spec.questions if question.computed}
    text = "\n".join(conditions)
    while True:
        found = {q.name for q in spec.questions if re.search(rf"\b{q.name}\b", text)} - names
        if not found:
            return names
        names |= found
        text = "\n".join(computed[name] for name in found if name in computed)


def _subsets(options: Sequence[Any]) -> list[list[Any]]:
    return [
        list(chosen) for size in range(len(options) + 1) for chosen in itertools.combinations(options, size)
    ]


def axes(questions: Iterable[Question], *, multiselect: str = "subsets") -> Axes:
    """The values each asked choice question can take; `multiselect` is "subsets" or "extremes"."""
    result: Axes = {}
    for question in questions:
        if question.computed:
            continue
        if question.type == "bool":
            result[question.name] = [True, False]
        elif not question.is_choice:
            continue
        elif not question.multiselect:
            result[question.name] = list(question.choices)
        elif multiselect == "subsets":
            result[question.name] = _subsets(question.choices)
        else:
            result[question.name] = [list(question.choices), []]
    return result


def full(axes: Axes) -> list[Combination]:
    names = list(axes)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*axes.values())]


def each_value(axes: Axes, allowed: Rules = NO_RULES) -> list[Combination]:
    """Every value of every question at least once, each row adding as many unseen values as it
    can (without rules, as many rows as the question with the most values has)."""
    uncovered = {(name, i) for name, values in axes.items() for i in range(len(values))}
    return _cover(axes, uncovered, lambda row: set(row.items()), allowed)


def _cover(
    axes: Axes,
    uncovered: set[tuple[Any, ...]],
    covered_by: Callable[[dict[str, int]], set[tuple[Any, ...]]],
    allowed: Rules,
) -> list[Combination]:
    """Greedy covering: each row starts from the first target not yet covered and gives every
    other question the value covering most targets among those `allowed` keeps; a target no
    accepted row can hold is dropped."""
    names = list(axes)

    def values(row: dict[str, int]) -> Combination:
        return {name: axes[name][value] for name, value in row.items()}

    def feasible(row: dict[str, int]) -> bool:
        return allowed.feasible(values(row), axes)

    rows: list[dict[str, int]] = []
    for target in sorted(uncovered, key=repr):
        if target not in uncovered:
            continue
        row = dict(zip(target[::2], target[1::2], strict=True))
        if not feasible(row):
            uncovered.discard(target)
            continue
        for name in names:
            if name in row:
                continue
            candidates = [v for v in range(len(axes[name])) if feasible({**row, name: v})]
            if candidates:
                row[name] = max(
                    candidates,
                    key=lambda value, name=name: len(covered_by({**row, name: value}) & uncovered),
                )
        uncovered -= covered_by(row)
        rows.append(row)
    return [values(row) for row in rows] or [{}]


def _strongest_covering(axes: Axes, limit: int, allowed: Rules) -> list[Combination]:
    for strength in range(min(MAX_STRENGTH, len(axes) - 1), 2, -1):
        rows = covering(axes, strength, allowed)
        if len(rows) <= limit:
            return rows
    return pairwise(axes, allowed)


def covering(axes: Axes, strength: int, allowed: Rules = NO_RULES) -> list[Combination]:
    """A greedy covering array of `strength`: each new row covers as many uncovered sets of
    `strength` values (of as many questions) as it can."""
    names = list(axes)
    targets = {
        tuple(item for pair in zip(group, values, strict=True) for item in pair)
        for group in itertools.combinations(names, strength)
        for values in itertools.product(*(range(len(axes[name])) for name in group))
    }

    def tuples(row: dict[str, int]) -> set[tuple[Any, ...]]:
        ordered = sorted(row, key=names.index)
        return {
            tuple(item for name in group for item in (name, row[name]))
            for group in itertools.combinations(ordered, strength)
        }

    return _cover(axes, targets, tuples, allowed)


def pairwise(axes: Axes, allowed: Rules = NO_RULES) -> list[Combination]:
    """A greedy all-pairs covering array."""
    return covering(axes, 2, allowed)


MAX_STRENGTH = 4
"""The strongest covering `bounded` tries: each step up multiplies the rows and the time to find them."""


def bounded(
    axes: Axes, significant: Iterable[str], limit: int, allowed: Rules = NO_RULES
) -> list[Combination]:
    """Every combination of the `significant` axes, the others taking each of their values in turn;
    when that is more than `limit` combinations, the strongest covering of the significant axes
    (every 4, else 3, else 2 of their values together) that stays within `limit`, or pairwise."""
    chosen = set(significant)
    inner = {name: values for name, values in axes.items() if name in chosen}
    rest = {name: values for name, values in axes.items() if name not in chosen}
    asked = [allowed.asked(row) for row in full(inner)]
    kept = list({_frozen(row): row for row in asked if row is not None}.values())
    if len(kept) > limit:
        kept = _strongest_covering(inner, limit, allowed)
    rows = [
        {**row, **{name: values[number % len(values)] for name, values in rest.items()}}
        for number, row in enumerate(kept)
    ]
    return [{name: row[name] for name in axes if name in row} for row in rows]


def _frozen(combination: Combination) -> tuple[tuple[str, Any], ...]:
    return tuple(
        (name, tuple(value) if isinstance(value, list) else value) for name, value in combination.items()
    )


def referenced_in(axes: Axes, folders: Iterable[Path]) -> Axes:
    """The axes whose question the templates in or under `folders` use (in paths or contents).

    Questions that only shape other files (a CI pipeline, catalog metadata) cannot change how the
    service behaves, so the tiers that run services can leave them at their defaults.
    """
    text = "\n".join(
        _name_and_text(path, folder.parent)
        for folder in folders
        for path in (folder.rglob("*") if folder.is_dir() else [folder])
        if "__pycache__" not in path.parts
    )
    return {name: values for name, values in axes.items() if re.search(rf"\b{name}\b", text)}


_JINJA = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
"""Jinja expressions and statements: the only places where a template reads an answer."""


def _name_and_text(path: Path, root: Path) -> str:
    """The Jinja in the path below `root` (never where the checkout lives: a folder named ci-clone
    must not make `ci` look used) and, for a template file, in its text. Prose that happens to name
    a question ("when the broker is down") is not a use of it."""
    name = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8") if path.is_file() and path.suffix == ".jinja" else ""
    return "\n".join(_JINJA.findall(f"{name}\n{text}"))
