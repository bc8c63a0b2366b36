"""Bad input: each gets a 4xx in the service's error format, and the service stays healthy."""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import httpx
import pytest

from tests.hardening.raw_http import RawResponse, send_raw
from tests.served.deployments import SharedServer
from tests.served.error_format import ErrorResponse, error_code, error_format_problems
from tests.served.generation import EVERY_ERROR_FORMAT, Variant

COLLECTION = "/api/v1/items"
MISSING = f"{COLLECTION}/{uuid.uuid4()}"
MAX_BODY_BYTES = 1_048_576
"""The generated service's default MAX_REQUEST_BODY_BYTES."""
LONGEST_URL_BELOW_SERVER_LIMIT = 8_000
"""Servers refuse longer request lines themselves, before the app: gunicorn at 8 KiB, uvicorn at 64 KiB."""
HUGE_DIGITS = sys.int_info.default_max_str_digits + 100
"""Digits past what Python's int() converts (4300): a naive parse would raise, not refuse."""
WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
JSON = {"Content-Type": "application/json"}
OVERSIZED = b'{"name": "' + b"x" * (2 * MAX_BODY_BYTES) + b'"}'

pytestmark = pytest.mark.generated


@dataclass(frozen=True)
class BadRequest:
    method: str
    path: str
    status: int
    code: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = False

    def content(self) -> bytes | Iterator[bytes]:
        """The body; chunked, it is streamed without a Content-Length."""
        if not self.chunked:
            return self.body
        return (self.body[start : start + 65_536] for start in range(0, len(self.body), 65_536))


def _nested(depth: int, opening: str, closing: str, inner: str = "") -> bytes:
    return ('{"name": ' + opening * depth + inner + closing * depth + "}").encode()


BAD_REQUESTS = {
    "declared oversized body": BadRequest("POST", COLLECTION, 413, "PAYLOAD_TOO_LARGE", OVERSIZED, JSON),
    "streamed oversized body": BadRequest(
        "POST", COLLECTION, 413, "PAYLOAD_TOO_LARGE", OVERSIZED, JSON, chunked=True
    ),
    "deeply nested arrays": BadRequest(
        "POST", COLLECTION, 400, "BAD_REQUEST", _nested(100_000, "[", "]"), JSON
    ),
    "deeply nested objects": BadRequest(
        "POST", COLLECTION, 400, "BAD_REQUEST", _nested(50_000, '{"a": ', "}", "1"), JSON
    ),
    "invalid UTF-8 body": BadRequest("POST", COLLECTION, 400, "BAD_REQUEST", b'{"name": "\xff\xfe"}', JSON),
    "truncated JSON": BadRequest("POST", COLLECTION, 400, "BAD_REQUEST", b'{"name": "a', JSON),
    "JSON array body": BadRequest("POST", COLLECTION, 422, "VALIDATION_ERROR", b"[]", JSON),
    "NUL in a name": BadRequest("POST", COLLECTION, 422, "VALIDATION_ERROR", b'{"name": "a\\u0000b"}', JSON),
    "text/plain body": BadRequest(
        "POST", COLLECTION, 415, "UNSUPPORTED_MEDIA_TYPE", b'{"name": "a"}', {"Content-Type": "text/plain"}
    ),
    "form body": BadRequest(
        "POST",
        COLLECTION,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        b"name=a",
        {"Content-Type": "application/x-www-form-urlencoded"},
    ),
    "XML body": BadRequest(
        "POST",
        COLLECTION,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        b"<name>a</name>",
        {"Content-Type": "application/xml"},
    ),
    "body without a content type": BadRequest(
        "POST", COLLECTION, 415, "UNSUPPORTED_MEDIA_TYPE", b'{"name": "a"}'
    ),
    "text/plain update": BadRequest(
        "PATCH", MISSING, 415, "UNSUPPORTED_MEDIA_TYPE", b'{"name": "a"}', {"Content-Type": "text/plain"}
    ),
    "huge query value": BadRequest(
        "GET", f"{COLLECTION}?name={'x' * LONGEST_URL_BELOW_SERVER_LIMIT}", 422, "VALIDATION_ERROR"
    ),
    "huge page number": BadRequest("GET", f"{COLLECTION}?page={'9' * HUGE_DIGITS}", 422, "VALIDATION_ERROR"),
    "NUL in a query value": BadRequest("GET", f"{COLLECTION}?name=a%00b", 422, "VALIDATION_ERROR"),
    "malformed id": BadRequest("GET", f"{COLLECTION}/%FF%FE", 422, "VALIDATION_ERROR"),
}

REQUEST_ID_INJECTIONS = {
    "CRLF then a response header": b"X-Request-ID: abc\r\nSet-Cookie: injected=1\r\n",
    "encoded CRLF": b"X-Request-ID: abc%0d%0aSet-Cookie:%20injected=1\r\n",
    "non-ASCII bytes": b"X-Request-ID: abc\xff\xfe\xc3\xa9\r\n",
    "markup": b"X-Request-ID: <script>alert(1)</script>\r\n",
    "8000-byte id": b"X-Request-ID: " + b"a" * 8_000 + b"\r\n",
    "correlation id with spaces": b"X-Correlation-ID: a b; Set-Cookie: injected=1\r\n",
}

MALFORMED_HEADER_LINES = {
    "bare LF in a value": b"X-Request-ID: abc\nSet-Cookie: injected=1\r\n",
    "bare CR in a value": b"X-Request-ID: abc\rSet-Cookie: injected=1\r\n",
    "NUL in a value": b"X-Request-ID: abc\x00def\r\n",
}


def _variant_ids(cases: Mapping[str, object]) -> list[str]:
    return [f"{variant.name}-{case}" for variant in EVERY_ERROR_FORMAT for case in cases]


def _combinations(cases: Mapping[str, object]) -> list[tuple[Variant, str]]:
    return [(variant, case) for variant in EVERY_ERROR_FORMAT for case in cases]


def _assert_in_error_format(response: ErrorResponse, variant: Variant, status: int, code: str) -> None:
    assert response.status == status, response.body[:500]
    problems = error_format_problems(response, variant.error_format)
    assert not problems, problems
    assert error_code(json.loads(response.body), variant.error_format) == code


def _assert_healthy(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        assert client.get("/health/ready").status_code == 200
        assert client.get(COLLECTION, params={"limit": 1}).status_code == 200


@pytest.mark.parametrize(("variant", "case"), _combinations(BAD_REQUESTS), ids=_variant_ids(BAD_REQUESTS))
def test_bad_input_gets_a_4xx_in_the_error_format(
    variant: Variant, case: str, shared_server: SharedServer
) -> None:
    bad = BAD_REQUESTS[case]
    base_url = shared_server(variant).base_url
    with httpx.Client(base_url=base_url, timeout=30) as client:
        response = client.request(bad.method, bad.path, content=bad.content(), headers=bad.headers)

    sent_path = response.request.url.raw_path.decode("ascii").split("?")[0]
    _assert_in_error_format(
        ErrorResponse(response.status_code, response.headers, response.content, sent_path),
        variant,
        bad.status,
        bad.code,
    )
    _assert_healthy(base_url)


@pytest.mark.parametrize(
    ("variant", "case"), _combinations(REQUEST_ID_INJECTIONS), ids=_variant_ids(REQUEST_ID_INJECTIONS)
)
def test_request_id_injection_is_neither_echoed_nor_split(
    variant: Variant, case: str, shared_server: SharedServer
) -> None:
    base_url = shared_server(variant).base_url

    response = send_raw(base_url, "GET", MISSING, REQUEST_ID_INJECTIONS[case])

    _assert_in_error_format(_error_response(response), variant, 404, "NOT_FOUND")
    assert "set-cookie" not in response.header_names
    assert response.header_names.count("x-request-id") == 1
    assert WELL_FORMED_REQUEST_ID.fullmatch(response.headers["x-request-id"])
    _assert_healthy(base_url)


@pytest.mark.parametrize(
    ("variant", "case"), _combinations(MALFORMED_HEADER_LINES), ids=_variant_ids(MALFORMED_HEADER_LINES)
)
def test_malformed_header_lines_are_refused(variant: Variant, case: str, shared_server: SharedServer) -> None:
    """The HTTP server refuses these before the app sees them, so the body is the server's own."""
    base_url = shared_server(variant).base_url

    response = send_raw(base_url, "GET", MISSING, MALFORMED_HEADER_LINES[case])

    assert response.status == 400
    assert "set-cookie" not in response.header_names
    _assert_healthy(base_url)


def _error_response(response: RawResponse) -> ErrorResponse:
    return ErrorResponse(response.status, response.headers, response.body, MISSING)
