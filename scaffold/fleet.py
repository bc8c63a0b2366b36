"""`scaffold fleet status` and `scaffold fleet update`: many service repositories, in parallel with a bound.

Status reads each service's answers file and work tree (threads: git only). Update runs copier in
worker processes, because copier changes the process's working directory while it updates; each
clean service that is behind gets a branch of its own, and a dirty one is never touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from functools import cache, partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from scaffold.copying import update_project
from scaffold.errors import DirtyWorkTree, ScaffoldError, UsageError
from scaffold.questions import DEFAULT_ANSWERS_FILE
from scaffold.service import Service
from scaffold.source import TemplateSource, git, last_line
from scaffold.updating import ready_to_update, recorded_source

DEFAULT_BRANCH_PREFIX = "scaffold/update-"
SKIPPED_DIRECTORIES = {".git", ".venv", "node_modules", "__pycache__"}
COMMITTER = ("-c", "user.name=scaffold", "-c", "user.email=scaffold@localhost")

Result = TypeVar("Result")
UpdateKind = Literal["updated", "current", "dirty", "conflicts", "failed"]


@dataclass(frozen=True)
class Member:
    """One service of the fleet: where it is and how reports name it."""

    path: Path
    label: str


@dataclass(frozen=True)
class ServiceStatus:
    service: str
    source: str | None
    version: str | None
    latest: str | None
    behind: int | None
    dirty: bool
    conflicts: tuple[str, ...]
    problem: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "conflicts": list(self.conflicts)}


@dataclass(frozen=True)
class UpdateOutcome:
    service: str
    result: UpdateKind
    previous: str | None
    current: str | None
    branch: str | None
    conflicts: tuple[str, ...]
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "conflicts": list(self.conflicts)}


def discover(root: Path, answers_file: str = DEFAULT_ANSWERS_FILE) -> list[Member]:
    """Every service under `root` (a folder holding an answers file), by relative path."""
    if not root.is_dir():
        raise UsageError(f"{root}: no such directory")
    members = []
    for folder, directories, files in os.walk(root):
        directories[:] = sorted(d for d in directories if d not in SKIPPED_DIRECTORIES)
        if answers_file in files:
            path = Path(folder)
            relative = path.relative_to(root)
            members.append(Member(path, path.name if relative == Path() else relative.as_posix()))
            directories.clear()
    return sorted(members, key=lambda member: member.label)


def read_repos_file(path: Path) -> list[Member]:
    """Service folders listed one a line (# comments); relative paths are relative to the file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UsageError(f"{path}: cannot be read: {error.strerror}") from error
    members = []
    for line in lines:
        entry = line.split("#", 1)[0].strip()
        if entry:
            members.append(Member((path.parent / Path(entry).expanduser()).resolve(), entry))
    return members


@cache
def _source(location: str) -> TemplateSource:
    return TemplateSource.of(location)


def service_status(member: Member) -> ServiceStatus:
    """Version, releases behind, dirtiness and conflicts of one service; problems are reported, not raised."""
    service = Service(member.path)
    try:
        version = service.version()
        location = recorded_source(service).location
        dirty = service.is_dirty()
        conflicts = tuple(service.conflicts())
    except ScaffoldError as error:
        return ServiceStatus(member.label, None, None, None, None, False, (), str(error))
    try:
        source = _source(location)
        return ServiceStatus(
            member.label, location, version, source.latest, len(source.newer_than(version)), dirty, conflicts
        )
    except ScaffoldError as error:
        return ServiceStatus(member.label, location, version, None, None, dirty, conflicts, str(error))


def update_member(member: Member, version: str | None, branch_prefix: str) -> UpdateOutcome:
    """Update one clean service on a new branch and commit there; dirty services are left untouched."""
    service = Service(member.path)
    previous: str | None = None
    branch: str | None = None
    try:
        previous = service.version()
        source = ready_to_update(service)
        target = source.resolve(version)
        if target == previous:
            return UpdateOutcome(member.label, "current", previous, previous, None, ())
        branch = f"{branch_prefix}{target}"
        _git_or_fail(service, "switch", "--quiet", "--create", branch)
        update_project(service.path, target)
        conflicts = tuple(service.conflicts())
        if conflicts:
            message = "resolve the conflicts on the branch, then commit"
            return UpdateOutcome(member.label, "conflicts", previous, target, branch, conflicts, message)
        _git_or_fail(service, "add", "--all")
        _git_or_fail(
            service, *_identity(service), "commit", "--quiet", "-m", f"Update the template to {target}"
        )
        return UpdateOutcome(member.label, "updated", previous, service.version(), branch, ())
    except DirtyWorkTree:
        message = f"not touched: uncommitted changes in {', '.join(service.changed_files())}"
        return UpdateOutcome(member.label, "dirty", previous, previous, None, (), message)
    except ScaffoldError as error:
        return UpdateOutcome(member.label, "failed", previous, None, branch, (), str(error))


def _identity(service: Service) -> tuple[str, ...]:
    """The committer: the repository's own, or scaffold's when none is configured."""
    configured = git("config", "user.email", cwd=service.path)
    return () if configured.returncode == 0 and configured.stdout.strip() else COMMITTER


def _git_or_fail(service: Service, *arguments: str) -> None:
    result = git(*arguments, cwd=service.path)
    if result.returncode != 0:
        raise ScaffoldError(f"git {' '.join(arguments)}: {last_line(result, 'failed')}")


def fleet_status(members: Sequence[Member], *, jobs: int, console: Console) -> list[ServiceStatus]:
    with ThreadPoolExecutor(max_workers=jobs) as executor:
        return _in_parallel(executor, service_status, members, "status", console)


def fleet_update(
    members: Sequence[Member], *, version: str | None, branch_prefix: str, jobs: int, console: Console
) -> list[UpdateOutcome]:
    work = partial(update_member, version=version, branch_prefix=branch_prefix)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as executor:
        return _in_parallel(executor, work, members, "update", console)


def _in_parallel(
    executor: Executor,
    work: Callable[[Member], Result],
    members: Sequence[Member],
    action: str,
    console: Console,
) -> list[Result]:
    """Results in the members' order, with a progress bar on a terminal and one line each otherwise."""
    futures: dict[Future[Result], int] = {
        executor.submit(work, member): i for i, member in enumerate(members)
    }
    results: list[Result | None] = [None] * len(members)
    columns = (TextColumn(f"{action}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("", total=len(members))
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            results[index] = future.result()
            progress.update(task, advance=1, description=members[index].label)
            if not console.is_terminal:
                console.print(f"{action} [{done}/{len(members)}] {members[index].label}", highlight=False)
    return [result for result in results if result is not None]
