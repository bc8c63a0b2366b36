"""Copier task, run once after `copier copy`: make the new service a git repository.

`copier update` works on git repositories only, and pre-commit needs one too. The task is idempotent:
a destination that is already inside a work tree (a monorepo, or a re-run) is left alone. Nothing is
committed; the team makes the first commit.
"""

from __future__ import annotations

import subprocess
import sys


def inside_work_tree() -> bool:
    probe = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True, check=False
    )
    return probe.returncode == 0 and probe.stdout.strip() == "true"


def main() -> int:
    if inside_work_tree():
        return 0
    return subprocess.run(["git", "init", "--quiet", "--initial-branch=main"], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
