"""What a service looked like before `copier update`: its answers at HEAD and a render of them.

Shared by the update tasks and migrations in this folder; they run with copier's own Python, so
copier and pyyaml are importable.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import copier
import yaml

ANSWERS_FILE = ".copier-answers.yml"


def answers_at_head(project: Path) -> dict[str, Any] | None:
    """The answers file as last committed, before this update touched it."""
    shown = subprocess.run(
        ["git", "show", f"HEAD:./{ANSWERS_FILE}"], cwd=project, capture_output=True, text=True, check=False
    )
    return yaml.safe_load(shown.stdout) if shown.returncode == 0 else None


def current_answers(project: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    return loaded


def questions(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to questions, without copier's own keys (_commit, _src_path)."""
    return {key: value for key, value in answers.items() if not key.startswith("_")}


def template_source(answers: Mapping[str, Any], project: Path) -> str:
    """The recorded template source; a relative path is taken relative to the project."""
    source = str(answers["_src_path"])
    if "://" in source or source.startswith("git@") or Path(source).is_absolute():
        return source
    return str((project / source).resolve())


@contextmanager
def rendered(source: str, ref: str | None, answers: Mapping[str, Any]) -> Iterator[Path]:
    """A throwaway render of the template at `ref` with `answers` (no tasks run)."""
    with tempfile.TemporaryDirectory(prefix="scaffold-render-") as folder:
        destination = Path(folder) / "service"
        copier.run_copy(
            source,
            str(destination),
            data=questions(answers),
            vcs_ref=ref,
            defaults=True,
            unsafe=True,
            quiet=True,
            skip_tasks=True,
        )
        yield destination
