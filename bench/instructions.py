"""Instructions per request: the generated service beside the bare app, counted by callgrind.

Requests/s on a shared VM move by a third between identical runs; the instructions the interpreter
executes for a request do not (about 1%). bench/in_process.py drives each app in process, under
`valgrind --tool=callgrind`, with instrumentation switched on only around the measured requests;
the database is the real one. The count covers the server process's user-space work for the app
(no HTTP parsing: both apps would pay it alike), not the kernel's, nor time spent waiting.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bench.debian import install_debian_package
from bench.services import BARE, GENERATED, Bench, Target
from bench.stats import table
from bench.throughput import SCENARIOS
from tests.served.generation import package_of
from tests.served.production import server_environment, server_program

DRIVER: Final = Path(__file__).with_name("in_process.py")
CALLGRIND_HEADER: Final = Path("/usr/include/valgrind/callgrind.h")
REQUESTS: Final = 320
SWITCH_SOURCE: Final = """
#include <valgrind/callgrind.h>
void bench_instructions_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void bench_instructions_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS; }
"""
"""The two callgrind client requests the driver calls through ctypes."""
_TOTALS: Final = re.compile(r"^totals: (\d+)", re.MULTILINE)


@dataclass(frozen=True)
class Count:
    instructions_per_request: float
    statuses: dict[str, int]


def ensure_valgrind(workdir: Path) -> Path:
    """The switch library, compiled against valgrind's headers (Debian's valgrind package, installed
    on first use when missing, as wrk is)."""
    if shutil.which("valgrind") is None or not CALLGRIND_HEADER.exists():
        install_debian_package("valgrind")
    source = workdir / "callgrind_switch.c"
    library = workdir / "callgrind_switch.so"
    source.write_text(SWITCH_SOURCE, encoding="utf-8")
    subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-o", str(library), str(source)], check=True)
    return library


def _app(target: Target) -> str:
    """The app as the production server names it: `module:factory()` for gunicorn (WSGI)."""
    if target.app is not None:
        return target.app
    wsgi = server_program(target.root) == "gunicorn"
    return f"{package_of(target.root)}.main:create_app" + ("()" if wsgi else "")


def count(target: Target, path: str, mode: str, library: Path, workdir: Path) -> Count:
    """Instructions per request of `target` serving `path` in `mode` ("read" or "create").

    It runs outside the service's folder, as the production server does, so that no development
    `.env` applies.
    """
    output = workdir / f"callgrind-{target.name.replace(' ', '')}-{mode}"
    environment = {
        **server_environment(target.root, target.environment),
        "DATABASE_POOL_TIMEOUT_SECONDS": "600",
    }
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={output}.%p",
            str(target.root / ".venv" / "bin" / "python"),
            str(DRIVER),
            _app(target),
            path,
            mode,
            str(REQUESTS),
            str(library),
        ],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{target.name} under callgrind failed:\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return Count(_measured_instructions(output) / figures["requests"], figures["statuses"])


def _measured_instructions(output: Path) -> int:
    """The instructions of the measured block: the dump the driver asked for, not the one at exit
    (instrumentation was off by then). The dumps are deleted."""
    dumps = list(output.parent.glob(f"{output.name}.*"))
    totals = [int(total) for dump in dumps for total in _TOTALS.findall(dump.read_text())]
    for dump in dumps:
        dump.unlink()
    return max(totals)


def instructions_report(bench: Bench, workdir: Path) -> str:
    library = ensure_valgrind(workdir)
    rows = []
    for scenario, (mode, template) in SCENARIOS.items():
        path = template.format(item_id=bench.item_id)
        counts = {
            name: count(bench.targets[name], path, mode, library, workdir) for name in (BARE, GENERATED)
        }
        if mode == "create":
            bench.database.delete_created()
        bare, generated = counts[BARE], counts[GENERATED]
        ratio = generated.instructions_per_request / bare.instructions_per_request
        rows.append(
            [
                scenario,
                f"{bare.instructions_per_request / 1e6:.3f}",
                f"{generated.instructions_per_request / 1e6:.3f}",
                f"x{ratio:.2f}",
                f"{bare.statuses} / {generated.statuses}",
            ]
        )
    header = ["endpoint", "bare, M instructions/request", "generated", "generated / bare", "statuses"]
    return table(header, rows)
