"""Fixtures of the conformance suite."""

from tests.conformance.servers import broken_server, conformance_server

__all__ = ["broken_server", "conformance_server"]
