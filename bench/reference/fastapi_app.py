"""The bare FastAPI reference app: what a generated service's item endpoints do, with nothing else.

It runs the same statements as the generated service's repository (SQLAlchemy Core on asyncpg) on
the service's own `items` table, with a pool of the same size, and answers with bodies of the same
shape; it has no middleware, no layers, no logging and no error handling of its own. The bench serves
it with the generated service's production server command, so the only difference is the app.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import FastAPI, HTTPException, Query, Request, Response
from item_schema import POOL, ItemIn, ItemOut, id_by_name, item_by_id, item_count, item_page, items
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def _engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def create_app() -> FastAPI:
    """`uvicorn --factory fastapi_app:create_app`, with DATABASE_URL set."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = create_async_engine(os.environ["DATABASE_URL"], **POOL)
        yield
        await app.state.engine.dispose()

    app = FastAPI(lifespan=lifespan, telemetry={"tracing": False, "metrics": False, "logs": False})

    @app.get("/health/live")
    async def live() -> dict[str, Any]:
        return {"status": "pass", "checks": {}}

    @app.get("/api/v1/items/{item_id}")
    async def get_item(item_id: UUID, request: Request) -> dict[str, Any]:
        async with _engine(request).connect() as connection:
            row = (await connection.execute(item_by_id(item_id))).mappings().first()
        if row is None:
            raise HTTPException(404)
        return {"data": ItemOut.model_validate(dict(row)), "meta": {}}

    @app.get("/api/v1/items")
    async def list_items(
        request: Request, page: Annotated[int, Query(ge=1)] = 1, limit: Annotated[int, Query(ge=1)] = 20
    ) -> dict[str, Any]:
        async with _engine(request).connect() as connection:
            total = await connection.scalar(item_count())
            result = await connection.execute(item_page(page, limit))
            rows = [ItemOut.model_validate(dict(row)) for row in result.mappings()]
        return {"data": rows, "meta": {"page": page, "limit": limit, "total": total}}

    @app.post("/api/v1/items", status_code=201)
    async def create_item(body: ItemIn, request: Request, response: Response) -> dict[str, Any]:
        now = datetime.now(UTC)
        row = {"id": uuid4(), **body.model_dump(), "created_at": now, "updated_at": now, "version": 1}
        async with _engine(request).begin() as connection:
            if await connection.scalar(id_by_name(body.name)) is not None:
                raise HTTPException(409)
            await connection.execute(insert(items).values(row))
        response.headers["Location"] = f"/api/v1/items/{row['id']}"
        return {"data": ItemOut.model_validate(row), "meta": {}}

    return app
