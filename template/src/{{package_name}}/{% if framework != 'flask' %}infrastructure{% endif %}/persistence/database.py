"""The database's health check, for the readiness probe."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


class DatabaseHealthCheck:
    """Ready when a trivial query succeeds."""

    name = "database"
    critical = True

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def __call__(self) -> None:
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
