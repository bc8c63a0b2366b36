"""The synchronous (Flask) variant of the template's asynchronous inner layers, derived from them.

The asynchronous source lives in paths guarded by `{% if framework != 'flask' %}`; its derived twin
in the same path guarded by `{% if framework == 'flask' %}`. Like httpcore's sync code, which
unasync derives from its async code, the derived files are committed and never edited by hand:
`python -m scaffold.sync_variant` rewrites them, and tests/render/test_sync_variant.py fails when
one is stale. rules.py holds the word rules, layout.py keeps the output ruff-formatted, and
overrides.py lists the few files no rule can derive, each with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from scaffold import TEMPLATE_ROOT
from scaffold.sync_variant import layout, overrides, rules

ASYNC_GUARD: Final = "{% if framework != 'flask' %}"
SYNC_GUARD: Final = "{% if framework == 'flask' %}"
PACKAGE: Final = "src/{{package_name}}"
SLICE: Final = PACKAGE + "/{% yield slice from slices %}{{ slice.folder }}{% endyield %}"
"""Where the example resource's files live: rendered once per slice (copier.yml's `slices`)."""
TEST_SLICE: Final = "tests/{% yield slice from slices %}.{% endyield %}"
SOURCES: Final = (
    f"{PACKAGE}/{ASYNC_GUARD}application{{% endif %}}",
    f"{PACKAGE}/{ASYNC_GUARD}infrastructure{{% endif %}}",
    f"{SLICE}/{ASYNC_GUARD}application{{% endif %}}",
    f"{SLICE}/{ASYNC_GUARD}infrastructure{{% endif %}}",
    f"{TEST_SLICE}/{ASYNC_GUARD}unit{{% endif %}}",
    f"{TEST_SLICE}/{ASYNC_GUARD}integration{{% endif %}}",
    f"{TEST_SLICE}/{ASYNC_GUARD}api{{% endif %}}",
    f"{PACKAGE}/{ASYNC_GUARD}adapters.py{{% endif %}}.jinja",
    f"{PACKAGE}/{ASYNC_GUARD}{{% if auth != 'none' %}}auth_wiring.py{{% endif %}}{{% endif %}}.jinja",
    f"{PACKAGE}/{ASYNC_GUARD}main.py{{% endif %}}.jinja",
    f"{PACKAGE}/{ASYNC_GUARD}__main__.py{{% endif %}}.jinja",
    f"migrations/{ASYNC_GUARD}env.py{{% endif %}}.jinja",
    f"tests/{ASYNC_GUARD}conftest.py{{% endif %}}.jinja",
    f"tests/{ASYNC_GUARD}{{% if auth != 'none' %}}credentials.py{{% endif %}}{{% endif %}}.jinja",
    f"{TEST_SLICE}/{ASYNC_GUARD}{{{{ slice.fakes }}}}.py{{% endif %}}.jinja",
    f"tests/{ASYNC_GUARD}unit{{% endif %}}",
    f"tests/{ASYNC_GUARD}integration{{% endif %}}",
    f"tests/{ASYNC_GUARD}api{{% endif %}}",
)
"""Template paths (under template/) of the asynchronous code the variant is derived from. The
ASGI middleware and each ASGI framework's adapter are not among them: Flask has its own. A file
with no asynchronous code belongs in the same path outside the guard, shared by every framework
(copier merges a guarded folder with its unguarded twin)."""


_GUARDED: Final = re.compile(re.escape(ASYNC_GUARD) + r"([^{}]*)" + re.escape("{% endif %}"))


class DerivationError(ValueError):
    """A source file holds asynchronous code that no rule maps and no exception covers."""


@dataclass(frozen=True)
class Derived:
    source: Path
    target: Path
    text: str


def target_of(source: str) -> str:
    return source.replace(ASYNC_GUARD, SYNC_GUARD)


def shared_path(source: str) -> str:
    """The path of `source` outside the asynchronous guard: a file there serves every framework."""
    return _GUARDED.sub(r"\1", source)


def _source_files(template: Path) -> Iterator[tuple[str, Path]]:
    for root in SOURCES:
        path = template / root
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" not in file.parts:
                yield file.relative_to(template).as_posix(), file


def derive_text(relative: str, text: str) -> str:
    """The synchronous text of the template file at `relative` (under template/)."""
    for rewrite in overrides.REWRITES.get(target_of(relative), ()):
        if text.count(rewrite.old) != 1:
            raise DerivationError(f"{relative}: the rewrite for {rewrite.reason!r} no longer matches")
        text = text.replace(rewrite.old, rewrite.new)
    lines = []
    for number, original in enumerate(text.split("\n"), start=1):
        if rules.DROPPED_LINES.match(original):
            continue
        line = rules.rewrite_line(original)
        leftover = rules.LEFTOVER.search(line)
        if leftover:
            raise DerivationError(
                f"{relative}:{number}: no rule maps {leftover.group(0)!r} in {line.strip()!r}; "
                "add a per-file rewrite or a hand-written file in overrides.py"
            )
        lines.append(layout.Line(line, changed=line != original))
    lines = layout.join_fitting_constructs(layout.tidy_imports(lines), relative)
    return "\n".join(line.text for line in layout.without_unused_time_import(lines))


def derive(template: Path) -> list[Derived]:
    """Every derived file: its source, its target and its text (hand-written files excluded)."""
    derived = []
    for relative, source in _source_files(template):
        target = target_of(relative)
        if target in overrides.HAND_WRITTEN:
            continue
        original = source.read_text(encoding="utf-8")
        text = derive_text(relative, original)
        if text == original:
            raise DerivationError(
                f"{relative} has no asynchronous code: move it to {shared_path(relative)}, "
                "which every framework shares"
            )
        derived.append(Derived(source, template / target, text))
    return derived


def _orphans(template: Path, expected: list[Derived]) -> list[Path]:
    """Files in the derived folders that no source derives and no exception lists."""
    written_for_flask = {**overrides.HAND_WRITTEN, **overrides.FLASK_ONLY}
    known = {file.target for file in expected} | {template / name for name in written_for_flask}
    orphans = []
    for root in SOURCES:
        path = template / target_of(root)
        present = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
        orphans += sorted(p for p in present if p not in known and "__pycache__" not in p.parts)
    return orphans


def stale(template: Path) -> list[str]:
    """The derived files that differ from what derive() makes, are missing, or have no source."""
    problems = []
    expected = derive(template)
    for file in expected:
        name = file.target.relative_to(template).as_posix()
        if not file.target.is_file():
            problems.append(f"{name}: missing")
        elif file.target.read_text(encoding="utf-8") != file.text:
            problems.append(f"{name}: differs from its derivation")
    for orphan in _orphans(template, expected):
        problems.append(f"{orphan.relative_to(template).as_posix()}: no source derives it")
    return problems


def write(template: Path = TEMPLATE_ROOT / "template") -> list[Path]:
    """Write every derived file and delete the derived files whose source is gone; the paths
    written or deleted."""
    changed = []
    expected = derive(template)
    for file in expected:
        file.target.parent.mkdir(parents=True, exist_ok=True)
        if not file.target.is_file() or file.target.read_text(encoding="utf-8") != file.text:
            file.target.write_text(file.text, encoding="utf-8")
            changed.append(file.target)
    for orphan in _orphans(template, expected):
        orphan.unlink()
        changed.append(orphan)
    return changed
