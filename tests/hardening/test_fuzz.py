"""Fuzzing: schemathesis drives each running service from its own OpenAPI document over HTTP.

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
from tests.hardening.fuzz_checks import ERROR_FORMAT_VARIABLE
from tests.rendering import BIN
from tests.served.deployments import Figure, SharedServer
from tests.served.generation import EVERY_ERROR_FORMAT, Variant

CONFIG = Path(__file__).with_name("schemathesis.toml")

pytestmark = pytest.mark.generated


@pytest.mark.parametrize("variant", EVERY_ERROR_FORMAT, ids=[variant.name for variant in EVERY_ERROR_FORMAT])
def test_every_operation_holds_up_under_fuzzing(
    variant: Variant, shared_server: SharedServer, figure: Figure, tmp_path: Path
) -> None:
    server = shared_server(variant)
    result = subprocess.run(
        [
            str(BIN / "st"),
            "--no-color",
            "--config-file",
            str(CONFIG),
            "run",
            f"{server.base_url}/openapi.json",
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
