"""The conditional-request headers: read from the request, declared in the OpenAPI document.

Declaring a header parameter makes Litestar parse every header of every request into a multidict
to find it: about 2% of the CPU of a GET by id (BENCHMARKS.md of the template). If-Match and
If-None-Match are optional strings that api/preconditions.py parses, so handlers read them with
`IF_MATCH.of(request)` and declare them with `operation_class=ReadsIfMatch` (or ReadsIfNoneMatch).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from litestar import Request
from litestar.enums import ParamType
from litestar.openapi.spec import OpenAPIType, Operation, Parameter, Schema


class ConditionalHeader:
    def __init__(self, name: str, description: str) -> None:
        self.parameter = Parameter(
            name=name,
            param_in=ParamType.HEADER,
            required=False,
            description=description,
            schema=Schema(type=OpenAPIType.STRING),
        )
        self._key = name.lower().encode("latin-1")

    def of(self, request: Request[Any, Any, Any]) -> str | None:
        """The header's first value (ASGI gives header names in lower case)."""
        for name, value in request.scope["headers"]:
            if name == self._key:
                return str(value.decode("latin-1"))
        return None


IF_MATCH: Final = ConditionalHeader(
    "If-Match", "The ETag of the copy the change is based on, or * for any version"
)
IF_NONE_MATCH: Final = ConditionalHeader(
    "If-None-Match", "ETags of copies the client has; 304 when one is current"
)


@dataclass
class ReadsIfMatch(Operation):
    """The operation of a handler that reads If-Match."""

    def __post_init__(self) -> None:
        self.parameters = [*(self.parameters or []), IF_MATCH.parameter]


@dataclass
class ReadsIfNoneMatch(Operation):
    """The operation of a handler that reads If-None-Match."""

    def __post_init__(self) -> None:
        self.parameters = [*(self.parameters or []), IF_NONE_MATCH.parameter]
