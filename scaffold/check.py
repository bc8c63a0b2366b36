"""`scaffold check`: is a service healthy with respect to its template?

Four checks: the answers file is present and valid for the template version it records; that version
and the newer releases at the source; template-owned files changed since generation (against a fresh
render at the recorded version with the recorded answers); the generated import-linter contracts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from scaffold.answers import Questionnaire
from scaffold.copying import copy_template
from scaffold.errors import ScaffoldError
from scaffold.ownership import Ownership
from scaffold.questions import TemplateSpec
from scaffold.service import Service
from scaffold.source import TemplateSource, is_remote

Status = Literal["pass", "warn", "fail", "skip"]
CONTRACTS_SUMMARY = re.compile(r"Contracts: (\d+) kept, (\d+) broken")
IGNORED_PARTS = {".git"}


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    summary: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    service: str
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return all(finding.status != "fail" for finding in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "passed": self.passed,
            "checks": [{**asdict(finding), "details": list(finding.details)} for finding in self.findings],
        }


@dataclass(frozen=True)
class _Recorded:
    """What the answers file says, once it has been read."""

    answers: dict[str, Any]
    source: TemplateSource
    commit: str | None
    spec: TemplateSpec


def check_service(path: Path) -> CheckReport:
    """Run every check; a check that needs what an earlier one could not read is skipped."""
    service = Service(path.resolve())
    answers_finding, recorded = _check_answers(service)
    findings = [answers_finding]
    if recorded is None:
        skipped = "the answers file could not be used"
        findings += [Finding(name, "skip", skipped) for name in ("version", "modified")]
    else:
        findings += [_check_version(recorded), _check_modified(service, recorded)]
    findings.append(_check_contracts(service.path))
    return CheckReport(str(service.path), tuple(findings))


def _check_answers(service: Service) -> tuple[Finding, _Recorded | None]:
    try:
        answers = service.answers()
        source_text = answers.get("_src_path")
        if not source_text:
            return Finding("answers", "fail", f"{service.answers_file} records no _src_path"), None
        if not is_remote(str(source_text)) and not Path(str(source_text)).is_absolute():
            return Finding(
                "answers",
                "fail",
                f"_src_path {source_text!r} is relative; updates need an absolute path or a URL",
            ), None
        commit = answers.get("_commit")
        source = TemplateSource.of(str(source_text))
        spec = source.spec(None if commit is None else str(commit))
        recorded = _Recorded(answers, source, None if commit is None else str(commit), spec)
        problems = _answer_problems(recorded)
    except ScaffoldError as error:
        return Finding("answers", "fail", str(error)), None
    if problems:
        return Finding(
            "answers", "fail", f"{service.answers_file} does not fit the template", problems
        ), recorded
    count = len([name for name in answers if not name.startswith("_")])
    return Finding("answers", "pass", f"{service.answers_file}: {count} valid answers"), recorded


def _answer_problems(recorded: _Recorded) -> tuple[str, ...]:
    asked = {question.name for question in recorded.spec.asked}
    given = {name: value for name, value in recorded.answers.items() if not name.startswith("_")}
    problems = [f"{name}: the template has no such question" for name in sorted(set(given) - asked)]
    known = {name: value for name, value in given.items() if name in asked}
    try:
        answered = Questionnaire(recorded.spec, data=known, defaults=True, data_origin="recorded").run()
    except ScaffoldError as error:
        return (*problems, str(error))
    problems += [f"{name}: no answer recorded" for name, answer in answered.items() if name not in known]
    return tuple(problems)


def _check_version(recorded: _Recorded) -> Finding:
    if recorded.commit is None:
        return Finding(
            "version", "warn", "no template version recorded (_commit): the source is not versioned"
        )
    try:
        newer = recorded.source.newer_than(recorded.commit)
    except ScaffoldError as error:
        return Finding("version", "fail", str(error))
    if newer:
        return Finding(
            "version",
            "warn",
            f"{recorded.commit}; {len(newer)} newer release(s), latest {newer[-1]}",
            tuple(newer),
        )
    return Finding("version", "pass", f"{recorded.commit}; no newer release at {recorded.source.location}")


def _check_modified(service: Service, recorded: _Recorded) -> Finding:
    answers = {name: value for name, value in recorded.answers.items() if not name.startswith("_")}
    with tempfile.TemporaryDirectory(prefix="scaffold-check-") as scratch:
        fresh = Path(scratch) / service.name
        try:
            copy_template(recorded.source, recorded.commit, fresh, answers, skip_tasks=True)
        except ScaffoldError as error:
            return Finding("modified", "fail", f"cannot render the recorded version: {error}")
        ownership = Ownership(recorded.spec, answers)
        changed = template_owned_changes(service.path, fresh, ownership, service.answers_file)
    if changed:
        return Finding("modified", "fail", f"{len(changed)} template-owned file(s) changed", tuple(changed))
    return Finding("modified", "pass", "no template-owned file changed")


def template_owned_changes(service: Path, fresh: Path, ownership: Ownership, answers_file: str) -> list[str]:
    """Template-owned files of `fresh` that differ in `service` ("path") or are gone ("path (deleted)")."""
    changes = []
    for path in sorted(fresh.rglob("*")):
        relative = path.relative_to(fresh)
        name = relative.as_posix()
        if not path.is_file() or IGNORED_PARTS & set(relative.parts) or name == answers_file:
            continue
        if not ownership.is_template_owned(name):
            continue
        ours = service / relative
        if not ours.is_file():
            changes.append(f"{name} (deleted)")
        elif ours.read_bytes() != path.read_bytes():
            changes.append(name)
    return changes


def _check_contracts(path: Path) -> Finding:
    pyproject = path / "pyproject.toml"
    if not pyproject.is_file() or "[tool.importlinter]" not in pyproject.read_text(encoding="utf-8"):
        return Finding("contracts", "skip", "no import-linter contracts in pyproject.toml")
    executable = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which(
        "lint-imports"
    )
    if executable is None:
        return Finding("contracts", "fail", "lint-imports (import-linter) is not installed")
    result = subprocess.run(
        [executable, "--no-cache"],
        cwd=path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(path / "src")},
    )
    summary = CONTRACTS_SUMMARY.search(result.stdout)
    if summary is None:
        lines = (result.stderr or result.stdout).strip().splitlines()
        return Finding("contracts", "fail", f"lint-imports failed: {lines[-1] if lines else 'no output'}")
    kept, broken = summary.groups()
    broken_lines = tuple(line.strip() for line in result.stdout.splitlines() if line.endswith("BROKEN"))
    status: Status = "pass" if result.returncode == 0 and broken == "0" else "fail"
    return Finding("contracts", status, f"{kept} kept, {broken} broken", broken_lines)
