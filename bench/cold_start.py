"""Serverless cold start: the import time of a generated function's handler module (what Lambda's init
phase runs: the imports and the build of the app) beside its app module's, each in fresh interpreters,
and the top-level packages that dominate it (`python -X importtime`)."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path
from typing import Final

from bench.startup import IMPORT_TIMER
from bench.stats import Spread, table
from tests.generated.service import Service, service_environment
from tests.rendering import copy_working_tree
from tests.served.generation import FRAMEWORKS

PACKAGE: Final = "my_service"
UNUSED_DATABASE: Final = "postgresql://postgres@127.0.0.1:5432/never_connected"
"""Building the app opens no connection; the URL only has to be well-formed."""


def _python(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**service_environment(UNUSED_DATABASE), "ENVIRONMENT": "test", "LOG_FORMAT": "json"}
    return subprocess.run(
        [str(root / ".venv" / "bin" / "python"), *arguments],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )


def import_seconds(root: Path, module: str) -> float:
    return float(_python(root, "-c", IMPORT_TIMER.format(module=module)).stdout.strip())


def heaviest_packages(root: Path, module: str, count: int = 5) -> list[tuple[str, float]]:
    """The top-level packages whose own import time adds up to the most, in seconds."""
    report = _python(root, "-X", "importtime", "-c", f"import {module}").stderr
    totals: Counter[str] = Counter()
    for line in report.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        totals[name.split(".")[0]] += int(self_us) / 1_000_000
    return totals.most_common(count)


def cold_start_report(workdir: Path, rounds: int) -> str:
    rows = []
    for framework in FRAMEWORKS:
        root = workdir / f"serverless-{framework}"
        copy_working_tree(
            root,
            {"architecture": "serverless", "framework": framework, "database": "postgresql", "auth": "jwt"},
        )
        Service(root, service_environment(None)).make("install")
        for module in (f"{PACKAGE}.main", f"{PACKAGE}.lambda_handler"):
            seconds = [import_seconds(root, module) for _ in range(rounds)]
            heaviest = ", ".join(f"{name} {value:.2f}" for name, value in heaviest_packages(root, module))
            rows.append([framework, f"import {module}", Spread.of(seconds).format(2, " s"), heaviest])
    return table(["framework", "module", "import time", "heaviest top-level packages (s, self time)"], rows)
