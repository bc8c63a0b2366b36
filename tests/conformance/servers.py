"""The services the conformance suite talks to: one per variant and worker, configured so that every
part of the contract can be exercised from outside (CORS on, a small body limit)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest

from tests.generated.service import postgres_database
from tests.served.deployments import Deploy
from tests.served.generation import Variant
from tests.served.production import RunningServer

ALLOWED_ORIGIN = "https://app.example.com"
BODY_LIMIT = 4096
SETTINGS = {"CORS_ALLOW_ORIGINS": ALLOWED_ORIGIN, "MAX_REQUEST_BODY_BYTES": str(BODY_LIMIT)}

Served = Callable[[Variant], RunningServer]


@pytest.fixture(scope="session")
def conformance_server(deploy: Deploy) -> Iterator[Served]:
    """The variant served with the conformance settings on its migrated database."""
    with contextlib.ExitStack() as stack:
        running: dict[Variant, RunningServer] = {}

        def server(variant: Variant) -> RunningServer:
            if variant not in running:
                served = deploy(variant).serve("conformance", **SETTINGS)
                running[variant] = stack.enter_context(served)
            return running[variant]

        yield server


@pytest.fixture(scope="session")
def broken_server(deploy: Deploy) -> Iterator[Served]:
    """The variant served on a database nobody migrated: the example resource's queries fail in
    a way no adapter expects, which is how a bug looks from outside."""
    with contextlib.ExitStack() as stack:
        running: dict[Variant, RunningServer] = {}

        def server(variant: Variant) -> RunningServer:
            if variant not in running:
                url = stack.enter_context(postgres_database())
                served = deploy(variant).serve("unmigrated", DATABASE_URL=url, **SETTINGS)
                running[variant] = stack.enter_context(served)
            return running[variant]

        yield server
