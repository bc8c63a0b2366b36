"""JSON responses from the response schemas, serialised by pydantic as the OpenAPI document says."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

from flask import Response
from pydantic import BaseModel

_JSON = "application/json"


def json_response(
    body: BaseModel, status: int = HTTPStatus.OK, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(body.model_dump_json(), status=status, headers=headers, mimetype=_JSON)
