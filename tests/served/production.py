"""A generated service run the way its container runs it: the Dockerfile's CMD and runtime ENV.

The server is the process itself (no make, no uv in between), so a signal sent to it is what an
orchestrator would send, and its resident memory is the service's.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx
import psutil

from tests.generated.service import free_port
from tests.served.generation import package_of

LOOPBACK = "127.0.0.1"
_CONTAINER_ONLY_VARIABLES = frozenset({"PATH"})
SHUTDOWN_COMPLETE_RECORDS: Final = {
    "uvicorn": "Application shutdown complete",
    "gunicorn": "Shutting down: Master",
}
"""By server program: the log record saying the app's shutdown hooks (closing its pools) have run.
gunicorn's master writes its record once every worker has exited, and a worker runs the app's
hooks (atexit) on its way out."""
CLEAN_EXIT_CODES: Final = frozenset({0, -signal.SIGTERM})
"""After a graceful shutdown a server exits with 0 (gunicorn), or re-raises the SIGTERM it handled
(uvicorn does)."""


def _runtime_stage(root: Path) -> list[str]:
    """The instructions of the Dockerfile's last stage, continuation lines joined."""
    text = (root / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    last_from = max(index for index, line in enumerate(lines) if line.upper().startswith("FROM "))
    return lines[last_from:]


def _instructions(root: Path, keyword: str) -> list[str]:
    prefix = f"{keyword} "
    return [line[len(prefix) :] for line in _runtime_stage(root) if line.upper().startswith(prefix)]


def dockerfile_environment(root: Path) -> dict[str, str]:
    """The runtime stage's ENV, less what only makes sense inside the image (PATH)."""
    environment: dict[str, str] = {}
    for instruction in _instructions(root, "ENV"):
        for assignment in shlex.split(instruction):
            name, _, value = assignment.partition("=")
            if name not in _CONTAINER_ONLY_VARIABLES:
                environment[name] = value
    return environment


def server_program(root: Path) -> str:
    """The program the Dockerfile's CMD runs (uvicorn, gunicorn, ...)."""
    return str(json.loads(_instructions(root, "CMD")[-1])[0])


def production_command(root: Path, port: int, *, app: str | None = None) -> list[str]:
    """The Dockerfile's CMD, listening on loopback:`port`; `app` replaces the service's app when given."""
    command: list[str] = json.loads(_instructions(root, "CMD")[-1])
    exposed = _instructions(root, "EXPOSE")[-1].split("/")[0]
    package = f"{package_of(root)}."
    result = []
    for argument in command:
        argument = argument.replace("0.0.0.0", LOOPBACK)
        if argument == exposed or argument.endswith(f":{exposed}"):
            argument = argument[: -len(exposed)] + str(port)
        if app is not None and argument.startswith(package) and ":" in argument:
            argument = app
        result.append(argument)
    return result


def server_environment(root: Path, environment: Mapping[str, str]) -> dict[str, str]:
    """`environment` with the image's runtime variables and the service's virtualenv first on PATH."""
    merged = {**environment, **dockerfile_environment(root)}
    merged["PATH"] = f"{root / '.venv' / 'bin'}{os.pathsep}{environment.get('PATH', '')}"
    return merged


@dataclass
class RunningServer:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path
    started_in_seconds: float

    def _processes(self) -> list[psutil.Process]:
        """The server and its workers (gunicorn serves from child processes)."""
        server = psutil.Process(self.process.pid)
        return [server, *server.children(recursive=True)]

    def resident_bytes(self) -> int:
        return sum(int(process.memory_info().rss) for process in self._processes())

    def cpu_seconds(self) -> float:
        return sum(float(times.user + times.system) for times in (p.cpu_times() for p in self._processes()))

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, as an orchestrator stops a container; the exit code once the process is gone."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def wait_until_live(base_url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> float:
    """Poll /health/live until it answers 200; the seconds that took."""
    started = time.perf_counter()
    deadline = started + timeout
    with httpx.Client(timeout=1) as client:
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()}")
            with contextlib.suppress(httpx.TransportError):
                if client.get(f"{base_url}/health/live").status_code == 200:
                    return time.perf_counter() - started
            time.sleep(0.01)
    raise RuntimeError(f"the server did not answer within {timeout}s:\n{log.read_text()}")


@contextlib.contextmanager
def serve(
    root: Path,
    environment: Mapping[str, str],
    log: Path,
    *,
    app: str | None = None,
    startup_timeout: float = 60,
) -> Iterator[RunningServer]:
    """Run the production command (for `app` instead of the service's app, when given) until the
    block ends, then SIGTERM it and wait for it to exit.

    It runs in the log's folder, not in `root`: like the image, which copies no `.env`, the server
    must not pick up the development settings of a local `.env`.
    """
    port = free_port()
    started = time.perf_counter()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            production_command(root, port, app=app),
            cwd=log.parent,
            env=server_environment(root, environment),
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    base_url = f"http://{LOOPBACK}:{port}"
    try:
        wait_until_live(base_url, process, log, startup_timeout)
        yield RunningServer(process, base_url, log, time.perf_counter() - started)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
