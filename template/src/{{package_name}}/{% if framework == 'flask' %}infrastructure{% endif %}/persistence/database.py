"""The database's health check, for the readiness probe."""

from __future__ import annotations

from sqlalchemy import Engine, text


class DatabaseHealthCheck:
    """Ready when a trivial query succeeds."""

    name = "database"
    critical = True

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self) -> None:
        with self._engine.connect() as connection:
            connection.execute(text("SELECT 1"))
