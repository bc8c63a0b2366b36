"""Models of a route's query parameters, for flask-openapi3.

flask-openapi3 reads such a model's JSON schema on every request, to learn each field's type, and
pydantic builds a schema anew on every call (measured on a GET by id with a header model, a fifth
of its CPU time). Deriving these models from RequestParameters has the schema built once per model.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

_SCHEMAS: dict[type[BaseModel], dict[str, Any]] = {}


class RequestParameters(BaseModel):
    """The base of a route's query parameter model."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Without arguments (flask-openapi3's call per request), the schema built on the first
        call: shared, so read it only. With arguments (the OpenAPI document's), one built anew."""
        if args or kwargs:
            return super().model_json_schema(*args, **kwargs)
        schema = _SCHEMAS.get(cls)
        if schema is None:
            schema = _SCHEMAS[cls] = super().model_json_schema()
        return schema
