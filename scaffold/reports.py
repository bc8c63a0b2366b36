"""How scaffold shows results: tables and summaries for people, JSON or YAML for machines."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from rich import box
from rich.console import Console
from rich.table import Table

from scaffold.check import CheckReport
from scaffold.errors import UsageError
from scaffold.fleet import ServiceStatus, UpdateOutcome

STATUS_MARKS = {"pass": "ok", "warn": "warn", "fail": "FAIL", "skip": "skip"}
FORMATS = ("json", "yaml")


def serialise(data: Any, fmt: str) -> str:
    """`data` as JSON (indented, keys in order) or YAML (block style)."""
    if fmt == "json":
        return json.dumps(data, indent=2) + "\n"
    return str(yaml.safe_dump(data, sort_keys=False, default_flow_style=False))


def write_report(data: Any, path: Path) -> None:
    """A report file; its suffix (.json, .yaml, .yml) chooses the format."""
    fmt = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(path.suffix)
    if fmt is None:
        raise UsageError(f"--report {path}: use a .json, .yaml or .yml file")
    path.write_text(serialise(data, fmt), encoding="utf-8")


def _table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in columns:
        table.add_column(column, no_wrap=True)
    return table


def _print_table(console: Console, table: Table) -> None:
    """The table without the trailing blanks rich pads its last column with."""
    with console.capture() as captured:
        console.print(table)
    for line in captured.get().splitlines():
        console.out(line.rstrip(), highlight=False)


def _text(value: object) -> str:
    return "-" if value is None else str(value)


def status_report(statuses: Sequence[ServiceStatus]) -> dict[str, Any]:
    return {"summary": status_summary(statuses), "services": [status.to_dict() for status in statuses]}


def status_summary(statuses: Sequence[ServiceStatus]) -> dict[str, int]:
    return {
        "services": len(statuses),
        "current": sum(status.behind == 0 for status in statuses),
        "behind": sum(bool(status.behind) for status in statuses),
        "dirty": sum(status.dirty for status in statuses),
        "conflicts": sum(bool(status.conflicts) for status in statuses),
        "problems": sum(bool(status.problem) for status in statuses),
    }


def print_status(console: Console, statuses: Sequence[ServiceStatus]) -> None:
    """One row per service, then one summary line."""
    columns = ["service", "version", "latest", "behind", "dirty", "conflicts"]
    problems = any(status.problem for status in statuses)
    table = _table(*columns, *(["problem"] if problems else []))
    for status in statuses:
        row = [
            status.service,
            _text(status.version),
            _text(status.latest),
            _text(status.behind),
            "yes" if status.dirty else "no",
            ", ".join(status.conflicts) or "-",
        ]
        table.add_row(*row, *([status.problem or "-"] if problems else []))
    _print_table(console, table)
    summary = status_summary(statuses)
    console.print(
        f"{summary['services']} services: {summary['current']} current, {summary['behind']} behind, "
        f"{summary['dirty']} dirty, {summary['conflicts']} with conflicts, {summary['problems']} unreadable",
        highlight=False,
    )


def update_report(outcomes: Sequence[UpdateOutcome]) -> dict[str, Any]:
    counts = Counter(outcome.result for outcome in outcomes)
    summary = {"services": len(outcomes)}
    summary.update(
        {kind: counts.get(kind, 0) for kind in ("updated", "current", "dirty", "conflicts", "failed")}
    )
    return {"summary": summary, "services": [outcome.to_dict() for outcome in outcomes]}


def print_update(console: Console, outcomes: Sequence[UpdateOutcome]) -> None:
    table = _table("service", "result", "from", "to", "branch", "conflicts / note")
    for outcome in outcomes:
        note = ", ".join(outcome.conflicts) or outcome.message or "-"
        table.add_row(
            outcome.service,
            outcome.result,
            _text(outcome.previous),
            _text(outcome.current),
            _text(outcome.branch),
            note,
        )
    _print_table(console, table)
    summary = update_report(outcomes)["summary"]
    console.print(
        f"{summary['services']} services: {summary['updated']} updated, {summary['current']} current, "
        f"{summary['dirty']} dirty (not touched), {summary['conflicts']} with conflicts, "
        f"{summary['failed']} failed",
        highlight=False,
    )


def print_check(console: Console, report: CheckReport) -> None:
    """One line per check, its details indented, then the verdict."""
    console.print(f"scaffold check {report.service}", highlight=False)
    for finding in report.findings:
        console.print(
            f"  {STATUS_MARKS[finding.status]:<5} {finding.check:<10} {finding.summary}", highlight=False
        )
        for detail in finding.details:
            console.print(f"{'':18}{detail}", highlight=False)
    console.print("passed" if report.passed else "failed", highlight=False)
