"""The bare Litestar reference app: what a generated service's item endpoints do, with nothing else.

It runs the same statements as the generated service's repository (SQLAlchemy Core on asyncpg) on
the service's own `items` table, with a pool of the same size, and answers with bodies of the same
shape; it has no middleware, no layers, no logging and no error handling of its own. Bodies are
validated by Litestar's signature model with pydantic models, as in the generated service (Litestar
adds its pydantic plugins by default). The bench serves it with the generated service's production
server command, so the only difference is the app.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from item_schema import POOL, ItemIn, ItemOut, id_by_name, item_by_id, item_count, item_page, items
from litestar import Litestar, Response, get, post
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_409_CONFLICT
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def _engine(state: State) -> AsyncEngine:
    engine: AsyncEngine = state.engine
    return engine


@get("/health/live")
async def live() -> dict[str, Any]:
    return {"status": "pass", "checks": {}}


@get("/api/v1/items/{item_id:uuid}")
async def get_item(item_id: UUID, state: State) -> dict[str, Any]:
    async with _engine(state).connect() as connection:
        row = (await connection.execute(item_by_id(item_id))).mappings().first()
    if row is None:
        raise NotFoundException()
    return {"data": ItemOut.model_validate(dict(row)), "meta": {}}


@get("/api/v1/items")
async def list_items(
    state: State, page: Annotated[int, Parameter(ge=1)] = 1, limit: Annotated[int, Parameter(ge=1)] = 20
) -> dict[str, Any]:
    async with _engine(state).connect() as connection:
        total = await connection.scalar(item_count())
        result = await connection.execute(item_page(page, limit))
        rows = [ItemOut.model_validate(dict(row)) for row in result.mappings()]
    return {"data": rows, "meta": {"page": page, "limit": limit, "total": total}}


@post("/api/v1/items", status_code=HTTP_201_CREATED)
async def create_item(data: ItemIn, state: State) -> Response[dict[str, Any]]:
    now = datetime.now(UTC)
    row = {"id": uuid4(), **data.model_dump(), "created_at": now, "updated_at": now, "version": 1}
    async with _engine(state).begin() as connection:
        if await connection.scalar(id_by_name(data.name)) is not None:
            raise HTTPException(status_code=HTTP_409_CONFLICT)
        await connection.execute(insert(items).values(row))
    return Response(
        {"data": ItemOut.model_validate(row), "meta": {}},
        status_code=HTTP_201_CREATED,
        headers={"Location": f"/api/v1/items/{row['id']}"},
    )


def create_app() -> Litestar:
    """`uvicorn --factory litestar_app:create_app`, with DATABASE_URL set."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.engine = create_async_engine(os.environ["DATABASE_URL"], **POOL)
        yield
        await app.state.engine.dispose()

    return Litestar(
        route_handlers=[live, get_item, list_items, create_item],
        lifespan=[lifespan],
        logging_config=None,
    )
