"""What the HTTP layer takes from the settings, whatever the framework."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HttpOptions:
    title: str
    version: str
    cors_allow_origins: Sequence[str]
    max_request_body_bytes: int
    hsts: bool
