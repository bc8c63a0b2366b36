"""Start-up: from process start to the first 200 from /health/live, and the import time of the app
module, for the generated service and the bare app alike."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Final

from bench.services import BARE, GENERATED, Bench, Target
from bench.stats import Spread, table
from tests.served.generation import package_of
from tests.served.production import server_environment

IMPORT_TIMER: Final = (
    "import time; started = time.perf_counter(); import {module}; print(time.perf_counter() - started)"
)
"""A program that prints how long importing `{module}` takes in a fresh interpreter."""


def _app_module(target: Target) -> str:
    if target.app is not None:
        return target.app.split(":")[0]
    return f"{package_of(target.root)}.main"


def _import_seconds(target: Target) -> float:
    result = subprocess.run(
        [
            str(target.root / ".venv" / "bin" / "python"),
            "-c",
            IMPORT_TIMER.format(module=_app_module(target)),
        ],
        cwd=target.root,
        env=server_environment(target.root, target.environment),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip())


def startup_report(bench: Bench, rounds: int, logs: Path) -> str:
    rows = []
    for name in (GENERATED, BARE):
        target = bench.targets[name]
        live = []
        for _ in range(rounds):
            with target.serve(logs) as server:
                live.append(server.started_in_seconds)
        imports = [_import_seconds(target) for _ in range(rounds)]
        rows.append(
            [
                name,
                Spread.of(live).format(2, " s"),
                f"import {_app_module(target)}",
                Spread.of(imports).format(2, " s"),
            ]
        )
    return table(["app", "process start → first 200 from /health/live", "module", "import time"], rows)
