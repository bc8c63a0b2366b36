"""Update tier: `copier update` between two releases of a throwaway template repository.

2.0.0 changes a template-owned file, adds one, removes one, renames one and renames a question.
An unedited service updates into a fresh copy; a team's edits survive; an overlapping edit is a
reported conflict; an answer change gives the tree a fresh copy with the new answers has.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scaffold import matrix
from scaffold.questions import load_questions, load_spec
from tests.generated.service import service_environment
from tests.render import checks
from tests.rendering import BIN, copier_cli, data_arguments
from tests.update.releases import NEW, NEW_REFERRER, OLD, Releases, build_releases
from tests.update.service_trees import commit, conflicts, copy_service, differences, git

SAMPLE = matrix.each_value(
    matrix.axes(load_questions(), multiselect="extremes"), matrix.accepted_by(load_spec())
)
PACKAGE = "src/my_service"
Recorder = Callable[[str, object], None]


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    return build_releases(tmp_path_factory.mktemp("template"))


def _update(service: Path, *arguments: str) -> float:
    """`copier update` as the generated `make update` runs it; returns how long it took."""
    started = time.monotonic()
    updated = copier_cli("update", "--trust", "--defaults", "--conflict", "inline", *arguments, cwd=service)
    assert updated.returncode == 0, updated.stderr
    return time.monotonic() - started


def _id(answers: dict[str, Any]) -> str:
    shown = {"framework", "database", "cache", "auth", "ci"}
    return "-".join(f"{key}={value}" for key, value in answers.items() if key in shown)


@pytest.mark.parametrize("answers", SAMPLE, ids=[_id(answers) for answers in SAMPLE])
def test_an_unedited_service_updates_into_a_fresh_copy(
    releases: Releases, tmp_path: Path, answers: dict[str, Any], record_property: Recorder
) -> None:
    service = copy_service(releases.source(), tmp_path / "service", OLD, answers)

    seconds = _update(service, "--vcs-ref", NEW)

    fresh = copy_service(releases.source(), tmp_path / "fresh", NEW, answers)
    assert differences(service, fresh) == []
    assert conflicts(service) == []
    record_property("figure", f"update {OLD} -> {NEW} ({_id(answers)}) took {seconds:.2f}s")


def test_a_teams_edits_survive_the_update_and_the_release_arrives(
    releases: Releases, tmp_path: Path, record_property: Recorder
) -> None:
    service = copy_service(releases.source(), tmp_path / "service", OLD, {})
    routes, extensions = service / PACKAGE / "api/routes/reports.py", service / PACKAGE / "api/extensions.py"
    routes.write_text(
        '"""Reports."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter(prefix="/api/v1/reports")\n'
    )
    _edit(
        extensions,
        "from my_service.api.routes import items",
        "from my_service.api.routes import items, reports",
    )
    _edit(extensions, "return [items.router]", "return [items.router, reports.router]")
    _edit(
        service / PACKAGE / "settings.py",
        '    """All of the service\'s settings."""\n',
        '    """All of the service\'s settings."""\n\n    report_retention_days: int = 30\n',
    )
    headers = service / PACKAGE / "api/middleware/security_headers.py"
    _edit(headers, '("/docs", "/redoc")', '("/docs", "/redoc", "/guide")')
    clock = service / PACKAGE / "infrastructure/clock.py"
    _edit(clock, "class SystemClock:\n", 'class SystemClock:\n    """The wall clock, in UTC."""\n\n')
    commit(service, "team edits")

    seconds = _update(service, "--vcs-ref", NEW)

    assert conflicts(service) == []
    assert "reports.router" in extensions.read_text()
    assert routes.exists()
    assert "report_retention_days: int = 30" in (service / PACKAGE / "settings.py").read_text()
    assert '("/docs", "/redoc", "/guide")' in headers.read_text()
    assert NEW_REFERRER in headers.read_text()
    renamed = service / PACKAGE / "infrastructure/system_clock.py"
    assert '"""The wall clock, in UTC."""' in renamed.read_text()
    assert not clock.exists()
    assert (service / "SECURITY.md").exists()
    assert not (service / ".dockerignore").exists()
    assert "team_owner: team-unknown" in (service / ".copier-answers.yml").read_text()
    checks.check_python(service)
    checks.check_import_contracts(service)
    record_property("figure", f"update {OLD} -> {NEW} with team edits took {seconds:.2f}s")


def test_an_overlapping_edit_fails_scaffold_update_and_names_the_file(
    releases: Releases, tmp_path: Path
) -> None:
    service = copy_service(releases.source(), tmp_path / "service", OLD, {})
    headers = service / PACKAGE / "api/middleware/security_headers.py"
    _edit(headers, '(b"referrer-policy", b"no-referrer"),', '(b"referrer-policy", b"same-origin"),')
    commit(service, "a stricter referrer policy of our own")

    updated = checks.run_unchecked(
        str(BIN / "scaffold"), "update", str(service), "--version", NEW, cwd=tmp_path
    )

    assert updated.returncode == 7, updated.stdout + updated.stderr
    assert f"{PACKAGE}/api/middleware/security_headers.py" in updated.stdout + updated.stderr
    assert "<<<<<<< before updating" in headers.read_text()


def test_make_update_fails_on_the_conflict_and_lists_the_file(releases: Releases, tmp_path: Path) -> None:
    """The documented plain-copier workflow of a generated service, `make update`."""
    service = copy_service(releases.source(), tmp_path / "service", OLD, {})
    headers = service / PACKAGE / "api/middleware/security_headers.py"
    _edit(headers, '(b"referrer-policy", b"no-referrer"),', '(b"referrer-policy", b"same-origin"),')
    commit(service, "a stricter referrer policy of our own")

    updated = checks.run_unchecked("make", "update", cwd=service, **service_environment(None))

    assert updated.returncode != 0
    assert "The update left conflicts" in updated.stdout
    assert f"{PACKAGE}/api/middleware/security_headers.py" in updated.stdout


def test_an_answer_change_gives_the_tree_of_a_fresh_copy_with_the_new_answers(
    releases: Releases, tmp_path: Path, record_property: Recorder
) -> None:
    service = copy_service(releases.source(), tmp_path / "service", NEW, {})
    changed = {
        "database": "postgresql",
        "cache": "redis",
        "observability": ["metrics"],
        "rate_limiting": True,
    }

    seconds = _update(service, "--vcs-ref", NEW, *data_arguments(changed))

    fresh = copy_service(releases.source(), tmp_path / "fresh", NEW, changed)
    assert differences(service, fresh) == []
    record_property("figure", f"update with changed answers took {seconds:.2f}s")


def test_a_module_appended_to_the_answer_arrives_as_in_a_fresh_copy(
    releases: Releases, tmp_path: Path
) -> None:
    old = {
        "architecture": "modular_monolith",
        "modules": ["item", "note"],
        "module_plurals": ["items", "notes"],
    }
    new = {**old, "modules": ["item", "note", "task"], "module_plurals": ["items", "notes", "tasks"]}
    service = copy_service(releases.source(), tmp_path / "service", NEW, old)

    _update(service, "--vcs-ref", NEW, *data_arguments(new))

    fresh = copy_service(releases.source(), tmp_path / "fresh", NEW, new)
    assert differences(service, fresh) == []
    assert (service / "migrations/versions/0012_create_tasks.py").is_file()


def test_an_answer_change_leaves_an_edited_scaffold_once_file_alone(
    releases: Releases, tmp_path: Path
) -> None:
    service = copy_service(releases.source(), tmp_path / "service", NEW, {})
    wiring = service / PACKAGE / "wiring.py"
    _edit(wiring, "def build_use_cases(", "def build_use_cases(  # composed by the payments team\n")
    commit(service, "our wiring")

    _update(service, "--vcs-ref", NEW, "-d", "cache=redis")

    assert "composed by the payments team" in wiring.read_text()
    assert "RedisItemCache" not in wiring.read_text()
    assert (service / PACKAGE / "infrastructure/cache/client.py").exists()
    assert git(service, "status", "--porcelain", "--", str(wiring.relative_to(service))) == ""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
