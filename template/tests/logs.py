"""What the service logs through structlog, as tests see it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import structlog
from structlog.typing import EventDict, Processor

_RENDERERS = (structlog.processors.JSONRenderer, structlog.dev.ConsoleRenderer)


@contextmanager
def logged_events() -> Iterator[list[EventDict]]:
    """The events logged inside the block, as the configured processors leave them for rendering
    (request id, logger name, level, structured traceback). Create the app before the block:
    configuring logging replaces the capture."""
    configured: list[Processor] = structlog.get_config()["processors"]
    before_rendering = list(
        itertools.takewhile(lambda processor: not isinstance(processor, _RENDERERS), configured)
    )
    with structlog.testing.capture_logs(processors=before_rendering) as events:
        yield events
