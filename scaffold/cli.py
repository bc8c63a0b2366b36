"""The `scaffold` command line: new, check, update, fleet status, fleet update, export backstage.

Every failure prints one line, `scaffold: <what went wrong>`, and exits with the code of its kind
(scaffold.errors.ExitCode, documented in docs/scaffold-cli.md); never a traceback, unless
SCAFFOLD_DEBUG is set.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

import yaml
from rich.console import Console

from scaffold import backstage, reports
from scaffold.check import check_service
from scaffold.creating import NewService, create_service, parse_data
from scaffold.errors import ExitCode, ScaffoldError, UpdateConflicts, UsageError
from scaffold.fleet import (
    DEFAULT_BRANCH_PREFIX,
    Member,
    discover,
    fleet_status,
    fleet_update,
    read_repos_file,
)
from scaffold.presets import find_preset
from scaffold.source import TemplateSource
from scaffold.updating import update_service

DEBUG_VARIABLE = "SCAFFOLD_DEBUG"
UNBOUNDED_WIDTH = 1000
DEFAULT_JOBS = min(4, os.cpu_count() or 1)

Handler = Callable[[argparse.Namespace, Console, Console], int]


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.USAGE, f"scaffold: {message} (see {self.prog} --help)\n")


def _new(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Generate a service: the wizard on a terminal, or --defaults with a preset and --data."""
    request = NewService(
        destination=args.destination,
        preset=find_preset(args.preset) if args.preset else None,
        data=parse_data(args.data, args.data_file),
        defaults=args.defaults,
        source=args.template,
        version=args.version,
    )
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    created = create_service(request, out, interactive=interactive)
    for note in created.notes:
        err.print(f"scaffold: note: {note}")
    version = created.ref or "its working tree"
    out.print(f"Created {created.destination} from {created.source.location} at {version}.")
    out.print(f"Next: cd {created.destination} && make install test")
    return ExitCode.OK


def _check(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Check one service against its template; exit 1 when a check fails."""
    report = check_service(args.directory)
    if args.json:
        out.print_json(data=report.to_dict())
    else:
        reports.print_check(out, report)
    return ExitCode.OK if report.passed else ExitCode.FAILED


def _update(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Update one clean service; exit 7 and list the files when copier leaves conflicts."""
    result = update_service(args.directory, args.version)
    if not result.moved:
        out.print(f"{result.service} is already at {result.current}; nothing to update.")
        return ExitCode.OK
    out.print(
        f"Updated {result.service} from {result.previous} to {result.current}: {len(result.changed)} files."
    )
    if result.conflicts:
        raise UpdateConflicts(f"conflicts in {len(result.conflicts)} file(s): {', '.join(result.conflicts)}")
    out.print("Review with `git diff`, then commit.")
    return ExitCode.OK


def _members(args: argparse.Namespace) -> list[Member]:
    if (args.root is None) == (args.repos is None):
        raise UsageError("give either ROOT or --repos FILE")
    members = read_repos_file(args.repos) if args.repos else discover(args.root)
    if not members:
        raise UsageError(f"no services found in {args.repos or args.root}")
    return members


def _emit(args: argparse.Namespace, out: Console, data: object, show: Callable[[], None]) -> None:
    if args.report is not None:
        reports.write_report(data, args.report)
    if args.format is None:
        show()
    else:
        out.out(reports.serialise(data, args.format), end="", highlight=False)


def _fleet_status(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Template version, releases behind, dirtiness and conflicts of every service."""
    statuses = fleet_status(_members(args), jobs=args.jobs, console=err)
    _emit(args, out, reports.status_report(statuses), lambda: reports.print_status(out, statuses))
    return ExitCode.OK


def _fleet_update(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Update every clean service on its own branch; exit 1 when any was dirty, conflicted or failed."""
    outcomes = fleet_update(
        _members(args), version=args.version, branch_prefix=args.branch_prefix, jobs=args.jobs, console=err
    )
    _emit(args, out, reports.update_report(outcomes), lambda: reports.print_update(out, outcomes))
    settled = all(outcome.result in {"updated", "current"} for outcome in outcomes)
    return ExitCode.OK if settled else ExitCode.FAILED


def _export_backstage(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Write template.yaml, or with --check compare one with copier.yml (exit 1 when they disagree)."""
    preset = find_preset(args.preset) if args.preset else None
    source = TemplateSource.of(args.template or (preset.source if preset else None))
    ref = source.resolve(args.version or (preset.version if preset else None))
    spec = source.spec(ref)
    if args.check is not None:
        problems = backstage.drift(spec, _read_yaml(args.check))
        for problem in problems:
            out.print(f"{args.check}: {problem}", highlight=False)
        return ExitCode.FAILED if problems else ExitCode.OK
    document = backstage.export(
        spec,
        source=source.location,
        version=ref,
        name=args.name,
        owner=args.owner,
        constraints=preset.constraints(spec) if preset else None,
    )
    text = reports.serialise(document, "yaml")
    if args.output is None:
        out.out(text, end="", highlight=False)
    else:
        args.output.write_text(text, encoding="utf-8")
        err.print(f"Wrote {args.output}", highlight=False)
    return ExitCode.OK


def _read_yaml(path: Path) -> dict[str, object]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise UsageError(f"{path}: cannot read it as YAML") from error
    if not isinstance(document, dict):
        raise UsageError(f"{path}: not a Backstage template")
    return document


def _add_template_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--template", metavar="SOURCE", help="template path or git URL (default: installed)")
    parser.add_argument("--version", metavar="REF", help="template git tag or ref (default: latest release)")
    parser.add_argument("--preset", metavar="NAME|FILE", help="organisation preset")


def _add_fleet_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("root", nargs="?", type=Path, metavar="ROOT", help="folder holding the services")
    parser.add_argument("--repos", type=Path, metavar="FILE", help="file listing service folders, one a line")
    parser.add_argument(
        "--jobs", type=int, default=DEFAULT_JOBS, help=f"parallel services (default {DEFAULT_JOBS})"
    )
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument("--json", dest="format", action="store_const", const="json", help="print JSON")
    formats.add_argument("--yaml", dest="format", action="store_const", const="yaml", help="print YAML")
    parser.add_argument("--report", type=Path, metavar="FILE", help="also write the report (.json or .yaml)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="scaffold", description="Generate and maintain layered Python backend services.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="generate a service (the wizard, or --defaults)")
    new.add_argument(
        "destination", nargs="?", type=Path, metavar="DEST", help="new folder (default ./<slug>)"
    )
    _add_template_options(new)
    new.add_argument("--data", "-d", action="append", default=[], metavar="KEY=VALUE", help="an answer")
    new.add_argument("--data-file", type=Path, metavar="FILE", help="answers in a YAML file")
    new.add_argument("--defaults", action="store_true", help="ask nothing: defaults for what is not given")
    new.set_defaults(handler=_new)

    check = commands.add_parser("check", help="check a service against its template")
    check.add_argument("directory", nargs="?", type=Path, default=Path(), metavar="DIR")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(handler=_check)

    update = commands.add_parser("update", help="update a service to a newer template version")
    update.add_argument("directory", nargs="?", type=Path, default=Path(), metavar="DIR")
    update.add_argument("--version", metavar="REF", help="template tag to update to (default: latest)")
    update.set_defaults(handler=_update)

    fleet = commands.add_parser("fleet", help="many services at once").add_subparsers(
        dest="fleet_command", required=True, metavar="COMMAND"
    )
    status = fleet.add_parser("status", help="template version, how far behind, dirty, conflicts")
    _add_fleet_options(status)
    status.set_defaults(handler=_fleet_status)
    fleet_update_parser = fleet.add_parser("update", help="update clean services, each on its own branch")
    _add_fleet_options(fleet_update_parser)
    fleet_update_parser.add_argument("--version", metavar="REF", help="template tag (default: latest)")
    fleet_update_parser.add_argument(
        "--branch-prefix",
        default=DEFAULT_BRANCH_PREFIX,
        help=f"branch name before the version ({DEFAULT_BRANCH_PREFIX})",
    )
    fleet_update_parser.set_defaults(handler=_fleet_update)

    export = commands.add_parser("export", help="export the template for other tools").add_subparsers(
        dest="export_command", required=True, metavar="FORMAT"
    )
    exported = export.add_parser("backstage", help="a Backstage software template (template.yaml)")
    _add_template_options(exported)
    exported.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout")
    exported.add_argument("--name", default="python-service", help="the Template entity's name")
    exported.add_argument("--owner", default="group:platform", help="the Template entity's owner")
    exported.add_argument("--check", type=Path, metavar="FILE", help="compare FILE with copier.yml instead")
    exported.set_defaults(handler=_export_backstage)
    return parser


def _console(stream: TextIO) -> Console:
    """A console that never wraps a line it does not have to: wide enough for any table off a terminal."""
    width = None if stream.isatty() else UNBOUNDED_WIDTH
    return Console(file=stream, highlight=False, soft_wrap=True, width=width)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `scaffold` command."""
    args = build_parser().parse_args(argv)
    out = _console(sys.stdout)
    err = _console(sys.stderr)
    handler: Handler = args.handler
    try:
        return handler(args, out, err)
    except ScaffoldError as error:
        err.print(f"scaffold: {error}", markup=False)
        return error.exit_code
    except KeyboardInterrupt:
        err.print("scaffold: cancelled", markup=False)
        return ExitCode.CANCELLED
    except Exception as error:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        err.print(
            f"scaffold: internal error: {type(error).__name__}: {error} (set {DEBUG_VARIABLE}=1 for details)",
            markup=False,
        )
        return ExitCode.INTERNAL_ERROR
