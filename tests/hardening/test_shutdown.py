"""Graceful shutdown: SIGTERM during load lets in-flight requests finish, and the process exits cleanly.

Slow creates stream their bodies in chunks, so they are certainly in flight when the signal comes;
steady clients keep reading and writing around them. After the signal the server must refuse new
connections, finish the slow creates, exit with status 0 and log no error; a new server on the same
database must then read back every create it acknowledged.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.served.deployments import Deploy, Figure
from tests.served.generation import EVERY_FRAMEWORK, Variant
from tests.served.production import (
    CLEAN_EXIT_CODES,
    SHUTDOWN_COMPLETE_RECORDS,
    RunningServer,
    server_program,
)

COLLECTION = "/api/v1/items"
JSON = {"Content-Type": "application/json"}
SLOW_CREATES = 4
STEADY_CLIENTS = 8
CHUNK_DELAY_SECONDS = 1.0
"""The slow creates send their body in three chunks this far apart."""
SIGNAL_AFTER_SECONDS = 0.5
EXIT_TIMEOUT_SECONDS = 30.0

pytestmark = pytest.mark.generated


@dataclass
class Traffic:
    signalled_at: float | None = None
    created: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    completed_after_signal: int = 0
    failures_before_signal: list[str] = field(default_factory=list)
    refused_after_signal: int = 0


async def _slow_create(base_url: str, headers_sent: asyncio.Queue[None]) -> httpx.Response:
    async def body() -> AsyncIterator[bytes]:
        await headers_sent.put(None)
        yield b'{"name": '
        await asyncio.sleep(CHUNK_DELAY_SECONDS)
        yield json.dumps(f"slow-{uuid.uuid4().hex}").encode()
        await asyncio.sleep(CHUNK_DELAY_SECONDS)
        yield b"}"

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        return await client.post(COLLECTION, content=body(), headers=JSON)


async def _steady_client(client: httpx.AsyncClient, traffic: Traffic, index: int) -> None:
    """Alternate creates and reads until the server stops answering after the signal."""
    while True:
        try:
            response = await client.post(COLLECTION, json={"name": f"steady-{index}-{uuid.uuid4().hex}"})
            traffic.statuses.append(response.status_code)
            if response.status_code == 201:
                traffic.created.append(response.json()["data"]["id"])
                traffic.statuses.append((await client.get(response.headers["location"])).status_code)
            if traffic.signalled_at is not None:
                traffic.completed_after_signal += 1
        except httpx.TransportError as error:
            if traffic.signalled_at is None:
                traffic.failures_before_signal.append(f"{type(error).__name__}: {error}")
            else:
                traffic.refused_after_signal += 1
                return


async def _refuses_new_connections(base_url: str) -> bool:
    async with httpx.AsyncClient(base_url=base_url, timeout=5) as client:
        try:
            await client.get("/health/live")
        except (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError):
            return True  # refused, or reset before any response (gunicorn drains with its socket open)
    return False


async def _terminate_under_load(server: RunningServer, traffic: Traffic) -> tuple[list[httpx.Response], bool]:
    headers_sent: asyncio.Queue[None] = asyncio.Queue()
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
        steady = [
            asyncio.create_task(_steady_client(client, traffic, index)) for index in range(STEADY_CLIENTS)
        ]
        slow = [asyncio.create_task(_slow_create(server.base_url, headers_sent)) for _ in range(SLOW_CREATES)]
        for _ in range(SLOW_CREATES):
            await headers_sent.get()
        await asyncio.sleep(SIGNAL_AFTER_SECONDS)
        server.process.send_signal(signal.SIGTERM)
        traffic.signalled_at = time.monotonic()
        await asyncio.sleep(SIGNAL_AFTER_SECONDS)
        refused = await _refuses_new_connections(server.base_url)
        slow_responses = await asyncio.gather(*slow)
        await asyncio.gather(*steady)
    return slow_responses, refused


def _unreadable(server: RunningServer, identifiers: list[str]) -> list[str]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        return [
            identifier
            for identifier in identifiers
            if client.get(f"{COLLECTION}/{identifier}").status_code != 200
        ]


@pytest.mark.parametrize("variant", EVERY_FRAMEWORK, ids=[variant.name for variant in EVERY_FRAMEWORK])
def test_sigterm_under_load_finishes_in_flight_requests_and_exits_cleanly(
    variant: Variant, deploy: Deploy, figure: Figure
) -> None:
    deployment = deploy(variant)
    traffic = Traffic()
    with deployment.serve("shutdown") as server:
        slow_responses, refused = asyncio.run(_terminate_under_load(server, traffic))
        exit_code = server.process.wait(timeout=EXIT_TIMEOUT_SECONDS)
        exited_after = time.monotonic() - (traffic.signalled_at or 0.0)
        log = server.log.read_text(encoding="utf-8", errors="replace")

    figure(
        f"exit {exit_code} {exited_after:.1f}s after SIGTERM; {len(traffic.statuses)} responses, "
        f"{traffic.completed_after_signal} completed after the signal, "
        f"{traffic.refused_after_signal} clients refused afterwards"
    )
    assert [response.status_code for response in slow_responses] == [201] * SLOW_CREATES
    assert traffic.failures_before_signal == []
    assert all(status < 500 for status in traffic.statuses)
    assert refused, "the server still accepted new connections after SIGTERM"
    assert exit_code in CLEAN_EXIT_CODES
    assert SHUTDOWN_COMPLETE_RECORDS[server_program(deployment.root)] in log
    assert '"level": "error"' not in log
    created = [response.json()["data"]["id"] for response in slow_responses] + traffic.created
    with deployment.serve("after-shutdown") as restarted:
        assert _unreadable(restarted, created) == []
