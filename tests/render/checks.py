"""Checks every rendered service must pass without installing it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import tomllib
from pathlib import Path

import yaml

from tests.rendering import BIN

LEFTOVER_MARKERS = ("{{", "{%")
# CloudFormation's own double-brace syntax (template.yaml of the serverless style), not Jinja's.
DYNAMIC_REFERENCE = "{{resolve:"
SKIPPED_DIRECTORIES = {".git", ".venv", "__pycache__", ".ruff_cache"}
CI_SCHEMAS = {
    ".github/workflows/ci.yml": "vendor.github-workflows",
    ".gitlab-ci.yml": "vendor.gitlab-ci",
    "compose.yaml": "vendor.compose-spec",
}


def files(root: Path) -> list[Path]:
    return [
        path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not SKIPPED_DIRECTORIES.intersection(path.relative_to(root).parts)
    ]


def run_unchecked(*command: str, cwd: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **environment},
    )


def run(*command: str, cwd: Path, **environment: str) -> str:
    """Run a tool; fail with its output when it fails."""
    result = run_unchecked(*command, cwd=cwd, **environment)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def leftover_template_syntax(root: Path) -> list[str]:
    problems = []
    for path in files(root):
        relative = path.relative_to(root)
        if path.name.endswith(".jinja") or "{" in str(relative):
            problems.append(f"{relative}: template file name")
            continue
        text = path.read_text(encoding="utf-8").replace(DYNAMIC_REFERENCE, "")
        problems += [f"{relative}: {marker!r}" for marker in LEFTOVER_MARKERS if marker in text]
    return problems


def check_python(root: Path) -> None:
    for path in files(root):
        if path.suffix == ".py":
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
    run(str(BIN / "ruff"), "check", "--no-cache", ".", cwd=root)
    run(str(BIN / "ruff"), "format", "--no-cache", "--check", ".", cwd=root)


def check_data_files(root: Path) -> None:
    for path in files(root):
        if path.suffix == ".toml":
            tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in {".yml", ".yaml"}:
            list(yaml.safe_load_all(path.read_text(encoding="utf-8")))


_PASSED: set[str] = set()
"""Fingerprints of inputs a slow check already passed in this process: combinations that render the
same files (say, differing only in catalog metadata) are checked once."""


def _fingerprint(check: str, root: Path, paths: list[Path]) -> str:
    digest = hashlib.sha256(check.encode())
    for path in paths:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def check_import_contracts(root: Path) -> None:
    inputs = [root / "pyproject.toml", *(path for path in files(root / "src") if path.suffix == ".py")]
    fingerprint = _fingerprint("lint-imports", root, inputs)
    if fingerprint in _PASSED:
        return
    output = run(str(BIN / "lint-imports"), "--no-cache", cwd=root, PYTHONPATH=str(root / "src"))
    assert "0 broken" in output, output
    _PASSED.add(fingerprint)


def check_delivery_files(root: Path) -> None:
    """The Dockerfile passes hadolint; CI pipelines and compose.yaml match their schemas."""
    present = [relative for relative in ("Dockerfile", *CI_SCHEMAS) if (root / relative).exists()]
    fingerprint = _fingerprint("delivery", root, [root / relative for relative in present])
    if fingerprint in _PASSED:
        return
    run(str(BIN / "hadolint"), "--failure-threshold", "info", "Dockerfile", cwd=root)
    for relative, schema in CI_SCHEMAS.items():
        if relative in present:
            run(str(BIN / "check-jsonschema"), "--builtin-schema", schema, relative, cwd=root)
    _PASSED.add(fingerprint)
