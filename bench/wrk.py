"""Load with wrk (Debian's package, installed on first use when missing): one run, its figures."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bench.debian import install_debian_package

SCRIPT: Final = Path(__file__).with_name("load.lua")
THREADS: Final = 2
"""One wrk thread per core of the benchmark machine."""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    failed: int
    non_2xx: int
    p50_ms: float
    p99_ms: float

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds


def ensure_wrk() -> str:
    """The wrk executable; `apt-get install wrk` first when it is missing (needs root)."""
    if shutil.which("wrk") is None:
        install_debian_package("wrk")
    return shutil.which("wrk") or "wrk"


def run_wrk(
    wrk: str,
    url: str,
    *,
    connections: int,
    seconds: float,
    mode: str,
    prefix: str = "",
    headers: Mapping[str, str] | None = None,
) -> LoadResult:
    """`mode` "read" repeats a GET of `url`; "create" POSTs a new uniquely named item to it; every
    request carries `headers`."""
    result = subprocess.run(
        [
            wrk,
            f"--threads={THREADS}",
            f"--connections={connections}",
            f"--duration={seconds:g}s",
            "--timeout=10s",
            *(f"--header={name}: {value}" for name, value in (headers or {}).items()),
            f"--script={SCRIPT}",
            url,
            "--",
            mode,
            prefix,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return LoadResult(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        failed=figures["failed"],
        non_2xx=figures["non_2xx"],
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
    )
