"""The HTTP contract, checked from outside against every framework with its real server.

The same requests and the same expectations for each framework and error format: a framework's own
404, 405 or 422 bodies must have been replaced by its adapter. There are no per-framework cases.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conformance.servers import ALLOWED_ORIGIN, BODY_LIMIT, Served
from tests.served.error_format import ErrorResponse, error_code, error_format_problems
from tests.served.generation import EVERY_ERROR_FORMAT, Variant

COLLECTION = "/api/v1/items"
ITEM = "/api/v1/items/{item_id}"
ITEM_FIELDS = {"id", "name", "description", "created_at", "updated_at", "version"}
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
JSON = {"Content-Type": "application/json"}

pytestmark = [
    pytest.mark.generated,
    pytest.mark.parametrize("variant", EVERY_ERROR_FORMAT, ids=[v.name for v in EVERY_ERROR_FORMAT]),
]


@pytest.fixture
def client(conformance_server: Served, variant: Variant) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=conformance_server(variant).base_url, timeout=15) as client:
        yield client


def _error(response: httpx.Response, status: int, code: str, variant: Variant) -> dict[str, Any]:
    """The response is an error with this status and code in the variant's error format."""
    assert response.status_code == status, response.text
    seen = ErrorResponse(
        response.status_code, response.headers, response.content, response.url.raw_path.decode()
    )
    problems = error_format_problems(seen, variant.error_format)
    assert problems == [], problems
    body: dict[str, Any] = response.json()
    assert error_code(body, variant.error_format) == code
    return body


def _field_errors(body: dict[str, Any], variant: Variant) -> set[str]:
    details = body["error"]["details"] if variant.error_format == "envelope" else body["errors"]
    return {detail["field"] for detail in details}


def _create(client: httpx.Client, name: str | None = None) -> httpx.Response:
    response = client.post(
        COLLECTION, json={"name": name or f"item {uuid.uuid4().hex}", "description": "one"}
    )
    assert response.status_code == 201, response.text
    return response


def test_create_answers_201_with_location_etag_and_the_envelope(
    client: httpx.Client, variant: Variant
) -> None:
    response = _create(client, name := f"created {uuid.uuid4().hex}")

    body = response.json()
    assert set(body) == {"data", "meta"}
    assert set(body["data"]) == ITEM_FIELDS
    assert (body["data"]["name"], body["data"]["version"], body["meta"]) == (name, 1, {})
    assert response.headers["location"] == f"{COLLECTION}/{body['data']['id']}"
    assert response.headers["etag"] == '"1"'
    assert response.headers["content-type"].startswith("application/json")


def test_read_answers_the_envelope_with_its_etag_and_304_when_current(
    client: httpx.Client, variant: Variant
) -> None:
    created = _create(client)

    read = client.get(created.headers["location"])
    cached = client.get(created.headers["location"], headers={"If-None-Match": '"1"'})

    assert read.status_code == 200
    assert read.json() == {"data": created.json()["data"], "meta": {}}
    assert read.headers["etag"] == '"1"'
    assert (cached.status_code, cached.content, cached.headers["etag"]) == (304, b"", '"1"')


def test_list_pages_with_meta_and_links(client: httpx.Client, variant: Variant) -> None:
    prefix = uuid.uuid4().hex
    for letter in "cab":
        _create(client, f"{prefix} {letter}")

    first = client.get(COLLECTION, params={"name": prefix, "sort": "-name", "limit": 2})
    second = client.get(first.json()["links"]["next"])

    assert first.status_code == 200
    assert set(first.json()) == {"data", "meta", "links"}
    assert [item["name"][-1] for item in first.json()["data"]] == ["c", "b"]
    assert first.json()["meta"] == {"page": 1, "limit": 2, "total": 3}
    assert first.json()["links"]["prev"] is None
    assert [item["name"][-1] for item in second.json()["data"]] == ["a"]
    assert (second.json()["links"]["next"], second.json()["links"]["prev"]) == (
        None,
        first.json()["links"]["self"],
    )


def test_patch_needs_the_current_etag_when_it_sends_one(client: httpx.Client, variant: Variant) -> None:
    location = _create(client).headers["location"]

    changed = client.patch(location, json={"description": "two"}, headers={"If-Match": '"1"'})
    stale = client.patch(location, json={"description": "three"}, headers={"If-Match": '"1"'})
    unguarded = client.patch(location, json={"description": None})

    assert (changed.status_code, changed.headers["etag"], changed.json()["data"]["version"]) == (
        200,
        '"2"',
        2,
    )
    _error(stale, 412, "PRECONDITION_FAILED", variant)
    assert (unguarded.status_code, unguarded.json()["data"]["description"]) == (200, None)


def test_delete_answers_204_and_then_the_item_is_gone(client: httpx.Client, variant: Variant) -> None:
    location = _create(client).headers["location"]

    deleted = client.delete(location, headers={"If-Match": '"1"'})

    assert (deleted.status_code, deleted.content) == (204, b"")
    _error(client.get(location), 404, "NOT_FOUND", variant)


def test_an_unknown_route_is_404(client: httpx.Client, variant: Variant) -> None:
    _error(client.get("/api/v1/nothing-here"), 404, "NOT_FOUND", variant)


def test_a_wrong_method_is_405_and_says_which_are_allowed(client: httpx.Client, variant: Variant) -> None:
    response = client.put(COLLECTION, json={})

    _error(response, 405, "METHOD_NOT_ALLOWED", variant)
    assert {method.strip() for method in response.headers["allow"].split(",")} >= {"GET", "POST"}
    assert "PUT" not in response.headers["allow"]


def test_malformed_json_is_400(client: httpx.Client, variant: Variant) -> None:
    _error(client.post(COLLECTION, content=b'{"name": ', headers=JSON), 400, "BAD_REQUEST", variant)


def test_a_body_that_is_not_json_is_415(client: httpx.Client, variant: Variant) -> None:
    response = client.post(COLLECTION, content=b"name=x", headers={"Content-Type": "text/plain"})

    _error(response, 415, "UNSUPPORTED_MEDIA_TYPE", variant)


def test_a_validation_error_is_422_with_one_detail_per_field(client: httpx.Client, variant: Variant) -> None:
    response = client.post(COLLECTION, json={"name": "", "description": 5, "colour": "red"})

    body = _error(response, 422, "VALIDATION_ERROR", variant)
    assert _field_errors(body, variant) == {"name", "description", "colour"}


def test_a_malformed_id_is_422_for_that_field(client: httpx.Client, variant: Variant) -> None:
    body = _error(client.get(f"{COLLECTION}/not-a-uuid"), 422, "VALIDATION_ERROR", variant)

    assert _field_errors(body, variant) == {"item_id"}


def test_an_unknown_id_is_404(client: httpx.Client, variant: Variant) -> None:
    _error(client.get(f"{COLLECTION}/{uuid.uuid4()}"), 404, "NOT_FOUND", variant)


def test_a_taken_name_is_409(client: httpx.Client, variant: Variant) -> None:
    name = f"taken {uuid.uuid4().hex}"
    _create(client, name)

    _error(client.post(COLLECTION, json={"name": name}), 409, "CONFLICT", variant)


def test_a_body_over_the_limit_is_413(client: httpx.Client, variant: Variant) -> None:
    response = client.post(COLLECTION, json={"name": "x", "description": "d" * (BODY_LIMIT * 2)})

    _error(response, 413, "PAYLOAD_TOO_LARGE", variant)


def test_an_unexpected_failure_is_500_with_nothing_internal(broken_server: Served, variant: Variant) -> None:
    with httpx.Client(base_url=broken_server(variant).base_url, timeout=15) as client:
        response = client.get(COLLECTION)

    body = _error(response, 500, "INTERNAL_ERROR", variant)
    assert "items" not in str(body).lower().replace("/api/v1/items", "")
    assert "sql" not in response.text.lower()


def test_request_ids_are_kept_when_well_formed_and_carried_by_errors(
    client: httpx.Client, variant: Variant
) -> None:
    kept = client.get("/health/live", headers={"X-Request-ID": "conformance-1"})
    correlated = client.get("/health/live", headers={"X-Correlation-ID": "conformance-2"})
    replaced = client.get("/health/live", headers={"X-Request-ID": "has spaces"})
    failed = client.get("/api/v1/nothing-here", headers={"X-Request-ID": "conformance-3"})

    assert (kept.headers["x-request-id"], correlated.headers["x-request-id"]) == (
        "conformance-1",
        "conformance-2",
    )
    assert replaced.headers["x-request-id"] not in {"", "has spaces"}
    assert failed.headers["x-request-id"] == "conformance-3"
    assert "conformance-3" in failed.text


def test_security_headers_are_on_successes_and_errors(client: httpx.Client, variant: Variant) -> None:
    for response in (client.get("/health/live"), client.get("/api/v1/nothing-here"), client.get(COLLECTION)):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.url, name)
        assert response.headers["content-security-policy"].startswith("default-src 'none'")


def test_cors_answers_the_allowed_origin_only(client: httpx.Client, variant: Variant) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}

    allowed = client.options(COLLECTION, headers={"Origin": ALLOWED_ORIGIN, **preflight})
    refused = client.options(COLLECTION, headers={"Origin": "https://evil.example.com", **preflight})
    simple = client.get(COLLECTION, headers={"Origin": ALLOWED_ORIGIN})

    assert allowed.status_code in {200, 204}
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert "access-control-allow-origin" not in refused.headers
    assert simple.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    exposed = {name.strip().lower() for name in simple.headers["access-control-expose-headers"].split(",")}
    assert exposed >= {"etag", "location", "x-request-id"}


def test_health_probes_answer(client: httpx.Client, variant: Variant) -> None:
    live, ready = client.get("/health/live"), client.get("/health/ready")

    assert (live.status_code, live.json()) == (200, {"status": "pass", "checks": {}})
    assert (ready.status_code, ready.json()) == (200, {"status": "pass", "checks": {"database": "pass"}})


def test_metrics_count_requests_by_route_template(client: httpx.Client, variant: Variant) -> None:
    client.get(f"{COLLECTION}/{uuid.uuid4()}")

    metrics = client.get("/metrics")

    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert f'route="{ITEM}",status="404"' in metrics.text
    assert f'route="{COLLECTION}/' not in metrics.text.replace(f'route="{ITEM}"', "")


def test_the_openapi_document_describes_the_contract(client: httpx.Client, variant: Variant) -> None:
    response = client.get("/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert {method for method in paths[COLLECTION] if method in {"get", "post"}} == {"get", "post"}
    assert {method for method in paths[ITEM] if method in {"get", "patch", "delete"}} == {
        "get",
        "patch",
        "delete",
    }
    assert {"/health/live", "/health/ready"} <= set(paths)
    created = _schema(document, paths[COLLECTION]["post"]["responses"]["201"])
    assert set(_schema(document, created["properties"]["data"])["properties"]) == ITEM_FIELDS
    for status in ("404", "409", "412", "422"):
        assert status in paths[ITEM]["patch"]["responses"], status
    error = _schema(document, paths[ITEM]["get"]["responses"]["404"])
    assert ("error" if variant.error_format == "envelope" else "code") in error["properties"]
    for method, header in (("get", "if-none-match"), ("patch", "if-match"), ("delete", "if-match")):
        description = _header_parameters(paths[ITEM][method]).get(header)
        assert description is not None, f"{method} {ITEM} does not declare {header}"
        assert "ETag" in description, f"{method} {ITEM} declares {header} without saying what it takes"


def _header_parameters(operation: dict[str, Any]) -> dict[str, str]:
    """The operation's header parameters: their descriptions by lower-cased name."""
    return {
        parameter["name"].lower(): parameter.get("description", "")
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "header"
    }


def _schema(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The schema a response, a media type or a reference points to, references resolved."""
    if "content" in node:
        node = next(iter(node["content"].values()))["schema"]
    if "schema" in node:
        node = node["schema"]
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    if "allOf" in node and len(node["allOf"]) == 1:
        return _schema(document, node["allOf"][0])
    return node
