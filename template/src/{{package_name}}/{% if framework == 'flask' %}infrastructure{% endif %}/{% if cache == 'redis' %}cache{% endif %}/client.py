"""The Redis client and its health check."""

from __future__ import annotations

from redis import Redis


def create_redis_client(url: str, *, timeout_seconds: float) -> Redis:
    """A client that gives up quickly, so a slow or absent Redis costs little per request."""
    return Redis.from_url(
        url,
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        retry_on_timeout=False,
    )


class RedisHealthCheck:
    """Redis answers PING. Not critical: without the cache the service is slower, not down."""

    name = "cache"
    critical = False

    def __init__(self, client: Redis) -> None:
        self._client = client

    def __call__(self) -> None:
        self._client.ping()
