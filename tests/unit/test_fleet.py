"""`scaffold fleet status` and `scaffold fleet update` over 20 services at three template versions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.unit.fleet_fixture import CONFLICTING, DIRTY, build_fleet
from tests.unit.repositories import git, scaffold

STATUS_TABLE = """\
service   version   latest   behind   dirty   conflicts
───────────────────────────────────────────────────────
svc-01    1.0.0     2.0.0    2        no      -
svc-02    1.0.0     2.0.0    2        yes     -
svc-03    1.0.0     2.0.0    2        no      -
svc-04    1.0.0     2.0.0    2        no      -
svc-05    1.0.0     2.0.0    2        no      -
svc-06    1.1.0     2.0.0    1        no      -
svc-07    1.1.0     2.0.0    1        yes     -
svc-08    1.1.0     2.0.0    1        no      -
svc-09    1.1.0     2.0.0    1        no      -
svc-10    1.1.0     2.0.0    1        no      -
svc-11    2.0.0     2.0.0    0        no      -
svc-12    2.0.0     2.0.0    0        yes     -
svc-13    2.0.0     2.0.0    0        no      -
svc-14    2.0.0     2.0.0    0        no      -
svc-15    2.0.0     2.0.0    0        no      -
svc-16    2.0.0     2.0.0    0        no      -
svc-17    2.0.0     2.0.0    0        no      -
svc-18    2.0.0     2.0.0    0        no      -
svc-19    2.0.0     2.0.0    0        no      -
svc-20    2.0.0     2.0.0    0        no      -
20 services: 10 current, 10 behind, 3 dirty, 0 with conflicts, 0 unreadable
"""

UPDATED = ["svc-01", "svc-03", "svc-05", "svc-06", "svc-08", "svc-09", "svc-10"]
UPDATE_ROWS = {
    **{service: ("updated", "scaffold/update-2.0.0", "-") for service in UPDATED},
    CONFLICTING: ("conflicts", "scaffold/update-2.0.0", "AGENTS.md"),
    **{
        service: ("dirty", "-", f"not touched: uncommitted changes in {file}")
        for service, file in DIRTY.items()
    },
}


@pytest.fixture(scope="module")
def fleet(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, services = build_fleet(template, tmp_path_factory.mktemp("fleet"))
    return services


def heads(fleet: Path) -> dict[str, str]:
    return {path.name: git("rev-parse", "HEAD", cwd=path).strip() for path in sorted(fleet.iterdir())}


def test_status_prints_the_exact_table(fleet: Path) -> None:
    result = scaffold("fleet", "status", str(fleet), "--jobs", "4")

    assert result.returncode == 0, result.stderr
    assert result.stdout == STATUS_TABLE


def test_status_json_holds_the_same_data(fleet: Path, tmp_path: Path) -> None:
    report_file = tmp_path / "report.yaml"
    table_rows = [line.split() for line in STATUS_TABLE.splitlines()[2:-1]]

    result = scaffold("fleet", "status", str(fleet), "--json", "--report", str(report_file))
    report = json.loads(result.stdout)

    assert result.returncode == 0, result.stderr
    assert report["summary"] == {
        "services": 20,
        "current": 10,
        "behind": 10,
        "dirty": 3,
        "conflicts": 0,
        "problems": 0,
    }
    assert [
        [s["service"], s["version"], s["latest"], str(s["behind"]), "yes" if s["dirty"] else "no", "-"]
        for s in report["services"]
    ] == table_rows
    assert {s["source"] for s in report["services"]} == {str(fleet.parent / "template")}
    assert all(s["conflicts"] == [] and s["problem"] == "" for s in report["services"])
    assert yaml.safe_load(report_file.read_text(encoding="utf-8")) == report


def test_status_reads_a_repos_file(fleet: Path, tmp_path: Path) -> None:
    repos = tmp_path / "repos.txt"
    repos.write_text(f"# two of them\n{fleet / 'svc-02'}\n{fleet / 'svc-11'}  # the current one\n")

    result = scaffold("fleet", "status", "--repos", str(repos), "--json")

    assert [(s["version"], s["behind"], s["dirty"]) for s in json.loads(result.stdout)["services"]] == [
        ("1.0.0", 2, True),
        ("2.0.0", 0, False),
    ]


def test_update_touches_only_clean_services_each_on_its_own_branch(fleet: Path, tmp_path: Path) -> None:
    copy = tmp_path / "fleet"
    shutil.copytree(fleet, copy, symlinks=True)
    before = heads(copy)

    result = scaffold("fleet", "update", str(copy), "--jobs", "2")
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[2:-1]}

    assert result.returncode == 1
    for service, line in rows.items():
        outcome, branch, note = UPDATE_ROWS.get(service, ("current", "-", "-"))
        assert line.split(None, 5)[1] == outcome, line
        assert line.split(None, 5)[4] == branch, line
        assert line.split(None, 5)[5] == note, line
    assert result.stdout.splitlines()[-1] == (
        "20 services: 7 updated, 9 current, 3 dirty (not touched), 1 with conflicts, 0 failed"
    )
    after = heads(copy)
    for service in UPDATED:
        assert git("log", "-1", "--format=%s", cwd=copy / service).strip() == "Update the template to 2.0.0"
        assert git("status", "--porcelain", cwd=copy / service) == ""
        assert git("rev-parse", "main", cwd=copy / service).strip() == before[service]
    for service in [*DIRTY, CONFLICTING]:
        assert after[service] == before[service]
    for service in DIRTY:
        assert git("branch", "--show-current", cwd=copy / service).strip() == "main"
    assert "Release 2.0.0 adds this line." in (copy / "svc-01" / "AGENTS.md").read_text(encoding="utf-8")

    status = json.loads(scaffold("fleet", "status", str(copy), "--json").stdout)
    by_service = {s["service"]: s for s in status["services"]}

    assert by_service[CONFLICTING]["conflicts"] == ["AGENTS.md"]
    assert by_service[CONFLICTING]["dirty"] is True
    assert {s["service"] for s in status["services"] if s["behind"] == 0} == (
        set(by_service) - {"svc-02", "svc-07"}
    )
