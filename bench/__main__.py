"""`python -m bench`: run the benchmarks and print their tables as Markdown (see BENCHMARKS.md).

Every framework value of copier.yml is benchmarked: its generated service on PostgreSQL, served by
its production command, beside the bare reference app of bench/reference/. Load goes to 127.0.0.1
only, and every run of it is bounded in time.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import tempfile
from collections.abc import Sequence, Sized
from pathlib import Path

from bench import reference
from bench.cold_start import cold_start_report
from bench.generator import generator_report
from bench.instructions import REQUESTS, instructions_report
from bench.services import Bench, bench_for
from bench.startup import startup_report
from bench.throughput import (
    P99_GOAL,
    THROUGHPUT_GOAL,
    LoadPlan,
    authentication_report,
    measure,
    observability_report,
    throughput_report,
)
from bench.wrk import ensure_wrk
from tests.generated.service import otlp_sink
from tests.served.generation import FRAMEWORKS

SECTIONS = ("service", "instructions", "serverless", "generator")


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        choices=SECTIONS,
        help="run one section: service (load, start-up), instructions (callgrind counts per request),"
        " serverless (cold import) or generator",
    )
    parser.add_argument(
        "--framework",
        choices=FRAMEWORKS,
        action="append",
        help="benchmark this framework's services only (repeatable; default: every framework)",
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds of every measurement (default 4)")
    parser.add_argument("--seconds", type=float, default=10, help="length of one load run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--render-rounds", type=int, default=1, help="runs of the render tier (default 1)")
    return parser.parse_args(argv)


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{datetime.date.today().isoformat()}, {platform.node()}: {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()} (generator)"
    )


def _service_sections(
    arguments: argparse.Namespace, workdir: Path, *, load: bool, instructions: bool
) -> None:
    """For every framework: load and start-up (`load`), instructions per request (`instructions`)."""
    missing = sorted(set(FRAMEWORKS) - set(reference.APPS))
    if missing:
        raise SystemExit(
            f"bench/reference has no bare app for {', '.join(missing)}: add one to reference.APPS"
        )
    for framework in arguments.framework or FRAMEWORKS:
        with otlp_sink() as (endpoint, exports), bench_for(framework, workdir / framework, endpoint) as bench:
            if load:
                _load_sections(arguments, framework, bench, workdir / framework, exports)
            if instructions:
                print(f"\n## {framework}: instructions per request (callgrind, {REQUESTS} requests)\n")
                print(instructions_report(bench, workdir / framework))


def _load_sections(
    arguments: argparse.Namespace, framework: str, bench: Bench, workdir: Path, exports: Sized
) -> None:
    plan = LoadPlan(ensure_wrk(), arguments.rounds, arguments.seconds, arguments.connections)
    results = measure(bench, plan, workdir)
    load = f"wrk, {arguments.connections} connections, {arguments.rounds} rounds of {arguments.seconds:g} s"
    print(f"\n## {framework}: generated service vs bare app (PostgreSQL, production command; {load})\n")
    print(f"Goals: throughput >= {THROUGHPUT_GOAL}x the bare app's, p99 <= {P99_GOAL}x.\n")
    print(throughput_report(results))
    print(f"\n## {framework}: observability cost (tracing exported to a local OTLP sink, vs none)\n")
    print(observability_report(results))
    print(f"\nThe OTLP sink received {len(exports)} exports.")
    print(f"\n## {framework}: authentication cost (a JWT bearer token on every request, vs none)\n")
    print(authentication_report(results))
    print(f"\n## {framework}: start-up (medians of {arguments.rounds} runs)\n")
    print(startup_report(bench, arguments.rounds, workdir))


def main(argv: Sequence[str] | None = None) -> None:
    arguments = _arguments(argv)
    print(f"# Benchmarks\n\n{_machine()}")
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        workdir = Path(directory)
        if arguments.only in (None, "service", "instructions"):
            load, instructions = arguments.only != "instructions", arguments.only != "service"
            _service_sections(arguments, workdir, load=load, instructions=instructions)
        if arguments.only in (None, "serverless"):
            print(f"\n## Serverless: cold import of the handler (medians of {arguments.rounds} runs)\n")
            print(cold_start_report(workdir, arguments.rounds))
        if arguments.only in (None, "generator"):
            print(f"\n## Generator (medians of {arguments.rounds} runs)\n")
            print(generator_report(workdir, arguments.rounds, arguments.render_rounds))


if __name__ == "__main__":
    main()
