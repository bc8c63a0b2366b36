"""A fleet of 20 services generated from a throwaway template with three releases.

- 1.0.0: svc-01 .. svc-05; svc-02 is dirty (an untracked file); svc-04 committed its own last line
  of AGENTS.md, which 1.1.0 also changes, so updating it conflicts;
- 1.1.0: svc-06 .. svc-10; svc-07 is dirty (a modified AGENTS.md);
- 2.0.0: svc-11 .. svc-20; svc-12 is dirty (a modified Makefile).

Each release appends one line to one template file, so updates stay small and fast.
"""

from __future__ import annotations

from pathlib import Path

from tests.unit.repositories import as_repository, commit_all, release, released_template, render

RELEASES = {
    "1.0.0": range(1, 6),
    "1.1.0": range(6, 11),
    "2.0.0": range(11, 21),
}
DIRTY = {"svc-02": "notes.txt", "svc-07": "AGENTS.md", "svc-12": "Makefile"}
CONFLICTING = "svc-04"


def name(number: int) -> str:
    return f"svc-{number:02d}"


def build_fleet(snapshot: Path, workspace: Path) -> tuple[Path, Path]:
    """(the template repository, the folder holding the 20 services)."""
    template = released_template(snapshot, workspace / "template", "1.0.0")
    rendered = {"1.0.0": render(template, workspace / "rendered-1.0.0", "1.0.0")}
    release(template, "1.1.0", "template/AGENTS.md.jinja", "Release 1.1.0 adds this line.")
    rendered["1.1.0"] = render(template, workspace / "rendered-1.1.0", "1.1.0")
    release(template, "2.0.0", "template/AGENTS.md.jinja", "Release 2.0.0 adds this line.")
    rendered["2.0.0"] = render(template, workspace / "rendered-2.0.0", "2.0.0")
    fleet = workspace / "fleet"
    for version, numbers in RELEASES.items():
        for number in numbers:
            as_repository(rendered[version], fleet / name(number))
    agents = fleet / CONFLICTING / "AGENTS.md"
    agents.write_text(agents.read_text(encoding="utf-8") + "Our own closing line.\n", encoding="utf-8")
    commit_all(fleet / CONFLICTING, "Close AGENTS.md our way")
    for service, relative in DIRTY.items():
        path = fleet / service / relative
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(text + "work in progress\n", encoding="utf-8")
    return template, fleet
