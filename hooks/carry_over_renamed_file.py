"""Copier migration (after the update): a template file was renamed; keep the team's edits.

`copier update` writes the file under its new name with the template's content and removes the
old one, which would drop the team's edits to it. This migration merges those edits (the
committed old file against the previous template's rendering of it) into the new file, with
conflict markers where both changed the same lines.

Usage in copier.yml `_migrations`: carry_over_renamed_file.py OLD_PATH NEW_PATH
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from template_history import answers_at_head, rendered, template_source


def committed(project: Path, relative: str) -> bytes | None:
    shown = subprocess.run(
        ["git", "show", f"HEAD:./{relative}"], cwd=project, capture_output=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else None


def merge(ours: bytes, base: bytes, theirs: Path) -> bool:
    """Three-way merge into `theirs`; True when it is free of conflicts."""
    with tempfile.TemporaryDirectory() as folder:
        ours_path, base_path = Path(folder) / "ours", Path(folder) / "base"
        ours_path.write_bytes(ours)
        base_path.write_bytes(base)
        merged = subprocess.run(
            [
                "git",
                "merge-file",
                "-L",
                "before updating",
                "-L",
                "last update",
                "-L",
                "after updating",
                "-p",
                str(ours_path),
                str(base_path),
                str(theirs),
            ],
            capture_output=True,
            check=False,
        )
    theirs.write_bytes(merged.stdout)
    return merged.returncode == 0


def carry_over(project: Path, old: str, new: str) -> str:
    team_version = committed(project, old)
    answers = answers_at_head(project)
    target = project / new
    (project / old).unlink(missing_ok=True)
    if team_version is None or answers is None or not target.exists():
        return "nothing to carry over"
    with rendered(template_source(answers, project), answers.get("_commit"), answers) as previous:
        base = (previous / old).read_bytes() if (previous / old).exists() else b""
    if team_version == base:
        return "unedited; the template's version stands"
    clean = merge(team_version, base, target)
    return "edits carried over" if clean else "edits carried over WITH CONFLICTS: resolve the markers"


def main() -> int:
    old, new = sys.argv[1], sys.argv[2]
    print(f"{old} -> {new}: {carry_over(Path.cwd(), old, new)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
