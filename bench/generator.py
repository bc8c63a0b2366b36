"""The generator's own speed: `copier copy`, `scaffold new` and `copier update` between two tags of a
throwaway copy of the template, the render tier's total time, and where one render's time goes."""

from __future__ import annotations

import cProfile
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Final

from bench.stats import Spread, table
from scaffold import TEMPLATE_ROOT
from tests.rendering import BIN, copier_cli, render, snapshot_template

OLD, NEW = "1.0.0", "1.1.0"
PROFILED_RENDERS: Final = 3
_GIT: Final = (
    "git",
    "-c",
    "user.name=bench",
    "-c",
    "user.email=bench@localhost",
    "-c",
    "init.defaultBranch=main",
)
_HOTSPOTS: Final = {
    "Jinja compiling templates, paths and question expressions": ("jinja2/environment.py", "compile"),
    "one `git` subprocess per rendered file (executable-bit sync)": (
        "copier/_main.py",
        "_sync_git_index_executable_bit",
    ),
    "answering the questions (defaults, validators)": ("copier/_main.py", "_ask"),
}


def _git(*arguments: str, cwd: Path) -> None:
    subprocess.run([*_GIT, *arguments], cwd=cwd, check=True, capture_output=True)


def template_repository(workdir: Path) -> Path:
    """The working tree's template as a git repository with two release tags."""
    repository = workdir / "template-repository"
    repository.mkdir()
    snapshot_template(repository)
    _git("init", "--quiet", cwd=repository)
    _git("add", "--all", cwd=repository)
    _git("commit", "--quiet", "--message", "Template release", cwd=repository)
    _git("tag", OLD, cwd=repository)
    readme = repository / "template" / "README.md.jinja"
    readme.write_text(
        readme.read_text(encoding="utf-8") + "\nA line a later release adds.\n", encoding="utf-8"
    )
    _git("commit", "--quiet", "--all", "--message", "A later release", cwd=repository)
    _git("tag", NEW, cwd=repository)
    return repository


def _timed(command: Callable[[], subprocess.CompletedProcess[str]]) -> float:
    started = time.perf_counter()
    result = command()
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{result.args} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def _copier_copy(repository: Path, destination: Path) -> subprocess.CompletedProcess[str]:
    return copier_cli("copy", "--trust", "--defaults", "--vcs-ref", NEW, str(repository), str(destination))


def _scaffold_new(repository: Path, destination: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(BIN / "scaffold"),
            "new",
            "--template",
            str(repository),
            "--version",
            NEW,
            "--defaults",
            str(destination),
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _update_seconds(repository: Path, destination: Path) -> float:
    copied = copier_cli("copy", "--trust", "--defaults", "--vcs-ref", OLD, str(repository), str(destination))
    if copied.returncode != 0:
        raise RuntimeError(copied.stderr)
    _git("add", "--all", cwd=destination)
    _git("commit", "--quiet", "--message", "The service as generated", cwd=destination)
    return _timed(partial(copier_cli, "update", "--trust", "--defaults", "--vcs-ref", NEW, cwd=destination))


def render_tier_seconds() -> tuple[float, bool]:
    """The render tier's wall time, and whether it passed (a failing tier is timed all the same)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/render", "-n", "2", "-q", "-p", "no:cacheprovider"],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - started, result.returncode == 0


def render_profile(workdir: Path) -> str:
    """Where the time of one in-process render (the render tier's unit of work) goes."""
    template = workdir / "snapshot"
    template.mkdir()
    snapshot_template(template)
    render(template, workdir / "warm-up", {})
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for number in range(PROFILED_RENDERS):
        render(template, workdir / f"profiled-{number}", {})
    profiler.disable()
    total = time.perf_counter() - started
    cumulative = {
        (filename, function): entry[3]
        for (filename, _, function), entry in pstats.Stats(profiler).stats.items()  # type: ignore[attr-defined]
    }
    rows = [["one render, in total", f"{total / PROFILED_RENDERS:.2f} s", "100%"]]
    for label, (suffix, function) in _HOTSPOTS.items():
        seconds = sum(
            spent for (file, name), spent in cumulative.items() if name == function and file.endswith(suffix)
        )
        rows.append([label, f"{seconds / PROFILED_RENDERS:.2f} s", f"{100 * seconds / total:.0f}%"])
    return table(["part of one render (profiled, so slower than usual)", "seconds", "share"], rows)


def generator_report(workdir: Path, rounds: int, render_rounds: int) -> str:
    repository = template_repository(workdir)
    copies, news, updates = [], [], []
    for number in range(rounds):
        copies.append(_timed(partial(_copier_copy, repository, workdir / f"copy-{number}")))
        news.append(_timed(partial(_scaffold_new, repository, workdir / f"new-{number}")))
        updates.append(_update_seconds(repository, workdir / f"update-{number}"))
    render_runs = [render_tier_seconds() for _ in range(render_rounds)]
    render_tier = [seconds for seconds, _ in render_runs]
    failed = "" if all(passed for _, passed in render_runs) else " (some runs failed)"
    timings = table(
        ["operation", "seconds", "runs"],
        [
            ["`copier copy --defaults` (CLI, from a tag)", Spread.of(copies).format(2), str(rounds)],
            ["`scaffold new --defaults` (from a tag)", Spread.of(news).format(2), str(rounds)],
            [f"`copier update` {OLD} → {NEW}", Spread.of(updates).format(2), str(rounds)],
            [
                f"render tier (`pytest tests/render -n 2`){failed}",
                Spread.of(render_tier).format(0),
                str(render_rounds),
            ],
        ],
    )
    return f"{timings}\n\n{render_profile(workdir)}"
