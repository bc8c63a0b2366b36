"""The bare Flask reference app: what a generated service's item endpoints do, with nothing else.

It runs the same statements as the generated service's repository (SQLAlchemy Core on psycopg, the
generated Flask service's driver) on the service's own `items` table, with a pool of the same size,
and answers with bodies of the same shape; it has no middleware, no extension, no layers, no logging
and no error handling of its own. The body is validated as plain Flask apps do it: Flask parses the
JSON (415 or 400 when it cannot), a pydantic model checks it (422). The bench serves it with the
generated service's production command: gunicorn with the service's gunicorn config.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from flask import Flask, Response, abort, request
from item_schema import POOL, ItemIn, ItemOut, id_by_name, item_by_id, item_count, item_page, items
from pydantic import ValidationError
from sqlalchemy import (
    Engine,
    create_engine,
    insert,
    make_url,
)


def _item(row: Any) -> dict[str, Any]:
    return ItemOut.model_validate(dict(row)).model_dump(mode="json")


def _engine() -> Engine:
    """DATABASE_URL names the database; the service connects with psycopg whatever driver it names."""
    url = make_url(os.environ["DATABASE_URL"])
    return create_engine(url.set(drivername="postgresql+psycopg"), **POOL)


def create_app() -> Flask:
    """`gunicorn 'flask_app:create_app()'`, with DATABASE_URL set; once per worker."""
    app = Flask(__name__)
    engine = _engine()

    @app.get("/health/live")
    def live() -> dict[str, Any]:
        return {"status": "pass", "checks": {}}

    @app.get("/api/v1/items/<uuid:item_id>")
    def get_item(item_id: UUID) -> dict[str, Any]:
        with engine.connect() as connection:
            row = connection.execute(item_by_id(item_id)).mappings().first()
        if row is None:
            abort(404)
        return {"data": _item(row), "meta": {}}

    @app.get("/api/v1/items")
    def list_items() -> dict[str, Any] | tuple[dict[str, Any], int]:
        page = request.args.get("page", 1, type=int)
        limit = request.args.get("limit", 20, type=int)
        if page < 1 or limit < 1:
            return {"detail": "page and limit must be at least 1"}, 422
        with engine.connect() as connection:
            total = connection.scalar(item_count())
            result = connection.execute(item_page(page, limit))
            rows = [_item(row) for row in result.mappings()]
        return {"data": rows, "meta": {"page": page, "limit": limit, "total": total}}

    @app.post("/api/v1/items")
    def create_item() -> tuple[dict[str, Any], int, dict[str, str]] | Response:
        try:
            body = ItemIn.model_validate(request.get_json())
        except ValidationError as error:
            return Response(error.json(), 422, mimetype="application/json")
        now = datetime.now(UTC)
        row = {"id": uuid4(), **body.model_dump(), "created_at": now, "updated_at": now, "version": 1}
        with engine.begin() as connection:
            if connection.scalar(id_by_name(body.name)) is not None:
                abort(409)
            connection.execute(insert(items).values(row))
        return {"data": _item(row), "meta": {}}, 201, {"Location": f"/api/v1/items/{row['id']}"}

    return app
