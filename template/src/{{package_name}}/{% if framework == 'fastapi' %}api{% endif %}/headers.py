"""The conditional-request headers: read from the request, declared in the OpenAPI document.

A `Header()` parameter costs FastAPI a validation pass on every request (its aliases, whether it
is a sequence, a pydantic validation): about 5% of the CPU of a GET by id (BENCHMARKS.md of the
template). If-Match and If-None-Match are optional strings that api/preconditions.py parses, so
routes read them with `IF_MATCH.of(request)` and declare them with `openapi_extra=declared(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from fastapi import Request


@dataclass(frozen=True, slots=True)
class ConditionalHeader:
    name: str
    description: str

    def of(self, request: Request) -> str | None:
        return request.headers.get(self.name)


IF_MATCH: Final = ConditionalHeader(
    "If-Match", "The ETag of the copy the change is based on, or * for any version"
)
IF_NONE_MATCH: Final = ConditionalHeader(
    "If-None-Match", "ETags of copies the client has; 304 when one is current"
)


def declared(*headers: ConditionalHeader) -> dict[str, Any]:
    """`openapi_extra` for an operation that reads `headers`: optional string parameters."""
    return {
        "parameters": [
            {
                "name": header.name,
                "in": "header",
                "required": False,
                "description": header.description,
                "schema": {"type": "string"},
            }
            for header in headers
        ]
    }
