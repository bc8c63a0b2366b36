"""What an error response must look like in each error format (see the design's section 4.3)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

MEDIA_TYPES: Final = {"envelope": "application/json", "problem_details": "application/problem+json"}
CODE: Final = re.compile(r"^[A-Z][A-Z0-9_]*$")
_FIELD_ERROR_KEYS: Final = {"field", "message"}
_ENVELOPE_KEYS: Final = {"code", "message", "details", "request_id"}
_PROBLEM_KEYS: Final = {"type", "title", "status", "detail", "instance", "code", "errors", "request_id"}


@dataclass(frozen=True)
class ErrorResponse:
    """The parts of an HTTP response the error format constrains."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    path: str


def error_format_problems(response: ErrorResponse, error_format: str) -> list[str]:
    """Every way `response` is not an error in `error_format`; empty when it is one."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if content_type != MEDIA_TYPES[error_format]:
        return [f"content type {content_type!r}, expected {MEDIA_TYPES[error_format]!r}"]
    try:
        body = json.loads(response.body)
    except ValueError:
        return [f"the body is not JSON: {response.body[:200]!r}"]
    problems = ["the body shows a traceback"] if b"Traceback" in response.body else []
    if error_format == "envelope":
        problems += _envelope_problems(body, response)
    else:
        problems += _problem_details_problems(body, response)
    return problems


def error_code(body: Any, error_format: str) -> str:
    """The stable error code of a body in `error_format`."""
    return str(body["error"]["code"] if error_format == "envelope" else body["code"])


def _envelope_problems(body: Any, response: ErrorResponse) -> list[str]:
    if not isinstance(body, dict) or set(body) != {"error"} or not isinstance(body["error"], dict):
        return [f'the body is not {{"error": {{...}}}}: {body!r}']
    error = body["error"]
    if set(error) != _ENVELOPE_KEYS:
        return [f"the error has keys {sorted(error)}, expected {sorted(_ENVELOPE_KEYS)}"]
    return [
        *_common_problems(error["code"], error["request_id"], error["details"], response),
        *(["the message is empty"] if not (isinstance(error["message"], str) and error["message"]) else []),
    ]


def _problem_details_problems(body: Any, response: ErrorResponse) -> list[str]:
    if not isinstance(body, dict) or set(body) != _PROBLEM_KEYS:
        keys = sorted(body) if isinstance(body, dict) else body
        return [f"the problem has keys {keys}, expected {sorted(_PROBLEM_KEYS)}"]
    problems = _common_problems(body["code"], body["request_id"], body["errors"], response)
    if body["status"] != response.status:
        problems.append(f"status {body['status']!r} in the body, {response.status} on the response")
    if body["instance"] != response.path:
        problems.append(f"instance {body['instance']!r}, expected the path {response.path!r}")
    if not all(isinstance(body[key], str) and body[key] for key in ("type", "title", "detail")):
        problems.append("type, title and detail must be non-empty strings")
    return problems


def _common_problems(code: Any, request_id: Any, details: Any, response: ErrorResponse) -> list[str]:
    problems = []
    if not (isinstance(code, str) and CODE.match(code)):
        problems.append(f"code {code!r} is not an UPPER_SNAKE_CASE string")
    if request_id != response.headers.get("x-request-id"):
        problems.append(f"request_id {request_id!r} differs from X-Request-ID")
    if not isinstance(details, list) or not all(
        isinstance(detail, dict) and set(detail) == _FIELD_ERROR_KEYS for detail in details
    ):
        problems.append(f"the field errors are not a list of {{field, message}}: {details!r}")
    return problems
