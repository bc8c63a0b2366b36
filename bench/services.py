"""What the bench serves for a framework: the generated service with and without tracing, with JWT
auth, and the bare reference app, all on one PostgreSQL database seeded with the same rows."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from bench import reference
from tests.generated.credentials import identity
from tests.generated.service import Service, postgres_database, service_environment
from tests.served.generation import Variant, generate_and_install
from tests.served.production import RunningServer, serve

SEED_ROWS: Final = 1_000
BENCH_PREFIX: Final = "bench"
"""Names the bench creates start with it, so they can be deleted between rounds."""
BARE, GENERATED, TRACED, AUTHENTICATED = "bare", "generated", "generated + tracing", "generated + JWT"
TOKEN_SECONDS: Final = 3 * 3600
"""Lifetime of the bench's access tokens: longer than any bench run."""


@dataclass(frozen=True)
class Target:
    """Something to serve with a generated service's production command."""

    name: str
    root: Path
    environment: dict[str, str]
    app: str | None = None
    credentials: Callable[[str], dict[str, str]] | None = None
    """Given the server's base URL, the headers of a caller allowed to read and write items."""

    def serve(self, logs: Path) -> contextlib.AbstractContextManager[RunningServer]:
        log = logs / f"{self.name.replace(' ', '')}.log"
        return serve(self.root, self.environment, log, app=self.app)


@dataclass(frozen=True)
class Database:
    url: str

    def sql(self, statement: str) -> str:
        name = urlsplit(self.url).path.lstrip("/")
        command = [
            "psql",
            "--host=127.0.0.1",
            "--username=postgres",
            f"--dbname={name}",
            "--quiet",
            "--no-align",
        ]
        return subprocess.run(
            [*command, "--tuples-only", "--command", statement], capture_output=True, text=True, check=True
        ).stdout.strip()

    def seed(self) -> str:
        """SEED_ROWS items; returns the id of one of them."""
        self.sql(
            "INSERT INTO items (id, name, description, created_at, updated_at, version) "
            "SELECT gen_random_uuid(), 'seed-' || n, 'seeded', now(), now(), 1 "
            f"FROM generate_series(1, {SEED_ROWS}) n"
        )
        return self.sql("SELECT id FROM items ORDER BY created_at, id LIMIT 1")

    def delete_created(self) -> None:
        self.sql(f"DELETE FROM items WHERE name LIKE '{BENCH_PREFIX}-%'")


@dataclass(frozen=True)
class Bench:
    database: Database
    item_id: str
    targets: dict[str, Target]


def _install(variant: Variant, root: Path, database_url: str) -> dict[str, str]:
    generate_and_install(variant, root)
    return dict(service_environment(database_url))


@contextlib.contextmanager
def bench_for(framework: str, workdir: Path, otlp_endpoint: str) -> Iterator[Bench]:
    """Generate, install and migrate the services of `framework`; drop the database afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    with postgres_database() as url:
        plain = workdir / f"{framework}-metrics"
        traced = workdir / f"{framework}-metrics-tracing"
        secured = workdir / f"{framework}-metrics-jwt"
        plain_environment = _install(Variant(framework, observability=("metrics",)), plain, url)
        traced_environment = _install(Variant(framework, observability=("metrics", "tracing")), traced, url)
        jwt = Variant(framework, observability=("metrics",), auth="jwt")
        secured_environment = _install(jwt, secured, url)
        Service(plain, plain_environment).make("migrate")
        secured_service = Service(secured, secured_environment)
        secured_service.make("migrate")
        database = Database(url)
        item_id = database.seed()
        reference_environment = {**plain_environment, "PYTHONPATH": str(reference.DIRECTORY)}
        with identity(secured_service, {"auth": "jwt"}) as caller:
            tokens = {**caller.environment, "ACCESS_TOKEN_TTL_SECONDS": str(TOKEN_SECONDS)}
            yield Bench(
                database,
                item_id,
                {
                    BARE: Target(BARE, plain, reference_environment, app=reference.APPS[framework]),
                    GENERATED: Target(GENERATED, plain, plain_environment),
                    TRACED: Target(
                        TRACED, traced, {**traced_environment, "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_endpoint}
                    ),
                    AUTHENTICATED: Target(
                        AUTHENTICATED, secured, {**secured_environment, **tokens}, credentials=caller.headers
                    ),
                },
            )
