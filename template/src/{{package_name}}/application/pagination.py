"""Pages of results: every list in the service is paginated, with a bounded page size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

T = TypeVar("T")

MAX_PAGE_SIZE: Final = 100
DEFAULT_PAGE_SIZE: Final = 20


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """A slice of a sorted result and the size of the whole result."""

    items: Sequence[T]
    total: int
    page: int
    limit: int

    @property
    def has_next(self) -> bool:
        return self.page * self.limit < self.total
