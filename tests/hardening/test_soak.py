"""Soak: about a minute of mixed reads and writes at fixed concurrency against a production server.

No request may fail, every acknowledged write must be readable afterwards as acknowledged, and the
server's resident memory may grow only a little once it is warm.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from tests.served.deployments import Deploy, Figure
from tests.served.generation import EVERY_FRAMEWORK, Variant
from tests.served.production import RunningServer

COLLECTION = "/api/v1/items"
SOAK_SECONDS = 60.0
WARM_UP_SECONDS = 10.0
CONCURRENCY = 16
OPERATIONS = {"create": 3, "read": 4, "list": 2, "update": 2}
"""Relative weights of the operations each client draws from."""
MAX_GROWTH_BYTES = 16 * 1024 * 1024
"""Resident memory the server may gain after warm-up: pools, caches and allocator slack, not a leak."""
PAGE = 100
MEBIBYTE = 1024 * 1024

pytestmark = pytest.mark.generated


@dataclass
class Ledger:
    """What the service acknowledged, what was asked, and what went wrong."""

    run: str
    acknowledged: dict[str, tuple[str, int]] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def expect(self, operation: str, response: httpx.Response, status: int) -> bool:
        self.requests[operation] += 1
        if response.status_code != status:
            self.errors.append(
                f"{operation} {response.request.url}: {response.status_code} {response.text[:200]}"
            )
        return response.status_code == status


async def _create(client: httpx.AsyncClient, ledger: Ledger, owned: list[str]) -> None:
    name = f"{ledger.run}-{uuid.uuid4().hex}"
    response = await client.post(COLLECTION, json={"name": name, "description": "soak"})
    if ledger.expect("create", response, 201):
        item = response.json()["data"]
        ledger.acknowledged[item["id"]] = (name, item["version"])
        owned.append(item["id"])


async def _read(client: httpx.AsyncClient, ledger: Ledger, rng: random.Random) -> None:
    """A read must see at least the version acknowledged before it was sent."""
    if not ledger.acknowledged:
        return
    identifier = rng.choice(list(ledger.acknowledged))
    acknowledged_version = ledger.acknowledged[identifier][1]
    response = await client.get(f"{COLLECTION}/{identifier}")
    if ledger.expect("read", response, 200) and response.json()["data"]["version"] < acknowledged_version:
        ledger.errors.append(f"read {identifier}: older than an acknowledged update")


async def _list(client: httpx.AsyncClient, ledger: Ledger, rng: random.Random) -> None:
    response = await client.get(
        COLLECTION, params={"limit": 20, "page": rng.randint(1, 5), "sort": "-created_at"}
    )
    ledger.expect("list", response, 200)


async def _update(client: httpx.AsyncClient, ledger: Ledger, rng: random.Random, owned: list[str]) -> None:
    """Clients update only what they created, so a stale ETag would be a bug, not a race."""
    if not owned:
        return
    identifier = rng.choice(owned)
    name, version = ledger.acknowledged[identifier]
    response = await client.patch(
        f"{COLLECTION}/{identifier}",
        json={"description": f"v{version + 1}"},
        headers={"If-Match": f'"{version}"'},
    )
    if ledger.expect("update", response, 200):
        ledger.acknowledged[identifier] = (name, response.json()["data"]["version"])


async def _client_loop(client: httpx.AsyncClient, ledger: Ledger, seed: int, deadline: float) -> None:
    rng = random.Random(seed)
    owned: list[str] = []
    while time.monotonic() < deadline:
        operation = rng.choices(list(OPERATIONS), weights=list(OPERATIONS.values()))[0]
        try:
            if operation == "create":
                await _create(client, ledger, owned)
            elif operation == "read":
                await _read(client, ledger, rng)
            elif operation == "list":
                await _list(client, ledger, rng)
            else:
                await _update(client, ledger, rng, owned)
        except httpx.HTTPError as error:
            ledger.errors.append(f"{operation}: {type(error).__name__} {error}")


async def _soak(server: RunningServer, ledger: Ledger) -> tuple[int, int, int]:
    """Run the clients; the server's resident bytes after warm-up, at its peak and at the end."""
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30, limits=limits) as client:
        started = time.monotonic()
        clients = [
            asyncio.create_task(_client_loop(client, ledger, seed, started + SOAK_SECONDS))
            for seed in range(CONCURRENCY)
        ]
        await asyncio.sleep(WARM_UP_SECONDS)
        warm = peak = server.resident_bytes()
        while not all(task.done() for task in clients):
            await asyncio.sleep(1)
            peak = max(peak, server.resident_bytes())
        await asyncio.gather(*clients)
    return warm, peak, server.resident_bytes()


def _stored(server: RunningServer, run: str) -> dict[str, tuple[str, int]]:
    """Every item of this run, read back page by page."""
    stored: dict[str, tuple[str, int]] = {}
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        page = 1
        while True:
            response = client.get(COLLECTION, params={"name": run, "limit": PAGE, "page": page})
            assert response.status_code == 200, response.text
            stored |= {item["id"]: (item["name"], item["version"]) for item in response.json()["data"]}
            if response.json()["links"]["next"] is None:
                return stored
            page += 1


@pytest.mark.parametrize("variant", EVERY_FRAMEWORK, ids=[variant.name for variant in EVERY_FRAMEWORK])
def test_a_minute_of_mixed_load_loses_nothing_and_leaks_little(
    variant: Variant, deploy: Deploy, figure: Figure
) -> None:
    ledger = Ledger(run=f"soak-{uuid.uuid4().hex[:8]}")
    with deploy(variant).serve("soak") as server:
        warm, peak, end = asyncio.run(_soak(server, ledger))
        stored = _stored(server, ledger.run)
        log = server.log.read_text(encoding="utf-8", errors="replace")

    total = sum(ledger.requests.values())
    figure(f"{total} requests in {SOAK_SECONDS:.0f}s ({dict(ledger.requests)}), {len(ledger.errors)} errors")
    figure(
        f"resident memory after warm-up {warm / MEBIBYTE:.1f} MiB, peak {peak / MEBIBYTE:.1f} MiB, "
        f"end {end / MEBIBYTE:.1f} MiB, growth {(end - warm) / MEBIBYTE:+.1f} MiB"
    )
    assert ledger.errors == [], ledger.errors[:20]
    assert ledger.requests["create"] > 0
    assert ledger.requests["update"] > 0
    assert stored == ledger.acknowledged
    assert end - warm < MAX_GROWTH_BYTES
    assert '"level": "error"' not in log
