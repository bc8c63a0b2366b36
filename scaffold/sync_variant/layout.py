"""Keeping the derived files as ruff formats them, for every answer (docs/decisions/0001).

The rules only shorten lines, so two things can go out of ruff's order: imports whose module or
names changed (merged, deduplicated and sorted again), and a bracketed construct split over three
lines that now fits on one (joined, as `ruff format` would). A join is decided at the longest and
the shortest names the answers allow; a construct that would fit for some names only cannot be
written once for all of them, and is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

LINE_LENGTH: Final = 100
"""The generated service's ruff line length."""

NAME_LENGTHS: Final = {
    "package_name": (2, 24),
    "resource": (2, 16),
    "resource_class": (2, 16),
    "resource_plural": (2, 20),
    "resource_plural_class": (2, 20),
}
"""The shortest and longest rendered length of each name copier.yml's validators allow."""

_EXPRESSION: Final = re.compile(r"\{\{(.*?)\}\}")
_LITERAL: Final = re.compile(r"""^\s*(['"])(.*)\1\s*$""")
_IMPORT: Final = re.compile(r"^(?:import ([\w.]+)|from ([\w.]+) import ([\w, ]+?))$")
_ALIASED: Final = re.compile(r"^from ([\w.]+) import \w+ as \w+$")
_OPENING: Final = ("(", "[", "{")
_CLOSING: Final = (")", "]", "}")


class LayoutError(ValueError):
    """The derived text cannot be laid out the same way for every answer."""


@dataclass
class Line:
    text: str
    changed: bool = False


def rendered_lengths(text: str) -> tuple[int, int]:
    """The shortest and longest length of `text` once its `{{ ... }}` expressions are rendered."""
    shortest = longest = len(_EXPRESSION.sub("", text))
    for expression in _EXPRESSION.findall(text):
        literal = _LITERAL.match(expression)
        if literal:
            shortest, longest = shortest + len(literal.group(2)), longest + len(literal.group(2))
            continue
        name = expression.split("|")[0].strip()
        if name not in NAME_LENGTHS:
            raise LayoutError(f"cannot tell how long {{{{{expression}}}}} renders")
        low, high = NAME_LENGTHS[name]
        shortest, longest = shortest + low, longest + high
    return shortest, longest


def _member_key(name: str) -> tuple[int, str]:
    """ruff's order-by-type: constants, then classes, then everything else."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _is_import(text: str) -> bool:
    return bool(_IMPORT.match(text) or _ALIASED.match(text))


def _sorted_run(run: Sequence[str]) -> list[str]:
    """Single-line imports merged by module and sorted as ruff does: `import` statements, then
    `from` imports by module, an aliased name on a line of its own after the others."""
    straight: set[str] = set()
    members: dict[str, set[str]] = {}
    aliased: list[tuple[str, str]] = []
    for text in run:
        alias, found = _ALIASED.match(text), _IMPORT.match(text)
        if alias:
            aliased.append((alias.group(1), text))
        elif found and found.group(1):
            straight.add(found.group(1))
        elif found:
            names = {name.strip() for name in found.group(3).split(",") if name.strip()}
            members.setdefault(found.group(2), set()).update(names)
    lines = [
        (module.lower(), 0, f"from {module} import {', '.join(sorted(names, key=_member_key))}")
        for module, names in members.items()
    ] + [(module.lower(), 1, text) for module, text in aliased]
    return [f"import {module}" for module in sorted(straight, key=str.lower)] + [
        text for _, _, text in sorted(lines)
    ]


def tidy_imports(lines: list[Line]) -> list[Line]:
    """Re-sort each run of consecutive single-line imports that holds a changed line."""
    result: list[Line] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and _is_import(lines[end].text):
            end += 1
        if end == index:
            result.append(lines[index])
            index += 1
            continue
        run = lines[index:end]
        if any(line.changed for line in run):
            result += [Line(text, changed=True) for text in _sorted_run([line.text for line in run])]
        else:
            result += run
        index = end
    return result


def without_unused_time_import(lines: list[Line]) -> list[Line]:
    """`import asyncio` became `import time` for `asyncio.sleep`; without one, it goes."""
    if any("time." in line.text for line in lines):
        return lines
    return [line for line in lines if not (line.changed and line.text == "import time")]


def _joinable(opening: str, body: str, closing: str) -> bool:
    stripped = body.strip()
    return (
        opening.rstrip().endswith(_OPENING)
        and closing.strip().startswith(_CLOSING)
        and bool(stripped)
        and not stripped.endswith((",", *_OPENING))
        and "{%" not in opening + body + closing
        and "#" not in body
    )


def join_fitting_constructs(lines: list[Line], source: str) -> list[Line]:
    """Join `head(\\n    body\\n) tail` into one line where a rule shortened it enough to fit."""
    result: list[Line] = []
    index = 0
    while index < len(lines):
        window = lines[index : index + 3]
        if (
            len(window) == 3
            and (window[0].changed or window[1].changed)
            and _joinable(window[0].text, window[1].text, window[2].text)
        ):
            joined = window[0].text.rstrip() + window[1].text.strip() + window[2].text.strip()
            shortest, longest = rendered_lengths(joined)
            if longest <= LINE_LENGTH:
                result.append(Line(joined, changed=True))
                index += 3
                continue
            if shortest <= LINE_LENGTH:
                raise LayoutError(
                    f"{source}: `{joined.strip()}` fits on one line for short names only; "
                    "give it a per-file rewrite (see overrides.py)"
                )
        result.append(lines[index])
        index += 1
    return result
