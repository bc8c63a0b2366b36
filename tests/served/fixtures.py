"""Fixtures for the tiers that serve generated services (conformance, hardening).

Each variant is generated and installed once per test run: the pytest-xdist workers share the
installation through a lock file next to their temporary folders. Each worker gives a variant a
PostgreSQL database of its own (migrated once), and serves it with the production command.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

import pytest

from tests.served.deployments import FIGURES, Deploy, Deployments, Figure, SharedServer
from tests.served.generation import Variant
from tests.served.production import RunningServer


@pytest.fixture
def figure(record_property: Callable[[str, object], None]) -> Figure:
    """Report a measured figure: printed, and listed at the end of the run (also under xdist)."""

    def report(line: str) -> None:
        print(line)
        record_property(FIGURES, line)

    return report


@pytest.fixture(scope="session")
def deploy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deploy]:
    """Installed variants with a database of this worker's own, by variant."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with contextlib.ExitStack() as stack:
        yield Deployments(shared, tmp_path_factory.mktemp("server-logs"), stack)


@pytest.fixture(scope="session")
def shared_server(deploy: Deploy) -> Iterator[SharedServer]:
    """One running server per variant in this worker, for the tests that only send it requests."""
    with contextlib.ExitStack() as stack:
        running: dict[Variant, RunningServer] = {}

        def server(variant: Variant) -> RunningServer:
            if variant not in running:
                running[variant] = stack.enter_context(deploy(variant).serve("shared"))
            return running[variant]

        yield server
