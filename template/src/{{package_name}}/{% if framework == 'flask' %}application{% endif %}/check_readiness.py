"""Use case: is every dependency the service needs usable right now?"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class HealthCheck(Protocol):
    """A dependency of the service. Calling it raises when the dependency is unusable.

    The service is not ready while a `critical` check fails; a failing non-critical one (a cache)
    only degrades it.
    """

    @property
    def name(self) -> str: ...

    @property
    def critical(self) -> bool: ...

    def __call__(self) -> None: ...


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    passed: bool
    critical: bool


@dataclass(frozen=True, slots=True)
class Readiness:
    results: tuple[CheckResult, ...]

    @property
    def ready(self) -> bool:
        """Every critical dependency works: the service can take traffic."""
        return all(result.passed for result in self.results if result.critical)

    @property
    def degraded(self) -> bool:
        """Some dependency fails, so the service may be slower than usual."""
        return not all(result.passed for result in self.results)


class CheckReadiness:
    """Runs every health check concurrently; a check that raises or outlasts the timeout fails.

    Each check runs in a daemon thread of its own, so one that hangs is abandoned at the timeout
    instead of holding the request (or the process's exit) up.
    """

    def __init__(self, checks: Sequence[HealthCheck], *, timeout_seconds: float) -> None:
        self._checks = tuple(checks)
        self._timeout_seconds = timeout_seconds

    def __call__(self) -> Readiness:
        passed = [False] * len(self._checks)

        def run(index: int, check: HealthCheck) -> None:
            try:
                check()
            except Exception:  # noqa: BLE001 - any failure means "not ready"; the caller reports it
                return
            passed[index] = True

        threads = [
            threading.Thread(target=run, args=(index, check), name=check.name, daemon=True)
            for index, check in enumerate(self._checks)
        ]
        deadline = time.monotonic() + self._timeout_seconds
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        finished = [not thread.is_alive() for thread in threads]
        return Readiness(
            tuple(
                CheckResult(check.name, ok and done, check.critical)
                for check, ok, done in zip(self._checks, passed, finished, strict=True)
            )
        )
