"""What every bare reference app shares: the generated service's `items` table, the statements of
its repository, the bodies of its item endpoints and its default pool. The apps import it as a
top-level module (bench/reference is on PYTHONPATH)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final
from uuid import UUID

from pydantic import BaseModel, Field
from sqlalchemy import Column, DateTime, Integer, MetaData, Select, String, Table, Uuid, func, select

POOL: Final = {"pool_size": 20, "max_overflow": 0}
"""The generated service's default pool (DATABASE_POOL_SIZE, DATABASE_MAX_OVERFLOW)."""

items = Table(
    "items",
    MetaData(),
    Column("id", Uuid(), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("description", String(2000)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer(), nullable=False),
)


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)


class ItemOut(BaseModel):
    id: UUID
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime
    version: int


def item_by_id(item_id: UUID) -> Select[Any]:
    return select(items).where(items.c.id == item_id)


def id_by_name(name: str) -> Select[Any]:
    return select(items.c.id).where(items.c.name == name)


def item_count() -> Select[Any]:
    return select(func.count()).select_from(items)


def item_page(page: int, limit: int) -> Select[Any]:
    """Oldest first, as the generated service lists by default. Statements are built per request,
    as the generated repository builds them."""
    return (
        select(items).order_by(items.c.created_at.asc(), items.c.id).limit(limit).offset((page - 1) * limit)
    )
