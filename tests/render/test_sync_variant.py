"""The synchronous (Flask) variant is derived from the asynchronous source, and what the template
holds is what the transform makes (scaffold/sync_variant; `python -m scaffold.sync_variant`
rewrites it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold import TEMPLATE_ROOT, sync_variant
from scaffold.sync_variant import layout, rules

APPLICATION = "src/{{package_name}}/{% if framework != 'flask' %}application{% endif %}"
DERIVED_APPLICATION = sync_variant.SLICE + "/{% if framework == 'flask' %}application{% endif %}"


def test_the_derived_files_are_current() -> None:
    problems = sync_variant.stale(TEMPLATE_ROOT / "template")

    assert problems == [], "run `python -m scaffold.sync_variant`:\n" + "\n".join(problems)


def test_an_edited_or_orphaned_derived_file_is_named_then_repaired(template: Path) -> None:
    root = template / "template"
    edited = root / DERIVED_APPLICATION / "ports.py.jinja"
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    orphan = root / DERIVED_APPLICATION / "orphan.py"
    orphan.write_text('"""No source."""\n', encoding="utf-8")

    problems = sync_variant.stale(root)
    changed = sync_variant.write(root)

    assert problems == [
        f"{DERIVED_APPLICATION}/ports.py.jinja: differs from its derivation",
        f"{DERIVED_APPLICATION}/orphan.py: no source derives it",
    ]
    assert changed == [edited, orphan]
    assert not orphan.exists()
    assert sync_variant.stale(root) == []


def test_asynchronous_code_no_rule_maps_is_refused_with_its_place() -> None:
    source = "import asyncio\n\n\nasync def both() -> None:\n    await asyncio.gather(a(), b())\n"

    with pytest.raises(sync_variant.DerivationError, match=r"both\.py:5: no rule maps 'asyncio'"):
        sync_variant.derive_text(f"{APPLICATION}/both.py", source)


def test_a_file_with_no_asynchronous_code_is_sent_to_the_shared_folder(template: Path) -> None:
    root = template / "template"
    plain = root / APPLICATION / "plain.py"
    plain.write_text('"""Nothing asynchronous."""\n', encoding="utf-8")
    try:
        with pytest.raises(sync_variant.DerivationError) as refused:
            sync_variant.derive(root)
    finally:
        plain.unlink()

    assert str(refused.value) == (
        f"{APPLICATION}/plain.py has no asynchronous code: move it to "
        "src/{{package_name}}/application/plain.py, which every framework shares"
    )


@pytest.mark.parametrize(
    ("asynchronous", "synchronous"),
    [
        ("    async def get(self) -> None:", "    def get(self) -> None:"),
        ("        async with self._engine.connect() as c:", "        with self._engine.connect() as c:"),
        ("    return await uow.items.find(query)", "    return uow.items.find(query)"),
        ('    body = (await client.get(url)).json()["data"]', '    body = client.get(url).json()["data"]'),
        ("    assert_refused(await refresh(client, token))", "    assert_refused(refresh(client, token))"),
        (
            "    keys = [key async for key in client.scan_iter()]",
            "    keys = [key for key in client.scan_iter()]",
        ),
        (
            "        differences = await connection.run_sync(_compare)",
            "        differences = _compare(connection)",
        ),
        ("    asyncio.run(run_migrations_online())", "    run_migrations_online()"),
        ("        await asyncio.sleep(10)", "        time.sleep(10)"),
        ("        return await asyncio.to_thread(hasher.hash, text)", "        return hasher.hash(text)"),
        ("    await asyncio.to_thread(flush)", "    flush()"),
        ("from sqlalchemy.ext.asyncio import AsyncEngine", "from sqlalchemy import Engine"),
        ("from redis.asyncio import Redis", "from redis import Redis"),
        ("    async def __aexit__(", "    def __exit__("),
        ("    await self.redis.aclose()", "    self.redis.close()"),
        ("event.listen(engine.sync_engine, 'connect', f)", "event.listen(engine, 'connect', f)"),
        ("    transport = httpx.ASGITransport(app=app)", "    transport = httpx.WSGITransport(app=app)"),
        ('URL = "postgresql+asyncpg://h/db"', 'URL = "postgresql+psycopg://h/db"'),
        ('URL = "sqlite+aiosqlite:///x.db"', 'URL = "sqlite+pysqlite:///x.db"'),
        ('URL = "mysql+asyncmy://h/db"', 'URL = "mysql+pymysql://h/db"'),
        (
            '    raise RuntimeError("outside the `async with` block")',
            '    raise RuntimeError("outside the `with` block")',
        ),
    ],
)
def test_each_rule(asynchronous: str, synchronous: str) -> None:
    assert rules.rewrite_line(asynchronous) == synchronous


def test_imports_are_merged_and_sorted_again() -> None:
    source = (
        "from collections.abc import AsyncIterator, Iterator\n"
        "from sqlalchemy import text\n"
        "from sqlalchemy.exc import DBAPIError\n"
        "from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine\n"
    )

    assert sync_variant.derive_text(f"{APPLICATION}/x.py", source) == (
        "from collections.abc import Iterator\n"
        "from sqlalchemy import Connection, Engine, text\n"
        "from sqlalchemy.exc import DBAPIError\n"
    )


def test_a_construct_is_joined_only_when_it_fits_for_every_name() -> None:
    fits = "    total = await self._c.scalar(\n        select(func.count())\n    )\n"
    fits_for_short_names = (
        "    {{ resource }} = await uow.{{ resource_plural }}.get(\n"
        "        {{ resource }}_id, {{ resource }}_name, {{ resource }}_version, {{ resource }}_colour\n"
        "    )\n"
    )

    assert sync_variant.derive_text(f"{APPLICATION}/x.py", fits) == (
        "    total = self._c.scalar(select(func.count()))\n"
    )
    with pytest.raises(layout.LayoutError, match="fits on one line for short names only"):
        sync_variant.derive_text(f"{APPLICATION}/x.py", fits_for_short_names)
