"""Render tier: the combinations of choices copier.yml offers render into clean services.

Every combination of the questions the code depends on (those the Python sources, tests, migrations
and pyproject.toml use), the others, which shape only metadata such as the CI pipeline or the catalog
entry, cycling through each of their values. Past RENDER_LIMIT combinations (the product grows with
every question), the strongest covering array within the limit instead: every four values of any four
of those questions render together (or three, or two), in a few hundred renders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaffold import TEMPLATE_ROOT, matrix
from scaffold.questions import load_questions, load_spec
from tests.render import checks
from tests.rendering import render

RENDER_LIMIT = 500
AXES = matrix.axes(load_questions())
CODE = [TEMPLATE_ROOT / "template" / name for name in ("src", "tests", "migrations", "pyproject.toml.jinja")]
COMBINATIONS = matrix.bounded(
    AXES, matrix.referenced_in(AXES, CODE), RENDER_LIMIT, matrix.accepted_by(load_spec())
)


def _id(combination: dict[str, Any]) -> str:
    return "-".join(
        "+".join(value) or "none" if isinstance(value, list) else str(value) for value in combination.values()
    )


@pytest.mark.parametrize("answers", COMBINATIONS, ids=[_id(c) for c in COMBINATIONS])
def test_combination_renders_clean(template: Path, tmp_path: Path, answers: dict[str, Any]) -> None:
    service = render(template, tmp_path / "service", answers)

    assert checks.leftover_template_syntax(service) == []
    checks.check_python(service)
    checks.check_data_files(service)
    checks.check_import_contracts(service)
    checks.check_delivery_files(service)
