"""Use case: is every dependency the service needs usable right now?"""

from __future__ import annotations

import asyncio
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

    async def __call__(self) -> None: ...


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
    """Runs every health check concurrently; a check that raises or outlasts the timeout fails."""

    def __init__(self, checks: Sequence[HealthCheck], *, timeout_seconds: float) -> None:
        self._checks = tuple(checks)
        self._timeout_seconds = timeout_seconds

    async def __call__(self) -> Readiness:
        passed = await asyncio.gather(*(self._passes(check) for check in self._checks))
        return Readiness(
            tuple(
                CheckResult(check.name, ok, check.critical)
                for check, ok in zip(self._checks, passed, strict=True)
            )
        )

    async def _passes(self, check: HealthCheck) -> bool:
        try:
            await asyncio.wait_for(check(), timeout=self._timeout_seconds)
        except Exception:  # noqa: BLE001 - any failure means "not ready"; the caller reports it
            return False
        return True
