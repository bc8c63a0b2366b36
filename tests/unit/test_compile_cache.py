"""Sharing compiled Jinja code between copier's environments changes nothing that is rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rendering import copier_cli, data_arguments, render


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


@pytest.mark.parametrize(
    "answers",
    [
        {},
        # Every module is rendered through copier's yield tag, whose extension resets its state when
        # a source is compiled: the cache must keep that working.
        {"architecture": "modular_monolith", "modules": ["item", "note", "tag"]},
    ],
    ids=["defaults", "modular_monolith"],
)
def test_renders_with_shared_compiled_code_equal_copier_s_own(
    template: Path, tmp_path: Path, answers: dict[str, Any]
) -> None:
    arguments = ("--trust", "--defaults", "--skip-tasks", *data_arguments(answers))
    copied = copier_cli("copy", *arguments, str(template), str(tmp_path / "cli"))
    assert copied.returncode == 0, copied.stderr

    first = render(template, tmp_path / "first", answers)
    second = render(template, tmp_path / "second", answers)

    expected = _tree(tmp_path / "cli")
    assert _tree(first) == expected
    assert _tree(second) == expected
