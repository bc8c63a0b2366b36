"""Service throughput: every target under the same load, round by round, in rotating order.

One table compares the generated service with the bare app (the issue's goal: at least 0.85 of its
throughput, p99 within 1.5 times); another the generated service with tracing on (exporting to a
local OTLP sink) and off; a third the generated service with JWT auth (a bearer token on every
request) and without auth.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bench.services import AUTHENTICATED, BARE, BENCH_PREFIX, GENERATED, TRACED, Bench
from bench.stats import Spread, ratios, table, verdict
from bench.wrk import LoadResult, run_wrk
from tests.served.production import RunningServer

COLLECTION: Final = "/api/v1/items"
SCENARIOS: Final = {
    "GET by id": ("read", f"{COLLECTION}/{{item_id}}"),
    "GET list, page of 20": ("read", f"{COLLECTION}?limit=20"),
    "POST": ("create", COLLECTION),
}
THROUGHPUT_GOAL: Final = 0.85
P99_GOAL: Final = 1.5
WARM_UP_SECONDS: Final = 2.0


@dataclass(frozen=True)
class Measurement:
    load: LoadResult
    cpu_ms_per_request: float


Results = dict[str, dict[str, list[Measurement]]]
"""By scenario, then by target: one measurement per round."""


@dataclass(frozen=True)
class LoadPlan:
    wrk: str
    rounds: int
    seconds: float
    connections: int


def _load(
    server: RunningServer,
    headers: dict[str, str],
    bench: Bench,
    scenario: str,
    plan: LoadPlan,
    seconds: float,
) -> Measurement:
    mode, path = SCENARIOS[scenario]
    url = server.base_url + path.format(item_id=bench.item_id)
    before = server.cpu_seconds()
    load = run_wrk(
        plan.wrk,
        url,
        connections=plan.connections,
        seconds=seconds,
        mode=mode,
        prefix=f"{BENCH_PREFIX}-{uuid.uuid4().hex[:8]}",
        headers=headers,
    )
    cpu = server.cpu_seconds() - before
    if mode == "create":
        bench.database.delete_created()
    return Measurement(load, 1000 * cpu / max(load.requests, 1))


def measure(bench: Bench, plan: LoadPlan, logs: Path) -> Results:
    """Serve every target at once; each round loads each in turn, in the order of the targets and
    then in the reverse order (ABBA), so that a drift in the machine's speed weighs on both sides
    of a comparison alike."""
    results: Results = defaultdict(lambda: defaultdict(list))
    with contextlib.ExitStack() as stack:
        servers = {name: stack.enter_context(target.serve(logs)) for name, target in bench.targets.items()}
        headers = {
            name: target.credentials(servers[name].base_url) if target.credentials else {}
            for name, target in bench.targets.items()
        }
        names = list(servers)
        for scenario in SCENARIOS:
            for name in names:
                _load(servers[name], headers[name], bench, scenario, plan, WARM_UP_SECONDS)
        for round_number in range(plan.rounds):
            order = names if round_number % 2 == 0 else names[::-1]
            for scenario in SCENARIOS:
                for name in order:
                    measured = _load(servers[name], headers[name], bench, scenario, plan, plan.seconds)
                    results[scenario][name].append(measured)
    return results


def _figures(measurements: list[Measurement]) -> list[str]:
    failed = sum(m.load.failed + m.load.non_2xx for m in measurements)
    return [
        Spread.of([m.load.requests_per_second for m in measurements]).format(),
        Spread.of([m.load.p50_ms for m in measurements]).format(1),
        Spread.of([m.load.p99_ms for m in measurements]).format(1),
        Spread.of([m.cpu_ms_per_request for m in measurements]).format(2),
        str(failed),
    ]


def _ratio(
    by_target: dict[str, list[Measurement]],
    subject: str,
    baseline: str,
    figure: Callable[[Measurement], float],
) -> Spread:
    return ratios([figure(m) for m in by_target[subject]], [figure(m) for m in by_target[baseline]])


def _comparison(results: Results, subject: str, baseline: str, *, goals: bool) -> str:
    header = ["endpoint", "app", "requests/s", "p50 ms", "p99 ms", "server CPU ms/request", "errors"]
    rows = []
    for scenario, by_target in results.items():
        rows.append([scenario, baseline, *_figures(by_target[baseline])])
        rows.append(["", subject, *_figures(by_target[subject])])
        throughput = _ratio(by_target, subject, baseline, lambda m: m.load.requests_per_second)
        p99 = _ratio(by_target, subject, baseline, lambda m: m.load.p99_ms)
        cpu = _ratio(by_target, subject, baseline, lambda m: m.cpu_ms_per_request)
        throughput_cell, p99_cell = f"x{throughput.format(2)}", f"x{p99.format(2)}"
        if goals:
            throughput_cell += f" {verdict(throughput.median >= THROUGHPUT_GOAL)} (goal >= {THROUGHPUT_GOAL})"
            p99_cell += f" {verdict(p99.median <= P99_GOAL)} (goal <= {P99_GOAL})"
        rows.append(["", f"{subject} / {baseline}", throughput_cell, "", p99_cell, f"x{cpu.format(2)}", ""])
    return table(header, rows)


def throughput_report(results: Results) -> str:
    return _comparison(results, GENERATED, BARE, goals=True)


def observability_report(results: Results) -> str:
    return _comparison(results, TRACED, GENERATED, goals=False)


def authentication_report(results: Results) -> str:
    return _comparison(results, AUTHENTICATED, GENERATED, goals=False)
