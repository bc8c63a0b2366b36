"""Answer combinations to test the template with, derived from the questions' choices.

- `full`: every combination (the render tier, while the product stays small);
- `pairwise`: every pair of values of any two questions appears in some combination;
- `each_value`: the fewest combinations in which every value appears at least once;
- `bounded`: every combination of the questions that matter (the others cycling through their
  values) while there are at most `limit`, else pairwise.

A multiselect question contributes every subset of its options to `full` and `pairwise`, and "all"
and "none" to `each_value`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from scaffold.questions import Question

Combination = dict[str, Any]
Axes = dict[str, list[Any]]


def _subsets(options: Sequence[Any]) -> list[list[Any]]:
    return [
        list(chosen) for size in range(len(options) + 1) for chosen in itertools.combinations(options, size)
    ]


def axes(questions: Iterable[Question], *, multiselect: str = "subsets") -> Axes:
    """The values each asked choice question can take; `multiselect` is "subsets" or "extremes"."""
    result: Axes = {}
    for question in questions:
        if question.computed or not question.is_choice:
            continue
        if not question.multiselect:
            result[question.name] = list(question.choices)
        elif multiselect == "subsets":
            result[question.name] = _subsets(question.choices)
        else:
            result[question.name] = [list(question.choices), []]
    return result


def full(axes: Axes) -> list[Combination]:
    names = list(axes)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*axes.values())]


def each_value(axes: Axes) -> list[Combination]:
    """Row i takes each question's value i (wrapping around), so every value appears once."""
    rows = max((len(values) for values in axes.values()), default=0)
    return [{name: values[row % len(values)] for name, values in axes.items()} for row in range(rows)]


def pairwise(axes: Axes) -> list[Combination]:
    """A greedy all-pairs covering array: each new row covers as many uncovered pairs as it can."""
    names = list(axes)
    index = {name: range(len(values)) for name, values in axes.items()}
    uncovered = {
        (first, i, second, j)
        for first, second in itertools.combinations(names, 2)
        for i in index[first]
        for j in index[second]
    }
    rows: list[dict[str, int]] = []
    while uncovered:
        first, i, second, j = min(uncovered, key=repr)
        row = {first: i, second: j}
        for name in names:
            if name in row:
                continue
            row[name] = max(
                index[name],
                key=lambda value, name=name: sum(
                    (other, row[other], name, value) in uncovered
                    or (name, value, other, row[other]) in uncovered
                    for other in row
                ),
            )
        uncovered -= {(a, row[a], b, row[b]) for a, b in itertools.combinations(names, 2)}
        rows.append(row)
    return [{name: axes[name][value] for name, value in row.items()} for row in rows] or [{}]


def bounded(axes: Axes, significant: Iterable[str], limit: int) -> list[Combination]:
    """Every combination of the `significant` axes, the others taking each of their values in turn;
    when that is more than `limit` combinations, a pairwise covering of all the axes instead."""
    chosen = set(significant)
    inner = {name: values for name, values in axes.items() if name in chosen}
    rest = {name: values for name, values in axes.items() if name not in chosen}
    if math.prod(len(values) for values in inner.values()) > limit:
        return pairwise(axes)
    rows = [
        {**row, **{name: values[number % len(values)] for name, values in rest.items()}}
        for number, row in enumerate(full(inner))
    ]
    return [{name: row[name] for name in axes} for row in rows]


def referenced_in(axes: Axes, folders: Iterable[Path]) -> Axes:
    """The axes whose question the templates in or under `folders` use (in paths or contents).

    Questions that only shape other files (a CI pipeline, catalog metadata) cannot change how the
    service behaves, so the tiers that run services can leave them at their defaults.
    """
    text = "\n".join(
        f"{path}\n{path.read_text(encoding='utf-8')}" if path.is_file() else str(path)
        for folder in folders
        for path in (folder.rglob("*") if folder.is_dir() else [folder])
    )
    return {name: values for name, values in axes.items() if re.search(rf"\b{name}\b", text)}
