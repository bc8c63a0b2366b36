"""Throwaway git repositories for the CLI's tests: a released template and services generated from it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import copier

from tests.rendering import command_line

SCAFFOLD = Path(sys.executable).parent / "scaffold"
IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main")


def git(*arguments: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", *IDENTITY, *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"git {' '.join(arguments)}: {result.stderr}"
    return result.stdout


def commit_all(repository: Path, message: str) -> None:
    git("add", "--all", cwd=repository)
    git("commit", "--quiet", "--no-verify", "-m", message, cwd=repository)


def released_template(snapshot: Path, destination: Path, tag: str) -> Path:
    """The template snapshot as a git repository whose first commit is tagged `tag`."""
    shutil.copytree(snapshot, destination)
    git("init", "--quiet", cwd=destination)
    commit_all(destination, "The template")
    git("tag", tag, cwd=destination)
    return destination


def release(template: Path, tag: str, relative: str, line: str) -> None:
    """A new release whose only change appends `line` to the template file `relative`."""
    path = template / relative
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    commit_all(template, f"Release {tag}")
    git("tag", tag, cwd=template)


def render(template: Path, destination: Path, tag: str, answers: Mapping[str, Any] | None = None) -> Path:
    copier.run_copy(
        str(template),
        str(destination),
        data=dict(answers or {}),
        vcs_ref=tag,
        defaults=True,
        unsafe=True,
        quiet=True,
        skip_tasks=True,
    )
    return destination


def as_repository(rendered: Path, destination: Path) -> Path:
    """A copy of a rendered service as a git repository with one commit."""
    shutil.copytree(rendered, destination)
    git("init", "--quiet", cwd=destination)
    commit_all(destination, "Generated")
    return destination


def scaffold(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the scaffold command as a user would, without a terminal."""
    return command_line("scaffold", *arguments, cwd=cwd)
