"""Copier task after `copier update`: when answers changed, bring unedited scaffold-once files along.

Scaffold-once files (the example resource, ARCHITECTURE.md, the first migration, ...) are the
team's after `copier copy`, so copier.yml excludes them from every update. When an update also
changes answers (`copier update -d cache=redis`), this task re-renders those the team never
edited, adds the new ones the answers bring and removes unedited ones the answers drop, so the
service matches a fresh copy with the new answers. Edited files are left alone and listed.

Usage: refresh_scaffold_once.py NEW_TEMPLATE_PATH. Running it twice changes nothing more.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pathspec
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from template_history import answers_at_head, current_answers, questions, rendered, template_source


def scaffold_once_patterns(template: Path, answers: dict[str, Any]) -> pathspec.PathSpec:
    """copier.yml's `scaffold_once` paths, rendered for `answers`."""
    config = yaml.safe_load((template / "copier.yml").read_text(encoding="utf-8"))
    environment = SandboxedEnvironment(
        undefined=StrictUndefined, extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"]
    )
    text = environment.from_string(config["scaffold_once"]["default"]).render(**questions(answers))
    return pathspec.PathSpec.from_lines("gitwildmatch", yaml.safe_load(text))


def matching(root: Path, patterns: pathspec.PathSpec) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and patterns.match_file(path.relative_to(root).as_posix())
    }


def refresh(project: Path, new_template: Path) -> list[str]:
    """Apply the answer change to unedited scaffold-once files; return the edited ones kept."""
    before, after = answers_at_head(project), current_answers(project)
    if before is None or questions(before) == questions(after):
        return []
    kept: list[str] = []
    with (
        rendered(template_source(before, project), before.get("_commit"), before) as base,
        rendered(str(new_template), "HEAD", after) as target,
    ):
        paths = matching(base, scaffold_once_patterns(new_template, before)) | matching(
            target, scaffold_once_patterns(new_template, after)
        )
        for relative in sorted(paths):
            ours, old, new = project / relative, base / relative, target / relative
            if old.exists() and not ours.exists():
                continue
            if ours.exists() and (not old.exists() or ours.read_bytes() != old.read_bytes()):
                if not new.exists() or ours.read_bytes() != new.read_bytes():
                    kept.append(relative)
                continue
            if new.exists():
                ours.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(new, ours)
            else:
                ours.unlink()
    return kept


def main() -> int:
    kept = refresh(Path.cwd(), Path(sys.argv[1]))
    if kept:
        print("These files are yours and you edited them, so the new answers did not change them:")
        print("\n".join(f"  {path}" for path in kept))
        print("Compare them with a fresh `copier copy` of the new answers and adapt them by hand.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
