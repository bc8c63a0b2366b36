"""Rendering the template in tests: from a snapshot of the working tree, or through the copier CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import copier

from scaffold import TEMPLATE_ROOT
from scaffold.compile_cache import reuse_compiled_templates

TEMPLATE_PARTS = ("copier.yml", "template", "hooks")
BIN = Path(sys.executable).parent


def snapshot_template(destination: Path) -> Path:
    """Copy the template's working tree (uncommitted edits included) to a folder outside git.

    Rendering from a plain folder skips copier's git clone, which the render tier would otherwise
    pay for every combination.
    """
    for part in TEMPLATE_PARTS:
        source = TEMPLATE_ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    return destination


def render(template: Path, destination: Path, answers: Mapping[str, Any]) -> Path:
    """Render with `answers` and defaults for the rest, without the post-copy tasks."""
    reuse_compiled_templates()
    copier.run_copy(
        str(template),
        str(destination),
        data=dict(answers),
        defaults=True,
        unsafe=True,
        quiet=True,
        skip_tasks=True,
    )
    return destination


def command_line(program: str, *arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run an installed command (copier, scaffold) as a user would: no terminal, no colour."""
    return subprocess.run(
        [str(BIN / program), *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def copier_cli(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return command_line("copier", *arguments, cwd=cwd)


def copy_working_tree(destination: Path, answers: Mapping[str, Any]) -> None:
    """`copier copy --trust --defaults` of this repository at HEAD with its uncommitted edits, as
    a user would run it, with `answers`."""
    copied = copier_cli(
        "copy",
        "--trust",
        "--defaults",
        "--vcs-ref",
        "HEAD",
        *data_arguments(answers),
        str(TEMPLATE_ROOT),
        str(destination),
    )
    if copied.returncode != 0:
        raise AssertionError(f"copier copy {dict(answers)} failed:\n{copied.stderr}")


def data_arguments(answers: Mapping[str, Any]) -> list[str]:
    """`-d key=value` arguments; lists (multiselect answers) are passed as YAML."""
    arguments = []
    for name, value in answers.items():
        text = "[" + ", ".join(value) + "]" if isinstance(value, list) else str(value)
        arguments += ["-d", f"{name}={text}"]
    return arguments
