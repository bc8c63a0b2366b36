"""`scaffold new` without a terminal: presets, --data, template sources, and one-line failures."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold import TEMPLATE_ROOT
from tests.unit.repositories import released_template, scaffold


def recorded(service: Path) -> dict[str, object]:
    return yaml.safe_load((service / ".copier-answers.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def released(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return released_template(template, tmp_path_factory.mktemp("released") / "template", "1.0.0")


def test_a_preset_with_defaults_generates_a_service_that_honours_it(tmp_path: Path) -> None:
    preset = TEMPLATE_ROOT / "examples" / "payments-platform.yml"

    result = scaffold("new", "svc", "--preset", str(preset), "--defaults", cwd=tmp_path)
    answers = recorded(tmp_path / "svc")
    catalog = list(yaml.safe_load_all((tmp_path / "svc" / "catalog-info.yaml").read_text(encoding="utf-8")))

    assert result.returncode == 0, result.stderr
    assert answers["database"] == "postgresql"
    assert answers["ci"] == "gitlab"
    assert answers["error_format"] == "problem_details"
    assert answers["owner"] == "team-payments"
    assert answers["_src_path"] == str(TEMPLATE_ROOT)
    assert catalog[0]["spec"]["owner"] == "team-payments"
    assert (tmp_path / "svc" / ".gitlab-ci.yml").is_file()
    assert not (tmp_path / "svc" / ".github").exists()


def test_a_relative_template_source_is_recorded_absolute(released: Path) -> None:
    workdir = released.parent / "work"
    workdir.mkdir()

    result = scaffold(
        "new", "svc", "--defaults", "--template", "../template", "-d", "project_name=Billing", cwd=workdir
    )
    answers = recorded(workdir / "svc")

    assert result.returncode == 0, result.stderr
    assert answers["_src_path"] == str(released)
    assert answers["_commit"] == "1.0.0"
    assert answers["project_slug"] == "billing"
    assert f"from {released} at 1.0.0" in result.stdout


def test_data_file_answers_and_the_default_destination(template: Path, tmp_path: Path) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_text("project_name: Ledger\nobservability: [tracing]\n", encoding="utf-8")

    result = scaffold(
        "new", "--defaults", "--template", str(template), "--data-file", str(data_file), cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert recorded(tmp_path / "ledger")["observability"] == ["tracing"]


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (
            ["--defaults", "-d", "project_slug=Bad Slug"],
            4,
            "project_slug = 'Bad Slug' (--data) is refused: Use",
        ),
        (["--defaults", "-d", "colour=blue"], 4, "unknown question 'colour' in --data"),
        (["--defaults", "--template", "/nowhere"], 5, "template source /nowhere: no such directory"),
        (["--defaults", "--version", "9.9.9"], 5, "has no version '9.9.9'"),
        (["--defaults", "--preset", "no-such-preset"], 3, "no-such-preset: no such preset file or name"),
        ([], 9, "no terminal for the wizard; pass --defaults"),
        (["--defaults", "--bogus"], 2, "unrecognized arguments: --bogus"),
    ],
)
def test_failures_are_one_line_with_a_documented_code(
    released: Path, tmp_path: Path, arguments: list[str], code: int, message: str
) -> None:
    template = [] if "--template" in arguments else ["--template", str(released)]

    result = scaffold("new", str(tmp_path / "svc"), *template, *arguments)

    assert result.returncode == code
    assert result.stderr.startswith("scaffold: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "svc").exists()


def test_an_occupied_destination_is_refused(template: Path, tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "keep.txt").write_text("ours\n", encoding="utf-8")

    result = scaffold("new", str(tmp_path / "svc"), "--defaults", "--template", str(template))

    assert result.returncode == 10
    assert result.stderr == f"scaffold: {tmp_path / 'svc'} exists and is not empty; choose a new folder\n"
    assert [path.name for path in (tmp_path / "svc").iterdir()] == ["keep.txt"]
