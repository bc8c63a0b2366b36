"""Generated services as git repositories, and their files as comparable trees."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.rendering import copier_cli, data_arguments

IGNORED = {".git"}


def git(service: Path, *arguments: str) -> str:
    result = subprocess.run(["git", *arguments], cwd=service, capture_output=True, text=True, check=True)
    return result.stdout


def copy_service(source: str, destination: Path, version: str, answers: Mapping[str, Any]) -> Path:
    """`copier copy` at `version`, committed as a team would before working on it."""
    copied = copier_cli(
        "copy",
        "--trust",
        "--defaults",
        "--vcs-ref",
        version,
        *data_arguments(answers),
        source,
        str(destination),
    )
    assert copied.returncode == 0, copied.stderr
    commit(destination, "generated")
    return destination


def commit(service: Path, message: str) -> None:
    git(service, "add", "--all")
    git(service, "commit", "--quiet", "--allow-empty", "--message", message)


def tree(root: Path) -> dict[str, bytes]:
    """Every file below `root` (but .git) by relative path, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not IGNORED.intersection(path.relative_to(root).parts)
    }


def differences(first: Path, second: Path) -> list[str]:
    """The relative paths whose presence or content differ between two trees."""
    one, other = tree(first), tree(second)
    return sorted(path for path in one.keys() | other.keys() if one.get(path) != other.get(path))


def conflicts(service: Path) -> list[str]:
    """Files a copier update left unmerged or with rejected hunks."""
    unmerged = git(service, "diff", "--name-only", "--diff-filter=U").split()
    rejected = [
        path
        for path in git(service, "ls-files", "--others", "--exclude-standard").split()
        if path.endswith(".rej")
    ]
    return sorted(set(unmerged) | set(rejected))
