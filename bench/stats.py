"""Medians with their spread, ratios of side-by-side rounds, and Markdown tables to print them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """The median of several rounds, with the lowest and highest."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def format(self, digits: int = 0, unit: str = "") -> str:
        return f"{self.median:.{digits}f}{unit} ({self.low:.{digits}f}-{self.high:.{digits}f})"


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> Spread:
    """Round by round ratios (each pair measured side by side), summarised."""
    return Spread.of([top / bottom for top, bottom in zip(numerators, denominators, strict=True)])


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)
