"""Requests written byte by byte, for what an HTTP client library refuses to send (CR, LF or NUL
inside a header value)."""

from __future__ import annotations

import http.client
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    header_names: list[str]
    body: bytes


def send_raw(base_url: str, method: str, path: str, header_lines: bytes, timeout: float = 10) -> RawResponse:
    """Send one request whose header block is `header_lines` verbatim (each ending in CRLF)."""
    address = urlsplit(base_url)
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: {address.netloc}\r\n".encode("ascii")
        + header_lines
        + b"Connection: close\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=timeout) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection)
        response.begin()
        body = response.read()
    return RawResponse(
        status=response.status,
        headers={name.lower(): value for name, value in response.getheaders()},
        header_names=[name.lower() for name, _ in response.getheaders()],
        body=body,
    )
