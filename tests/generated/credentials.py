"""Credentials for a generated service, obtained as its users would: a command of the service, its
auth endpoints, or an identity provider (the service's own test provider, run as a process)."""

from __future__ import annotations

import contextlib
import secrets
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import yaml

from tests.generated.service import Service

PASSWORD = "generated tier password"
_PROVIDER = """
import sys

from tests.identity_provider import IdentityProvider

provider = IdentityProvider()
print(provider.issuer)
print(provider.token(provider.claims({roles})), flush=True)
sys.stdin.read()
provider.close()
"""


@dataclass
class Identity:
    """What the server needs to check credentials, and how a client gets one."""

    auth: str
    rbac: bool
    service: Service
    environment: dict[str, str] = field(default_factory=dict)
    token: str = ""

    @property
    def package(self) -> str:
        answers = yaml.safe_load((self.service.root / ".copier-answers.yml").read_text(encoding="utf-8"))
        return str(answers["package_name"])

    def headers(self, base_url: str) -> dict[str, str]:
        """Headers with a credential allowed to read and write the example resource."""
        if self.auth == "api_key":
            scopes = ["--scope", "items:read", "--scope", "items:write"] if self.rbac else []
            key = self.command("api-keys", "create", "generated-tier", *scopes).splitlines()[0]
            return {"X-API-Key": key}
        if self.auth == "jwt":
            return {"Authorization": f"Bearer {self._log_in(base_url)}"}
        if self.auth == "oauth2":
            return {"Authorization": f"Bearer {self.token}"}
        return {}

    def _log_in(self, base_url: str) -> str:
        account = {"email": "generated@example.com", "password": PASSWORD}
        with httpx.Client(base_url=base_url, timeout=10) as client:
            registered = client.post("/api/v1/auth/register", json=account)
            assert registered.status_code == 201, registered.text
            if self.rbac:
                self.command("users", "set-roles", account["email"], "editor")
            logged_in = client.post("/api/v1/auth/login", json=account)
            assert logged_in.status_code == 200, logged_in.text
            return str(logged_in.json()["access_token"])

    def command(self, *arguments: str) -> str:
        """`python -m <package> ...` in the service's environment; its standard output."""
        result = subprocess.run(
            [str(self.service.root / ".venv" / "bin" / "python"), "-m", self.package, *arguments],
            cwd=self.service.root,
            env={**self.service.environment, **self.environment},
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


@contextlib.contextmanager
def identity(service: Service, answers: Mapping[str, Any]) -> Iterator[Identity]:
    """The identity setup of the service's auth answer; an OIDC provider runs while it is open."""
    auth = answers.get("auth", "none")
    rbac = bool(answers.get("rbac", auth != "none"))
    found = Identity(auth, rbac, service)
    if auth == "jwt":
        found.environment["JWT_SECRET_KEY"] = secrets.token_urlsafe(48)
    if auth != "oauth2":
        yield found
        return
    program = _PROVIDER.format(roles='roles=["editor"]' if rbac else "")
    provider = subprocess.Popen(
        [str(service.root / ".venv" / "bin" / "python"), "-c", program],
        cwd=service.root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert provider.stdout is not None
        found.environment["OIDC_ISSUER"] = provider.stdout.readline().strip()
        found.token = provider.stdout.readline().strip()
        yield found
    finally:
        assert provider.stdin is not None
        provider.stdin.close()
        provider.wait(timeout=10)
