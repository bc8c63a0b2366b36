"""A throwaway git copy of the template with two releases, for the update tier.

1.0.0 is the working tree as it is. 2.0.0 changes a template-owned file, adds a file, removes a
file, renames a file (with the migration that keeps the team's edits) and renames a question
(with the migration that carries its answer over), the kinds of change a real release makes.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from scaffold import sync_variant
from tests.rendering import snapshot_template

OLD, NEW = "1.0.0", "2.0.0"
PACKAGE = "src/{{package_name}}"
ASYNC = "{% if framework != 'flask' %}"
SECURITY_HEADERS = f"template/{PACKAGE}/{ASYNC}api{{% endif %}}/middleware/security_headers.py.jinja"
INFRASTRUCTURE = f"template/{PACKAGE}/infrastructure"
OLD_REFERRER = '(b"referrer-policy", b"no-referrer"),'
NEW_REFERRER = '(b"referrer-policy", b"strict-origin-when-cross-origin"),'
ADDED = "SECURITY.md"
REMOVED = ".dockerignore"
"""A file of the services that the release stops generating (its template is REMOVED.jinja)."""
MIGRATIONS = f"""
_migrations:
  - version: "{NEW}"
    when: "{{{{ _stage == 'before' }}}}"
    command: ["{{{{ _copier_python }}}}", "{{{{ _copier_conf.src_path / 'hooks' / 'rename_answer.py' }}}}",
              "question", "owner", "team_owner"]
  - version: "{NEW}"
    command: ["{{{{ _copier_python }}}}",
              "{{{{ _copier_conf.src_path / 'hooks' / 'carry_over_renamed_file.py' }}}}",
              "src/{{{{ package_name }}}}/infrastructure/clock.py",
              "src/{{{{ package_name }}}}/infrastructure/system_clock.py"]
"""


@dataclass(frozen=True)
class Releases:
    path: Path

    def source(self) -> str:
        return str(self.path)


def _git(repository: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=repository, check=True, capture_output=True)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _release_two(root: Path) -> None:
    _replace(root / SECURITY_HEADERS, OLD_REFERRER, NEW_REFERRER)
    (root / "template" / ADDED).write_text("# Security\n\nReport vulnerabilities to the owning team.\n")
    (root / "template" / f"{REMOVED}.jinja").unlink()
    _git(
        root,
        "mv",
        f"{INFRASTRUCTURE}/clock.py",
        f"{INFRASTRUCTURE}/system_clock.py",
    )
    main = root / "template" / PACKAGE / f"{ASYNC}main.py{{% endif %}}.jinja"
    _replace(main, "from {{ package_name }}.infrastructure.clock import SystemClock\n", "")
    _replace(
        main,
        "from {{ package_name }}.settings import Settings\n",
        "from {{ package_name }}.infrastructure.system_clock import SystemClock\n"
        "from {{ package_name }}.settings import Settings\n",
    )
    sync_variant.write(root / "template")
    for path in (root / "template").rglob("*.jinja"):
        text = path.read_text(encoding="utf-8")
        if "{{ owner }}" in text:
            path.write_text(text.replace("{{ owner }}", "{{ team_owner }}"), encoding="utf-8")
    _replace(root / "copier.yml", "\nowner:\n", "\nteam_owner:\n")
    _replace(root / "copier.yml", '"{{ owner }}"', '"{{ team_owner }}"')
    _replace(root / "copier.yml", "not owner |", "not team_owner |")
    with (root / "copier.yml").open("a", encoding="utf-8") as config:
        config.write(MIGRATIONS)


def build_releases(root: Path) -> Releases:
    snapshot_template(root)
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "--message", f"release {OLD}")
    _git(root, "tag", OLD)
    _release_two(root)
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "--message", f"release {NEW}")
    _git(root, "tag", NEW)
    return Releases(root)
