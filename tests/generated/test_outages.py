"""Outages: a stopped, frozen or refusing database gives fast 503s and heals without a restart;
sessions the server ends cost no request; a stopped cache only makes reads slower. Real servers on
private ports, stopped and restarted by the test."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.generated.servers import private_postgres, private_redis
from tests.generated.service import Service, service_environment
from tests.rendering import copy_working_tree

pytestmark = pytest.mark.generated

URL = "/api/v1/items"
TIMEOUTS = {
    "DATABASE_CONNECT_TIMEOUT_SECONDS": "2",
    "DATABASE_STATEMENT_TIMEOUT_SECONDS": "2",
    "DATABASE_POOL_TIMEOUT_SECONDS": "2",
    "READINESS_TIMEOUT_SECONDS": "1",
}
POSTGRESQL_DRIVERS = {"fastapi": "asyncpg", "flask": "psycopg"}
"""A framework of each PostgreSQL driver: how a driver notices a closed connection differs."""
HANG = 20.0
"""No request may take this long: it would mean the service hangs on the outage."""


def _generate(tmp_path: Path, answers: dict[str, Any], database_url: str | None) -> Service:
    """A service without auth: how it rides out an outage does not depend on who calls."""
    root = tmp_path / "svc"
    copy_working_tree(root, {"auth": "none", **answers})
    service = Service(root, service_environment(database_url))
    service.make("install")
    service.make("migrate")
    return service


def _seconds_until(condition: Callable[[], bool], within: float = 60) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > within:
            raise AssertionError(f"not within {within}s")
        time.sleep(0.1)
    return time.monotonic() - started


def _timed(request: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def _assert_unavailable(response: httpx.Response) -> None:
    """503 SERVICE_UNAVAILABLE as Problem Details, with Retry-After and nothing internal."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert response.headers["retry-after"].isdigit()
    assert "Traceback" not in response.text
    assert not any(driver in response.text for driver in POSTGRESQL_DRIVERS.values())


def _create(client: httpx.Client, name: str) -> str:
    response = client.post(URL, json={"name": name})
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


@pytest.mark.parametrize("framework", list(POSTGRESQL_DRIVERS), ids=POSTGRESQL_DRIVERS.get)
def test_a_database_outage_gives_fast_503s_and_heals_without_a_restart(
    tmp_path: Path, record_property: Callable[[str, object], None], framework: str
) -> None:
    figures: dict[str, float] = {}
    try:
        with private_postgres() as database:
            answers = {"framework": framework, "database": "postgresql", "error_format": "problem_details"}
            service = _generate(tmp_path, answers, database.url)
            with (
                service.running(**TIMEOUTS) as base_url,
                httpx.Client(base_url=base_url, timeout=HANG) as client,
            ):
                acknowledged = [_create(client, f"before {number}") for number in range(5)]

                database.stop()
                figures["stopped: /health/ready is 503 after"] = _seconds_until(
                    lambda: client.get("/health/ready").status_code == 503
                )
                listed, figures["stopped: GET list answers 503 in"] = _timed(lambda: client.get(URL))
                _assert_unavailable(listed)
                refused, figures["stopped: POST answers 503 in"] = _timed(
                    lambda: client.post(URL, json={"name": "during the outage"})
                )
                _assert_unavailable(refused)

                database.start()
                figures["restarted: /health/ready is 200 after"] = _seconds_until(
                    lambda: client.get("/health/ready").status_code == 200
                )
                figures["restarted: GET list is 200 after"] = _seconds_until(
                    lambda: client.get(URL).status_code == 200
                )
                acknowledged.append(_create(client, "after the restart"))

                assert database.end_sessions() >= 1
                for identifier in acknowledged:
                    ended = client.get(f"{URL}/{identifier}")
                    assert ended.status_code == 200, f"a closed pooled connection was used: {ended.text}"

                with database.frozen():
                    read, figures["frozen: GET by id answers 503 in"] = _timed(
                        lambda: client.get(f"{URL}/{acknowledged[0]}")
                    )
                    _assert_unavailable(read)
                    ready, figures["frozen: /health/ready answers in"] = _timed(
                        lambda: client.get("/health/ready")
                    )
                    assert ready.status_code == 503
                figures["thawed: GET by id is 200 after"] = _seconds_until(
                    lambda: client.get(f"{URL}/{acknowledged[0]}").status_code == 200
                )

                with database.refusing_connections():
                    turned_away, figures["refusing sessions: GET by id answers 503 in"] = _timed(
                        lambda: client.get(f"{URL}/{acknowledged[0]}")
                    )
                    _assert_unavailable(turned_away)
                figures["accepting again: GET by id is 200 after"] = _seconds_until(
                    lambda: client.get(f"{URL}/{acknowledged[0]}").status_code == 200
                )

                for identifier in acknowledged:
                    assert client.get(f"{URL}/{identifier}").status_code == 200, identifier
                names = {entity["name"] for entity in client.get(URL, params={"limit": 100}).json()["data"]}
                assert "during the outage" not in names
    finally:
        for what, seconds in figures.items():
            record_property(
                "figure", f"database outage ({POSTGRESQL_DRIVERS[framework]}), {what} {seconds:.2f}s"
            )


def test_a_cache_outage_only_slows_reads_and_the_cache_comes_back(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    with private_redis() as cache:
        service = _generate(tmp_path, {"cache": "redis"}, None)
        settings = {
            "REDIS_URL": cache.url,
            "REDIS_TIMEOUT_SECONDS": "0.5",
            "CACHE_KEY_PREFIX": uuid.uuid4().hex,
        }
        with service.running(**settings) as base_url, httpx.Client(base_url=base_url, timeout=HANG) as client:
            identifier = _create(client, "cached")
            assert client.get(f"{URL}/{identifier}").status_code == 200
            assert any(identifier in key for key in cache.stored_keys())

            cache.stop()
            read, first_read = _timed(lambda: client.get(f"{URL}/{identifier}"))
            assert read.status_code == 200
            ready = client.get("/health/ready")
            assert ready.status_code == 200
            assert ready.json() == {"status": "warn", "checks": {"database": "pass", "cache": "fail"}}
            changed = client.patch(f"{URL}/{identifier}", json={"name": "changed while the cache was down"})
            assert changed.status_code == 200
            _, later_read = _timed(lambda: client.get(f"{URL}/{identifier}"))

            cache.start()
            recovered = _seconds_until(lambda: client.get("/health/ready").json()["status"] == "pass")
            assert (
                client.get(f"{URL}/{identifier}").json()["data"]["name"] == "changed while the cache was down"
            )
            cached_again = _seconds_until(
                lambda: (
                    client.get(f"{URL}/{identifier}").status_code == 200
                    and any(identifier in key for key in cache.stored_keys())
                ),
                within=30,
            )
    record_property("figure", f"cache outage, first read without Redis took {first_read:.2f}s")
    record_property("figure", f"cache outage, a later read took {later_read:.2f}s")
    record_property("figure", f"cache outage, /health/ready passed again after {recovered:.2f}s")
    record_property("figure", f"cache outage, reads were cached again after {cached_again:.2f}s")
