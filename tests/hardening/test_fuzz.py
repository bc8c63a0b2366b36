"""Fuzzing: schemathesis drives each running service from its own OpenAPI document over HTTP,
with a credential for the services that require one.

Every built-in check is on (no 5xx; status codes, content types, headers and bodies as documented;
invalid input refused, valid input accepted) and fuzz_checks.py adds one: every error body is in
the service's error format. The run is bounded by max-examples in schemathesis.toml.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from scaffold import TEMPLATE_ROOT
from tests.generated.credentials import identity
from tests.generated.service import Service
from tests.hardening.fuzz_checks import ERROR_FORMAT_VARIABLE
from tests.rendering import BIN
from tests.served.deployments import Deploy, Figure, SharedServer
from tests.served.generation import EVERY_ERROR_FORMAT, Variant

CONFIG = Path(__file__).with_name("schemathesis.toml")
AUTHENTICATED = [
    Variant("fastapi", "problem_details", auth="jwt"),
    Variant("django", auth="api_key"),
    Variant("flask", auth="jwt"),
    Variant("litestar", "problem_details", auth="api_key"),
]
"""Each auth method a production server can use without an identity provider on https, each
framework once. (OAuth2 needs an https issuer in production; its services are checked live.)"""

pytestmark = pytest.mark.generated


@pytest.mark.parametrize("variant", EVERY_ERROR_FORMAT, ids=[variant.name for variant in EVERY_ERROR_FORMAT])
def test_every_operation_holds_up_under_fuzzing(
    variant: Variant, shared_server: SharedServer, figure: Figure, tmp_path: Path
) -> None:
    _fuzz(shared_server(variant).base_url, variant, {}, figure, tmp_path)


@pytest.mark.parametrize("variant", AUTHENTICATED, ids=[variant.name for variant in AUTHENTICATED])
def test_authenticated_operations_hold_up_under_fuzzing(
    variant: Variant, deploy: Deploy, figure: Figure, tmp_path: Path
) -> None:
    deployment = deploy(variant)
    service = Service(deployment.root, deployment.environment)
    with (
        identity(service, variant.answers()) as caller,
        deployment.serve("fuzz-authenticated", **caller.environment) as server,
    ):
        _fuzz(server.base_url, variant, caller.headers(server.base_url), figure, tmp_path)


def _fuzz(base_url: str, variant: Variant, headers: dict[str, str], figure: Figure, tmp_path: Path) -> None:
    sent = [argument for name, value in headers.items() for argument in ("--header", f"{name}: {value}")]
    result = subprocess.run(
        [
            str(BIN / "st"),
            "--no-color",
            "--config-file",
            str(CONFIG),
            "run",
            *sent,
            f"{base_url}/openapi.json",
        ],
        cwd=tmp_path,
        env={
            **os.environ,
            "NO_COLOR": "1",
            "PYTHONPATH": str(TEMPLATE_ROOT),
            ERROR_FORMAT_VARIABLE: variant.error_format,
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, f"schemathesis found failures:\n{result.stdout}\n{result.stderr}"
    lines = result.stdout.splitlines()
    figure(f"schemathesis test cases: {lines[lines.index('Test cases:') + 1].strip()}")
