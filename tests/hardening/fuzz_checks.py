"""The check schemathesis runs besides its own in the fuzz test: every error body is in the service's
error format. schemathesis.toml loads this module; the format comes from SCAFFOLD_ERROR_FORMAT."""

from __future__ import annotations

import os
from typing import Any, Final

import schemathesis
from schemathesis import Case
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response

from tests.served.error_format import ErrorResponse, error_format_problems

ERROR_FORMAT_VARIABLE: Final = "SCAFFOLD_ERROR_FORMAT"


@schemathesis.check
def error_body_in_chosen_format(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    if response.status_code < 400:
        return None
    error_format = os.environ[ERROR_FORMAT_VARIABLE]
    problems = error_format_problems(
        ErrorResponse(
            status=response.status_code,
            headers={name: values[-1] for name, values in response.headers.items()},
            body=response.content,
            path=case.formatted_path,
        ),
        error_format,
    )
    assert not problems, f"not an error in the {error_format} format: " + "; ".join(problems)
    return True
