"""Service-to-service authentication: OAuth 2.0 client credentials (RFC 6749, section 4.4).

The service asks the identity provider for a token in its own name, keeps it until shortly before
it expires and sends it as a bearer token on every downstream call.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Callable
from http import HTTPStatus
from typing import Final

import httpx

EXPIRY_MARGIN_SECONDS: Final = 30.0
"""A token this close to its expiry is renewed first, so it cannot expire in flight."""


class TokenEndpointError(Exception):
    """The identity provider refused or failed to issue a token."""


class ClientCredentialsAuth(httpx.Auth):
    """Attaches a client-credentials bearer token to each request; a 401 renews it once."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token_url = token_url
        self._form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }
        if scope:
            self._form["scope"] = scope
        self._clock = clock
        self._token = ""
        self._expires_at = 0.0

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if not self._token or self._clock() >= self._expires_at:
            await self._keep((yield self._token_request()))
        request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code == HTTPStatus.UNAUTHORIZED:
            await self._keep((yield self._token_request()))
            request.headers["Authorization"] = f"Bearer {self._token}"
            yield request

    def _token_request(self) -> httpx.Request:
        return httpx.Request("POST", self._token_url, data=self._form)

    async def _keep(self, response: httpx.Response) -> None:
        await response.aread()
        if response.status_code != HTTPStatus.OK:
            raise TokenEndpointError(f"the token endpoint answered {response.status_code}")
        body = response.json()
        token, lifetime = body.get("access_token"), body.get("expires_in", 300)
        if not isinstance(token, str) or not isinstance(lifetime, int | float):
            raise TokenEndpointError("the token endpoint's answer has no access_token")
        self._token = token
        self._expires_at = self._clock() + float(lifetime) - EXPIRY_MARGIN_SECONDS
