"""copier's Python API (run_copy, run_update) with copier's failures turned into one-line errors."""

from __future__ import annotations

import subprocess
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import copier
from copier.errors import CopierError
from plumbum import ProcessExecutionError

from scaffold.compile_cache import reuse_compiled_templates
from scaffold.errors import CopierFailed, InvalidAnswer
from scaffold.source import TemplateSource


@contextmanager
def copier_failures(action: str) -> Iterator[None]:
    """Silence copier's warnings and report its failures as CopierFailed (InvalidAnswer for answers)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            yield
        except (CopierError, ProcessExecutionError, subprocess.CalledProcessError, OSError) as error:
            raise CopierFailed(f"{action} failed: {_first_line(error)}") from error
        except ValueError as error:
            raise InvalidAnswer(f"{action}: copier refused an answer: {_first_line(error)}") from error


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def copy_template(
    source: TemplateSource,
    ref: str | None,
    destination: Path,
    answers: Mapping[str, Any],
    *,
    skip_tasks: bool = False,
) -> None:
    """Render the template at `ref` into `destination` with exactly these answers."""
    reuse_compiled_templates()
    with copier_failures(f"rendering {source.location}"):
        copier.run_copy(
            source.location,
            str(destination),
            data=dict(answers),
            vcs_ref=ref,
            defaults=True,
            unsafe=True,
            quiet=True,
            skip_tasks=skip_tasks,
        )


def update_project(destination: Path, ref: str | None) -> None:
    """copier update in place: recorded answers kept, new questions take their defaults, conflicts inline."""
    reuse_compiled_templates()
    with copier_failures(f"updating {destination}"):
        copier.run_update(
            str(destination),
            vcs_ref=ref,
            defaults=True,
            overwrite=True,
            skip_answered=True,
            unsafe=True,
            quiet=True,
            conflict="inline",
        )
