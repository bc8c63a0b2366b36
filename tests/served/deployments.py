"""Installed variants, each with a database of its own, ready to be served with the production command."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.generated.service import Service, postgres_database, service_environment
from tests.served.generation import Variant, generate_and_install
from tests.served.production import RunningServer, serve

FIGURES = "figure"
"""The user property under which tests record the figures they measured."""


@contextlib.contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class Deployment:
    """An installed variant with its database, ready to be served."""

    variant: Variant
    root: Path
    environment: dict[str, str]
    logs: Path

    def serve(self, name: str, **environment: str) -> contextlib.AbstractContextManager[RunningServer]:
        """Serve it with the production command; the server's output goes to `<logs>/<name>.log`."""
        return serve(self.root, {**self.environment, **environment}, self.logs / f"{name}.log")


@dataclass
class Deployments:
    """Deploys variants on demand, each once per worker; `stack` drops their databases."""

    shared: Path
    logs: Path
    stack: contextlib.ExitStack
    deployed: dict[Variant, Deployment] = field(default_factory=dict)

    def __call__(self, variant: Variant) -> Deployment:
        if variant not in self.deployed:
            root = self._installed(variant)
            database_url = self.stack.enter_context(postgres_database())
            service = Service(root, service_environment(database_url))
            service.make("migrate")
            logs = self.logs / variant.name
            logs.mkdir(parents=True, exist_ok=True)
            self.deployed[variant] = Deployment(variant, root, dict(service.environment), logs)
        return self.deployed[variant]

    def _installed(self, variant: Variant) -> Path:
        """The shared installation; the first worker to ask makes it while the others wait."""
        root = self.shared / variant.name
        done = self.shared / f"{variant.name}.installed"
        with _exclusive(self.shared / f"{variant.name}.lock"):
            if not done.exists():
                shutil.rmtree(root, ignore_errors=True)
                generate_and_install(variant, root)
                done.touch()
        return root


Deploy = Callable[[Variant], Deployment]
SharedServer = Callable[[Variant], RunningServer]
Figure = Callable[[str], None]
