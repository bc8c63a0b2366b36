"""An event-driven service end to end, in separate processes as deployed: the HTTP app writes an
event to the outbox with the change; the worker (`make worker`) relays it to the real broker and
its consumer records the activity. `make install` writes the AsyncAPI contract of the channels.

The generic live tier (test_services.py) runs the service's own tests, which cover retries, dead
letters and redelivery on every broker; this test shows the processes working together."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.generated.service import Service, service_environment
from tests.rendering import copy_working_tree

pytestmark = pytest.mark.generated

ANSWERS = {"architecture": "event_driven", "broker": "redis", "auth": "none", "rate_limiting": False}


@contextlib.contextmanager
def _worker(service: Service, environment: dict[str, str]) -> Iterator[None]:
    """`make worker` until leaving, then SIGTERM, as an orchestrator would stop it."""
    with (service.root / "worker.log").open("w") as sink:
        worker = subprocess.Popen(
            ["make", "--no-print-directory", "worker"],
            cwd=service.root,
            env={**service.environment, **environment},
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            assert worker.wait(timeout=30) in (0, -signal.SIGTERM, 2)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            raise


def _query(root: Path, sql: str, *parameters: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(root / "my_service.db")) as connection:
        return connection.execute(sql, parameters).fetchall()


def _eventually(check: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the worker did not catch up in time"
        time.sleep(0.2)


def _delete_streams(prefix: str) -> None:
    keys = subprocess.run(
        ["redis-cli", "--scan", "--pattern", f"{prefix}.*"], capture_output=True, text=True, check=True
    ).stdout.split()
    if keys:
        subprocess.run(["redis-cli", "del", *keys], capture_output=True, check=True)


def test_the_worker_relays_and_consumes_what_the_api_writes(tmp_path: Path) -> None:
    root = tmp_path / "svc"
    copy_working_tree(root, ANSWERS)
    service = Service(root, service_environment(None))
    service.make("install")
    service.make("migrate")

    document = json.loads((root / "docs" / "asyncapi.json").read_text(encoding="utf-8"))
    assert document["asyncapi"] == "3.0.0"
    assert {"ItemCreated", "ItemUpdated", "ItemDeleted"} <= set(document["components"]["schemas"])
    assert {"my-service.item.created", "my-service.item.created.item-activity"} <= set(document["channels"])

    prefix = f"live-{uuid.uuid4().hex[:12]}"
    environment = {"BROKER_PREFIX": prefix, "OUTBOX_RELAY_INTERVAL_SECONDS": "0.1"}
    try:
        with service.running(**environment) as base_url, _worker(service, environment):
            created = httpx.post(f"{base_url}/api/v1/items", json={"name": "live"}, timeout=10)
            assert created.status_code == 201, created.text
            item_id = uuid.UUID(created.json()["data"]["id"]).hex

            def recorded() -> bool:
                return _query(root, "SELECT change FROM item_activity WHERE item_id = ?", item_id) == [
                    ("created",)
                ]

            _eventually(recorded)
    finally:
        _delete_streams(prefix)

    assert _query(root, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(0,)]
    assert _query(root, "SELECT count(*) FROM processed_messages") == [(1,)]
