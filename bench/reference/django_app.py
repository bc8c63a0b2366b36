"""The bare Django reference app: what a generated service's item endpoints do, with nothing else.

Django Ninja on Django's ASGI handler, as in the generated service: Ninja is how a team writes a typed
JSON API on Django (plain Django views would parse, validate and serialise by hand), so the bare app
and the service differ by the template alone, not by the web framework. It runs the same statements
as the generated service's repository (SQLAlchemy Core on asyncpg; no Django ORM) on the service's
own `items` table, with a pool of the same size, and answers with bodies of the same shape. Django is
configured with no middleware, no installed apps and no database; the app has no layers, no logging
and no error handling of its own. The only code outside Django is the ASGI lifespan (which Django's
handler does not speak), to close the pool on shutdown. The bench serves it with the generated
service's production server command, so the only difference is the app.
"""

# No `from __future__ import annotations`: Django Ninja evaluates the views' annotations in the
# module's globals, and the views' types are imported inside create_app(), after Django's settings.
import os
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from item_schema import POOL, ItemIn, ItemOut, id_by_name, item_by_id, item_count, item_page, items
from pydantic import BaseModel
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


urlpatterns: list[Any] = []
"""This module is Django's ROOT_URLCONF; create_app() routes everything to the Ninja API."""


class ItemEnvelope(BaseModel):
    data: ItemOut
    meta: dict[str, Any]


class PageMeta(BaseModel):
    page: int
    limit: int
    total: int


class ItemPage(BaseModel):
    data: list[ItemOut]
    meta: PageMeta


def _configure_django() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            ALLOWED_HOSTS=["*"],
            INSTALLED_APPS=[],
            DATABASES={},
            MIDDLEWARE=[],
            ROOT_URLCONF=__name__,
            USE_TZ=True,
        )


def create_app() -> ASGIApp:
    """`uvicorn --factory django_app:create_app`, with DATABASE_URL set."""
    _configure_django()
    # Django Ninja reads Django's settings as it is imported: only now can it be imported.
    from django.core.asgi import get_asgi_application
    from django.http import HttpRequest, HttpResponse
    from django.urls import path
    from ninja import NinjaAPI, P, Query, Status
    from ninja.errors import HttpError

    engine = create_async_engine(os.environ["DATABASE_URL"], **POOL)
    api = NinjaAPI()

    @api.get("/health/live")
    async def live(request: HttpRequest) -> dict[str, Any]:
        return {"status": "pass", "checks": {}}

    @api.get("/api/v1/items/{item_id}", response=ItemEnvelope)
    async def get_item(request: HttpRequest, item_id: UUID) -> dict[str, Any]:
        async with engine.connect() as connection:
            row = (await connection.execute(item_by_id(item_id))).mappings().first()
        if row is None:
            raise HttpError(404, "Not Found")
        return {"data": ItemOut.model_validate(dict(row)), "meta": {}}

    @api.get("/api/v1/items", response=ItemPage)
    async def list_items(
        request: HttpRequest, page: Query[int, P(ge=1)] = 1, limit: Query[int, P(ge=1)] = 20
    ) -> dict[str, Any]:
        async with engine.connect() as connection:
            total = await connection.scalar(item_count())
            result = await connection.execute(item_page(page, limit))
            rows = [ItemOut.model_validate(dict(row)) for row in result.mappings()]
        return {"data": rows, "meta": {"page": page, "limit": limit, "total": total}}

    @api.post("/api/v1/items", response={201: ItemEnvelope})
    async def create_item(request: HttpRequest, body: ItemIn, response: HttpResponse) -> Status[Any]:
        now = datetime.now(UTC)
        row = {"id": uuid4(), **body.model_dump(), "created_at": now, "updated_at": now, "version": 1}
        async with engine.begin() as connection:
            if await connection.scalar(id_by_name(body.name)) is not None:
                raise HttpError(409, "Conflict")
            await connection.execute(insert(items).values(row))
        response["Location"] = f"/api/v1/items/{row['id']}"
        return Status(201, {"data": ItemOut.model_validate(row), "meta": {}})

    urlpatterns[:] = [path("", api.urls)]
    django_app = get_asgi_application()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await django_app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await engine.dispose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    return app
