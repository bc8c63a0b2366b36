"""A generated service under test: its make targets, its database and its running server."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.rendering import BIN

POSTGRES_ADMIN = ("psql", "--host=127.0.0.1", "--username=postgres", "--dbname=postgres", "--quiet")
MARIADB_ADMIN = ("mariadb", "--host=127.0.0.1", "--port=3306", "--user=root")


def service_environment(database_url: str | None) -> dict[str, str]:
    """The environment a developer would have: uv on PATH, no stray virtualenv or database."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "DATABASE_URL", "PYTHONPATH"}
    }
    environment["PATH"] = f"{BIN}{os.pathsep}{environment.get('PATH', '')}"
    environment["UV_PYTHON_DOWNLOADS"] = "never"
    environment["UV_NO_PROGRESS"] = "1"
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A database of its own on the local PostgreSQL server, dropped afterwards."""
    name = f"scaffold_test_{uuid.uuid4().hex[:12]}"
    subprocess.run([*POSTGRES_ADMIN, "--command", f"CREATE DATABASE {name}"], check=True)
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        subprocess.run(
            [*POSTGRES_ADMIN, "--command", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            check=True,
        )


@contextlib.contextmanager
def mariadb_database() -> Iterator[str]:
    """A database of its own on the local MariaDB server, dropped afterwards."""
    name = f"scaffold_test_{uuid.uuid4().hex[:12]}"
    subprocess.run([*MARIADB_ADMIN, "--execute", f"CREATE DATABASE {name} CHARACTER SET utf8mb4"], check=True)
    try:
        yield f"mysql+asyncmy://root@127.0.0.1:3306/{name}"
    finally:
        subprocess.run([*MARIADB_ADMIN, "--execute", f"DROP DATABASE IF EXISTS {name}"], check=True)


@contextlib.contextmanager
def database_for(answers: Mapping[str, object]) -> Iterator[str | None]:
    """A fresh database on the local server the answers choose; None for SQLite (the default file)."""
    if answers["database"] == "postgresql":
        with postgres_database() as url:
            yield url
    elif answers["database"] == "mysql":
        with mariadb_database() as url:
            yield url
    else:
        yield None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def otlp_sink() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A local OTLP/HTTP endpoint that accepts every export; yields its URL and (path, content
    type) of each request it received."""
    received: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append((self.path, self.headers.get("Content-Type", "")))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Service:
    root: Path
    environment: Mapping[str, str]
    log: list[str] = field(default_factory=list)

    def make(self, *targets: str, timeout: float = 600) -> None:
        """Run make targets; fail with their output when one fails."""
        result = subprocess.run(
            ["make", "--no-print-directory", *targets],
            cwd=self.root,
            env=dict(self.environment),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        self.log.append(f"$ make {' '.join(targets)}\n{result.stdout}{result.stderr}")
        assert result.returncode == 0, f"make {' '.join(targets)} failed:\n{result.stdout}\n{result.stderr}"

    @contextlib.contextmanager
    def running(self, startup_timeout: float = 90, **environment: str) -> Iterator[str]:
        """`make run` on a free port; yields the base URL once /health/live answers. Leaving
        stops the server with SIGTERM, as an orchestrator would, and waits for it to exit."""
        port = free_port()
        output = self.root / f"server-{port}.log"
        with output.open("w") as sink:
            server = subprocess.Popen(
                ["make", "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}"],
                cwd=self.root,
                env={**self.environment, **environment},
                stdout=sink,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_live(base_url, server, output, startup_timeout)
            yield base_url
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def _wait_until_live(base_url: str, server: subprocess.Popen[bytes], output: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode}:\n{output.read_text()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/health/live", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise AssertionError(f"the server did not answer within {timeout}s:\n{output.read_text()}")
