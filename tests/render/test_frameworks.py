"""The inner layers do not depend on the framework: domain/, application/ and infrastructure/ are
the same bytes for every asynchronous framework, for the same answers (DESIGN.md 4.1).

Flask, the synchronous framework, gets a variant derived from them (see test_sync_variant.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaffold.questions import load_questions
from tests.rendering import render

SYNCHRONOUS = {"flask"}
ASYNCHRONOUS = [
    framework
    for framework in next(q for q in load_questions() if q.name == "framework").choices
    if framework not in SYNCHRONOUS
]
INNER_LAYERS = ("domain", "application", "infrastructure")
SAMPLES = [
    pytest.param({}, id="defaults"),
    pytest.param({"database": "postgresql", "cache": "redis", "observability": []}, id="postgresql-redis"),
    pytest.param({"database": "mysql", "error_format": "problem_details"}, id="mysql-problem-details"),
]


def _inner_layers(service: Path) -> dict[str, bytes]:
    package = service / "src" / "my_service"
    return {
        path.relative_to(package).as_posix(): path.read_bytes()
        for layer in INNER_LAYERS
        for path in sorted((package / layer).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.mark.parametrize("answers", SAMPLES)
def test_the_inner_layers_are_identical_for_every_asynchronous_framework(
    template: Path, tmp_path: Path, answers: dict[str, Any]
) -> None:
    layers = {
        framework: _inner_layers(render(template, tmp_path / framework, {**answers, "framework": framework}))
        for framework in ASYNCHRONOUS
    }

    reference = layers[ASYNCHRONOUS[0]]
    assert reference, "no inner-layer files rendered"
    for framework, files in layers.items():
        assert files == reference, f"{framework} differs from {ASYNCHRONOUS[0]}"
