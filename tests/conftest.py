"""Fixtures shared by every tier of the generator's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rendering import snapshot_template
from tests.served.fixtures import deploy, figure, shared_server

__all__ = ["deploy", "figure", "shared_server"]


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as it is in the working tree, copied once per test session (and worker)."""
    return snapshot_template(tmp_path_factory.mktemp("template"))


_FIGURES: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect the figures tests record with `record_property("figure", ...)`, from every worker."""
    if report.when == "call":
        _FIGURES.extend(str(value) for name, value in report.user_properties if name == "figure")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
