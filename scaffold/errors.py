"""The failures scaffold reports, each with the exit code docs/scaffold-cli.md documents."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    INVALID_PRESET = 3
    INVALID_ANSWER = 4
    TEMPLATE_UNREACHABLE = 5
    DIRTY_WORK_TREE = 6
    CONFLICTS = 7
    NOT_A_SERVICE = 8
    NO_TERMINAL = 9
    DESTINATION_EXISTS = 10
    COPIER_FAILED = 11
    INTERNAL_ERROR = 70
    CANCELLED = 130


class ScaffoldError(Exception):
    """A failure the user can act on: one line of text and an exit code."""

    exit_code = ExitCode.FAILED


class UsageError(ScaffoldError):
    exit_code = ExitCode.USAGE


class InvalidPreset(ScaffoldError):
    exit_code = ExitCode.INVALID_PRESET


class InvalidAnswer(ScaffoldError):
    exit_code = ExitCode.INVALID_ANSWER


class TemplateUnreachable(ScaffoldError):
    exit_code = ExitCode.TEMPLATE_UNREACHABLE


class DirtyWorkTree(ScaffoldError):
    exit_code = ExitCode.DIRTY_WORK_TREE


class UpdateConflicts(ScaffoldError):
    exit_code = ExitCode.CONFLICTS


class NotAService(ScaffoldError):
    exit_code = ExitCode.NOT_A_SERVICE


class NoTerminal(ScaffoldError):
    exit_code = ExitCode.NO_TERMINAL


class DestinationExists(ScaffoldError):
    exit_code = ExitCode.DESTINATION_EXISTS


class CopierFailed(ScaffoldError):
    exit_code = ExitCode.COPIER_FAILED


class Cancelled(ScaffoldError):
    exit_code = ExitCode.CANCELLED
