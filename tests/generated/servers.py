"""Private database and cache servers on ports of their own, which a test may stop and restart."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.generated.service import free_port

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root; as root, run its tools as the postgres user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout}s")


@dataclass
class PrivatePostgres:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/service"

    def _ctl(self, *arguments: str) -> None:
        subprocess.run(
            [*_as_postgres_user(), str(POSTGRES_BIN / "pg_ctl"), "--pgdata", str(self.data), *arguments],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self._ctl("--options", options, "--log", str(self.data / "server.log"), "--wait", "start")

    def stop(self) -> None:
        self._ctl("--mode", "fast", "--wait", "stop")

    def psql(self, database: str, command: str) -> str:
        """Run one SQL command as the superuser; returns its rows, unaligned."""
        return subprocess.run(
            [
                "psql",
                f"--port={self.port}",
                "--host=127.0.0.1",
                "--username=postgres",
                f"--dbname={database}",
                "--quiet",
                "--tuples-only",
                "--no-align",
                "--command",
                command,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def end_sessions(self) -> int:
        """End every client session of the `service` database, as an administrator's
        pg_terminate_backend would, and wait until they are gone; returns how many were ended."""
        ended = self.psql(
            "postgres",
            "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = 'service'",
        )
        return int(ended)

    @contextlib.contextmanager
    def refusing_connections(self) -> Iterator[None]:
        """The server turns new sessions of the `service` database away, as when it is out of
        connection slots or shutting down, and the open ones are ended; on leaving it accepts them
        again."""
        self.psql("postgres", "ALTER DATABASE service ALLOW_CONNECTIONS false")
        try:
            self.end_sessions()
            yield
        finally:
            self.psql("postgres", "ALTER DATABASE service ALLOW_CONNECTIONS true")

    def _processes(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True)
        return [postmaster, *map(int, children.stdout.split())]

    @contextlib.contextmanager
    def frozen(self) -> Iterator[None]:
        """The server stops answering without closing its connections (SIGSTOP), as a network
        partition or a hung host would look; it resumes on leaving."""
        processes = self._processes()
        for pid in processes:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in processes:
                os.kill(pid, signal.SIGCONT)


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A fresh PostgreSQL 15 cluster with a `service` database, removed afterwards."""
    data = Path(tempfile.mkdtemp(prefix="scaffold-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    server = PrivatePostgres(data, free_port())
    subprocess.run(
        [
            *_as_postgres_user(),
            str(POSTGRES_BIN / "initdb"),
            "--pgdata",
            str(data),
            "--auth=trust",
            "--username=postgres",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    server.start()
    try:
        server.psql("postgres", "CREATE DATABASE service")
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()
        shutil.rmtree(data, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _cli(self, *arguments: str) -> str:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *arguments], capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        _wait_for(lambda: self._cli("ping") == "PONG", "Redis start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def stored_keys(self) -> list[str]:
        return self._cli("--scan").split()


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
