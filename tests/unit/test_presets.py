"""Presets: the shipped examples hold, and every mistake names the file, the key and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold import TEMPLATE_ROOT
from scaffold.errors import InvalidPreset
from scaffold.presets import find_preset, load_preset
from scaffold.questions import TemplateSpec, load_spec
from tests.unit.repositories import scaffold

EXAMPLES = sorted((TEMPLATE_ROOT / "examples").glob("*.yml"))


@pytest.fixture(scope="module")
def spec(template: Path) -> TemplateSpec:
    return load_spec(template / "copier.yml")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "team.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_example_presets_are_shipped() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_the_examples_fit_the_template(path: Path, spec: TemplateSpec) -> None:
    preset = load_preset(path)
    constraints = preset.constraints(spec)

    assert constraints.locked or constraints.allowed
    assert preset.catalog.lifecycle is not None


def test_a_preset_is_found_by_name() -> None:
    assert find_preset("sandbox").path == TEMPLATE_ROOT / "examples" / "sandbox.yml"


def test_catalog_owner_groups_become_the_allowed_owners(tmp_path: Path, spec: TemplateSpec) -> None:
    preset = load_preset(
        write(tmp_path, "catalog: {owner_groups: [team-a, team-b], lifecycle: production}\n")
    )

    assert preset.constraints(spec).allowed["owner"] == ("team-a", "team-b")
    assert preset.unrecorded_catalog_keys(spec) == [key for key in ["lifecycle"] if spec.get(key) is None]


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        ("colour: blue\n", "(top level).colour", "name, description, template, defaults, locked"),
        ("locked: {database: oracle}\n", "locked.database", "sqlite, postgresql"),
        ("defaults: {observability: [logs]}\n", "defaults.observability", "metrics, tracing"),
        ("allowed: {database: [sqlite, oracle]}\n", "allowed.database", "sqlite, postgresql"),
        ("allowed: {owner: [team-a]}\n", "allowed.owner", "only questions with choices"),
        ("locked: {colour: blue}\n", "locked.colour", "the questions are: project_name"),
        ("catalog: {lifecycle: forever}\n", "catalog.lifecycle", "experimental, production, deprecated"),
        ("template: {branch: main}\n", "template.branch", "source, version"),
        ("locked: {ci: gitlab}\nallowed: {ci: [github]}\n", "locked.ci", "allowed.ci: github"),
        ("locked: {ci: gitlab}\ndefaults: {ci: gitlab}\n", "defaults.ci", "is also locked"),
    ],
)
def test_mistakes_name_the_file_the_key_and_the_allowed_values(
    tmp_path: Path, spec: TemplateSpec, text: str, key: str, allowed: str
) -> None:
    path = write(tmp_path, text)

    with pytest.raises(InvalidPreset) as raised:
        load_preset(path).constraints(spec)

    assert str(raised.value).startswith(f"{path}: {key}: ")
    assert allowed in str(raised.value)


def test_a_bad_preset_fails_the_cli_in_one_line_with_code_3(tmp_path: Path, template: Path) -> None:
    path = write(tmp_path, "locked:\n  database: oracle\n")

    result = scaffold(
        "new", str(tmp_path / "svc"), "--preset", str(path), "--defaults", "--template", str(template)
    )

    assert result.returncode == 3
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        f"scaffold: {path}: locked.database: 'oracle' is not a choice; allowed: sqlite"
    )
    assert not (tmp_path / "svc").exists()


def test_yaml_errors_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "locked:\n  ci: [gitlab\n")

    with pytest.raises(InvalidPreset, match=rf"^{path}: not valid YAML \(line \d+\)$"):
        load_preset(path)
