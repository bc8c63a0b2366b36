"""Generated tier: representative services are generated with the copier CLI, installed, checked
with their own make targets, migrated, served by uvicorn and driven over HTTP."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from scaffold import TEMPLATE_ROOT, matrix
from scaffold.questions import load_questions, load_spec
from tests.generated.credentials import identity
from tests.generated.service import Service, database_for, otlp_sink, service_environment
from tests.rendering import copy_working_tree

QUESTIONS = load_questions()
DEFAULTS = {question.name: question.default for question in QUESTIONS if not question.computed}
RUNTIME = [TEMPLATE_ROOT / "template" / "src", TEMPLATE_ROOT / "template" / "tests"]
LIVE = matrix.pairwise(
    matrix.referenced_in(matrix.axes(QUESTIONS, multiselect="extremes"), RUNTIME),
    matrix.accepted_by(load_spec()),
)
URL = "/api/v1/items"
RATE_LIMIT = 40
"""Requests per minute and client the services with rate limiting serve with: more than the API
checks send, few enough to reach."""

pytestmark = pytest.mark.generated


def _id(answers: dict[str, Any]) -> str:
    changed = {name: value for name, value in answers.items() if value != DEFAULTS[name]}
    return "-".join(f"{name}={value}" for name, value in changed.items()) or "defaults"


def _assert_error(response: httpx.Response, status: int, code: str, error_format: str) -> list[Any]:
    """The response is an error in the service's format with the request id; returns the details."""
    assert response.status_code == status, response.text
    body = response.json()
    if error_format == "problem_details":
        assert response.headers["content-type"] == "application/problem+json"
        assert (body["status"], body["code"], body["instance"]) == (status, code, response.url.path)
        assert body["request_id"] == response.headers["x-request-id"]
        return list(body["errors"])
    assert response.headers["content-type"] == "application/json"
    assert body["error"]["code"] == code
    assert body["error"]["request_id"] == response.headers["x-request-id"]
    return list(body["error"]["details"])


def _assert_refused_without_a_credential(
    base_url: str, answers: dict[str, Any], sent: dict[str, str]
) -> None:
    """No credential, or a made-up one of the right kind, is a 401 with a challenge."""
    forged = {name: f"{value[:-8]}forged00" for name, value in sent.items()}
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for headers in ({}, forged):
            refused = client.get(URL, headers=headers)
            _assert_error(refused, 401, "UNAUTHORIZED", answers["error_format"])
            assert refused.headers["www-authenticate"].startswith(("Bearer", "ApiKey"))


def _exercise_api(base_url: str, answers: dict[str, Any], headers: dict[str, str]) -> None:
    error_format = answers["error_format"]
    with httpx.Client(base_url=base_url, timeout=10, headers=headers) as client:
        ready = client.get("/health/ready")
        assert ready.status_code == 200
        expected_checks = {"database": "pass"} | ({"cache": "pass"} if answers["cache"] == "redis" else {})
        assert ready.json() == {"status": "pass", "checks": expected_checks}

        created = client.post(URL, json={"name": "first", "description": "one"})
        assert created.status_code == 201, created.text
        item = created.json()["data"]
        assert set(item) == {"id", "name", "description", "created_at", "updated_at", "version"}
        location = created.headers["location"]
        assert location == f"{URL}/{item['id']}"
        assert created.headers["etag"] == '"1"'
        assert created.json()["meta"] == {}
        assert (item["name"], item["description"], item["version"]) == ("first", "one", 1)

        read = client.get(location, headers={"X-Request-ID": "generated-tier-1"})
        assert (read.status_code, read.headers["etag"]) == (200, '"1"')
        assert read.headers["x-request-id"] == "generated-tier-1"
        assert read.json() == {"data": item, "meta": {}}

        assert client.post(URL, json={"name": "second"}).status_code == 201
        page = client.get(URL, params={"limit": 1, "sort": "name"})
        assert page.status_code == 200
        assert set(page.json()) == {"data", "meta", "links"}
        assert [entry["name"] for entry in page.json()["data"]] == ["first"]
        assert page.json()["meta"] == {"page": 1, "limit": 1, "total": 2}
        assert page.json()["links"]["next"] == f"{URL}?limit=1&sort=name&page=2"
        assert page.json()["links"]["prev"] is None

        updated = client.patch(location, json={"name": "renamed"}, headers={"If-Match": '"1"'})
        assert updated.status_code == 200, updated.text
        assert (updated.json()["data"]["name"], updated.headers["etag"]) == ("renamed", '"2"')
        stale = client.patch(location, json={"name": "late"}, headers={"If-Match": '"1"'})
        _assert_error(stale, 412, "PRECONDITION_FAILED", error_format)
        unguarded = client.patch(location, json={"description": None})
        assert (unguarded.status_code, unguarded.headers["etag"]) == (200, '"3"')
        assert unguarded.json()["data"]["description"] is None
        conflict = client.post(URL, json={"name": "second"})
        _assert_error(conflict, 409, "CONFLICT", error_format)

        invalid = client.post(URL, json={"name": "", "colour": "red"})
        details = _assert_error(invalid, 422, "VALIDATION_ERROR", error_format)
        assert {detail["field"] for detail in details} == {"name", "colour"}
        malformed = client.post(URL, content=b"{", headers={"Content-Type": "application/json"})
        _assert_error(malformed, 400, "BAD_REQUEST", error_format)
        _assert_error(client.get("/api/v1/unknown"), 404, "NOT_FOUND", error_format)
        _assert_error(client.put(URL, json={}), 405, "METHOD_NOT_ALLOWED", error_format)

        deleted = client.delete(location, headers={"If-Match": '"3"'})
        assert (deleted.status_code, deleted.content) == (204, b"")
        _assert_error(client.get(location), 404, "NOT_FOUND", error_format)

        metrics = client.get("/metrics")
        if "metrics" in answers["observability"]:
            assert metrics.status_code == 200
            assert f'route="{URL}/{{item_id}}",status="204"' in metrics.text
        else:
            _assert_error(metrics, 404, "NOT_FOUND", error_format)


@pytest.mark.parametrize("answers", LIVE, ids=[_id(answers) for answers in LIVE])
def test_generated_service_installs_checks_itself_and_serves(tmp_path: Path, answers: dict[str, Any]) -> None:
    changed = {name: value for name, value in answers.items() if value != DEFAULTS[name]}
    root = tmp_path / "svc"
    copy_working_tree(root, changed)

    with database_for(answers) as database_url:
        service = Service(root, service_environment(database_url))
        service.make("install")
        service.make("lint")
        service.make("typecheck")
        service.make("test")
        service.make("migrate")
        limits = {"RATE_LIMIT": f"{RATE_LIMIT}/minute"} if answers["rate_limiting"] else {}
        # Services running at the same time share the local Redis: each gets keys of its own.
        keys = {"CACHE_KEY_PREFIX": f"live-{uuid.uuid4().hex}"} if answers["cache"] == "redis" else {}
        with otlp_sink() as (endpoint, exports), identity(service, answers) as caller:
            environment = {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, **caller.environment, **limits, **keys}
            with service.running(**environment) as base_url:
                headers = caller.headers(base_url)
                if caller.auth != "none":
                    _assert_refused_without_a_credential(base_url, answers, headers)
                _exercise_api(base_url, answers, headers)
                if answers["rate_limiting"]:
                    _assert_rate_limited(service, environment, [base_url], answers, headers)
            _assert_traces_exported(exports, traced="tracing" in answers["observability"])
        assert (root / "docs" / "openapi.json").is_file()


def _assert_rate_limited(
    service: Service,
    environment: dict[str, str],
    base_urls: list[str],
    answers: dict[str, Any],
    headers: dict[str, str],
) -> None:
    """The client's remaining requests go through, then 429 with Retry-After. With Redis, a second
    server process counts against the same limit: requests alternate between the two."""
    if answers["cache"] == "redis" and len(base_urls) == 1:
        with service.running(**environment) as second:
            _assert_rate_limited(service, environment, [*base_urls, second], answers, headers)
        return
    clients = [httpx.Client(base_url=url, timeout=10, headers=headers) for url in base_urls]
    try:
        first = clients[0].get(URL)
        remaining = int(first.headers["ratelimit-remaining"])
        assert first.headers["ratelimit-limit"] == str(RATE_LIMIT)
        statuses = [clients[number % len(clients)].get(URL).status_code for number in range(RATE_LIMIT + 2)]
        refused = clients[0].get(URL)
    finally:
        for client in clients:
            client.close()
    assert 429 in statuses, f"{len(clients)} process(es) never refused {len(statuses) + 1} requests"
    # A sliding window frees a request now and then as the previous minute's count decays.
    assert statuses.index(429) <= remaining + 2, (remaining, statuses)
    _assert_error(refused, 429, "RATE_LIMITED", answers["error_format"])
    assert 1 <= int(refused.headers["retry-after"]) <= 60


def _assert_traces_exported(exports: list[tuple[str, str]], *, traced: bool) -> None:
    """Spans reach the OTLP endpoint (flushed at shutdown at the latest) only when tracing is on."""
    deadline = time.monotonic() + 15
    while traced and not exports and time.monotonic() < deadline:
        time.sleep(0.2)
    if traced:
        assert ("/v1/traces", "application/x-protobuf") in exports
    else:
        assert exports == []
