"""`scaffold update`: bring one service to a newer template version with copier update."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scaffold.copying import update_project
from scaffold.errors import DirtyWorkTree, NotAService, TemplateUnreachable
from scaffold.service import Service
from scaffold.source import TemplateSource, is_remote

SHOWN_FILES = 5


@dataclass(frozen=True)
class UpdateResult:
    service: str
    previous: str | None
    current: str | None
    changed: tuple[str, ...]
    conflicts: tuple[str, ...]

    @property
    def moved(self) -> bool:
        return self.previous != self.current


def recorded_source(service: Service) -> TemplateSource:
    """The template source the answers file records; it must be absolute (or a URL) to be found again."""
    location = service.source()
    if not location:
        raise NotAService(f"{service.path}: {service.answers_file} records no _src_path")
    if not is_remote(location) and not Path(location).is_absolute():
        raise TemplateUnreachable(
            f"{service.path}: _src_path {location!r} is relative; record an absolute path or a URL"
        )
    return TemplateSource.of(location)


def ready_to_update(service: Service) -> TemplateSource:
    """The service's template source, once the service is known to be a clean git work tree."""
    source = recorded_source(service)
    if not service.is_git_work_tree():
        raise NotAService(f"{service.path}: not the root of a git repository; copier update needs one")
    changed = service.changed_files()
    if changed:
        shown = ", ".join(changed[:SHOWN_FILES]) + (", ..." if len(changed) > SHOWN_FILES else "")
        raise DirtyWorkTree(f"{service.path} has uncommitted changes ({shown}); commit or stash them first")
    return source


def update_service(path: Path, version: str | None = None) -> UpdateResult:
    """Update to `version` (the latest release by default) on a clean work tree; nothing is committed."""
    service = Service(path.resolve())
    source = ready_to_update(service)
    previous = service.version()
    target = source.resolve(version)
    if target != previous:
        update_project(service.path, target)
    return UpdateResult(
        service=str(service.path),
        previous=previous,
        current=service.version(),
        changed=tuple(service.changed_files()),
        conflicts=tuple(service.conflicts()),
    )
