"""What the word rules cannot derive: per-file rewrites and hand-written files, each with a reason.

Keys are the derived files' template paths (under template/). A rewrite replaces text of the
asynchronous source, which must occur exactly once, before the rules run; when the source changes
so that it no longer matches, the derivation fails and names the rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SYNC: Final = "{% if framework == 'flask' %}"
SERVERLESS: Final = "{% if architecture == 'serverless' %}"
PACKAGE: Final = "src/{{package_name}}"
INFRASTRUCTURE: Final = f"{PACKAGE}/{SYNC}infrastructure{{% endif %}}"
PERSISTENCE: Final = f"{INFRASTRUCTURE}/persistence"
AUTH: Final = f"{INFRASTRUCTURE}/{{% if auth != 'none' %}}auth{{% endif %}}"


@dataclass(frozen=True)
class Rewrite:
    """Replace `old` with `new` in the asynchronous source, for `reason`."""

    reason: str
    old: str
    new: str


REWRITES: Final[dict[str, tuple[Rewrite, ...]]] = {
    f"{PACKAGE}/{SYNC}main.py{{% endif %}}.jinja": (
        Rewrite(
            "gunicorn serves a WSGI app, calling the factory once in each worker process",
            "The ASGI app: `uvicorn --factory {{ package_name }}.main:create_app`.",
            "The WSGI app: `gunicorn '{{ package_name }}.main:create_app()'`, once per worker.",
        ),
    ),
    f"{INFRASTRUCTURE}/{{% if rate_limiting %}}rate_limiter.py{{% endif %}}.jinja": (
        Rewrite(
            "the library's synchronous Redis storage always uses redis-py, named by a plain redis:// URL",
            """            "async+redis://",
            implementation="redispy",
""",
            """            "redis://",
""",
        ),
    ),
    f"{PERSISTENCE}/{{% if database != 'sqlite' %}}engine.py{{% endif %}}.jinja": (
        Rewrite(
            "psycopg waits for a frozen server for ever: every PostgreSQL engine's connections get a"
            " deadline, serverless or not",
            "{%- set pings_on_checkout = database == 'postgresql' and architecture != 'serverless' -%}\n",
            "{%- set pings_on_checkout = database == 'postgresql' and architecture != 'serverless' -%}\n"
            "{%- set has_deadline = database == 'postgresql' -%}\n",
        ),
        Rewrite(
            "psycopg takes a whole-second connect timeout and a server-side statement timeout",
            """            "timeout": pool.connect_timeout_seconds,
            "command_timeout": pool.statement_timeout_seconds,""",
            """            "connect_timeout": math.ceil(pool.connect_timeout_seconds),
            "options": f"-c statement_timeout={round(pool.statement_timeout_seconds * 1000)}",""",
        ),
        Rewrite(
            "psycopg takes a whole-second connect timeout and a server-side statement timeout;"
            " the closed-connection check polls the socket; the deadline's listener is typed",
            """from dataclasses import dataclass
{%- if pings_on_checkout %}
from typing import Any
{%- endif %}
""",
            """{% if has_deadline %}import math
{% endif %}{% if pings_on_checkout %}import select
{% endif %}{% if has_deadline %}from collections.abc import Callable
{% endif %}from dataclasses import dataclass
{%- if has_deadline %}
from typing import Any, TypeVar
{%- endif %}
""",
        ),
        Rewrite(
            "the synchronous engine comes from sqlalchemy itself, which `event` is imported from too;"
            " psycopg's connection class is extended with the deadline",
            """{% if pings_on_checkout -%}
from sqlalchemy import event
from sqlalchemy.exc import InvalidatePoolError
{% endif -%}
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
{%- if architecture == 'serverless' %}
from sqlalchemy.pool import NullPool
{%- elif pings_on_checkout %}""",
            """{% if has_deadline -%}
import psycopg
from psycopg.abc import PQGen
{% endif -%}
from sqlalchemy import Engine, create_engine{{ ', event' if has_deadline else '' }}
{%- if has_deadline %}
from sqlalchemy.engine import Dialect
{%- endif %}
{%- if pings_on_checkout %}
from sqlalchemy.exc import InvalidatePoolError
{%- endif %}
{%- if architecture == 'serverless' %}
from sqlalchemy.pool import {{ 'ConnectionPoolEntry, ' if has_deadline else '' }}NullPool
{%- elif pings_on_checkout %}""",
        ),
        Rewrite(
            "psycopg waits for a frozen server for ever: its connections get a deadline",
            """    {{ 'engine = ' if pings_on_checkout else 'return ' }}create_async_engine(""",
            """    {{ 'engine = ' if has_deadline else 'return ' }}create_async_engine(""",
        ),
        Rewrite(
            "psycopg waits for a frozen server for ever: its connections get a deadline",
            """{%- if pings_on_checkout %}
    event.listen(engine.sync_engine, "checkout", _drop_closed_connections)
    return engine
""",
            """{%- if has_deadline %}
    deadline = pool.statement_timeout_seconds + ANSWER_MARGIN_SECONDS
    event.listen(engine, "do_connect", _connect_with_deadline(deadline))
{%- endif %}
{%- if pings_on_checkout %}
    event.listen(engine, "checkout", _drop_closed_connections)
{%- endif %}
{%- if has_deadline %}
    return engine
{%- endif %}
{%- if pings_on_checkout %}
""",
        ),
        Rewrite(
            "a synchronous psycopg connection reads nothing while idle, so it cannot know it was closed;"
            " the server's farewell makes its socket readable",
            '''    """Pre-ping without a round trip: asyncpg notices when the server closes a connection.

    SQLAlchemy's pre-ping would cost three round trips per checkout on asyncpg (BEGIN, a ping,
    ROLLBACK). A closed connection means the server restarted or ended the sessions, so the
    whole pool is refreshed; the pool then hands out a new connection instead.
    """
    connection = record.driver_connection
    if connection is not None and connection.is_closed():
        raise InvalidatePoolError("the database server closed a pooled connection")
''',
            '''    """Pre-ping without a round trip: an idle connection has nothing to read, unless the server
    sent the notice that it ends the session or closed the socket.

    SQLAlchemy's pre-ping would cost a statement per checkout on psycopg (BEGIN and a ping). A
    closed connection means the server restarted or ended the sessions, so the whole pool is
    refreshed; the pool then hands out a new connection instead.
    """
    connection = record.driver_connection
    if connection is not None and _has_input(connection.fileno()):
        raise InvalidatePoolError("the database server closed a pooled connection")


def _has_input(descriptor: int) -> bool:
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    return bool(poller.poll(0))
{%- endif %}
{%- if has_deadline %}


Result = TypeVar("Result")
ANSWER_MARGIN_SECONDS = 1.0
"""How much longer than the server's statement timeout a connection waits for an answer, so a
slow statement is cancelled by the server first and its connection stays usable."""


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection that gives up on a server that stops answering.

    The server's statement timeout cannot fire when the server is frozen or cut off by a network
    partition, while the kernel still acknowledges what is sent, and psycopg would wait for ever.
    Here each wait for the server gets a deadline; when it passes, the connection is closed (so
    the pool drops it) and the error reaches the unit of work, which answers 503. An error with a
    SQLSTATE is the server's own answer (its statement timeout, a deadlock): that connection is
    fine and stays open.
    """

    deadline_seconds: float | None = None

    def wait(
        self, gen: PQGen[Result], interval: float = 0.1, timeout: float | None = None
    ) -> Result:
        if timeout is not None:
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, self.deadline_seconds)
        except psycopg.OperationalError as error:
            if error.sqlstate is None:
                self.close()
            raise


def _connect_with_deadline(
    seconds: float,
) -> Callable[[Dialect, ConnectionPoolEntry, tuple[Any, ...], dict[str, Any]], DeadlineConnection]:
    """A `do_connect` listener: the engine's connections are DeadlineConnections."""

    def connect(
        _dialect: Dialect,
        _record: ConnectionPoolEntry,
        cargs: tuple[Any, ...],
        cparams: dict[str, Any],
    ) -> DeadlineConnection:
        connection = DeadlineConnection.connect(*cargs, **cparams)
        connection.deadline_seconds = seconds
        return connection

    return connect
''',
        ),
    ),
    f"{AUTH}/{{% if auth == 'jwt' %}}argon2_password_hasher.py{{% endif %}}": (
        Rewrite(
            "each WSGI request has a thread of its own to hash in; no event loop is kept free",
            """, off the event loop.\"\"\"

from __future__ import annotations

import asyncio
""",
            """.\"\"\"

from __future__ import annotations
""",
        ),
        Rewrite(
            "each WSGI request has a thread of its own to hash in; no event loop is kept free",
            "it runs in a worker thread so other\n    requests go on meanwhile.",
            "gunicorn's other threads serve other\n    requests meanwhile.",
        ),
    ),
    f"{AUTH}/{{% if auth == 'oauth2' %}}oidc_authenticator.py{{% endif %}}.jinja": (
        Rewrite(
            "gunicorn's threads, not tasks, share the provider's keys: a thread lock guards them",
            "import asyncio\n",
            "import threading\n",
        ),
        Rewrite(
            "gunicorn's threads, not tasks, share the provider's keys: a thread lock guards them",
            "asyncio.Lock()",
            "threading.Lock()",
        ),
    ),
    f"tests/{SYNC}api{{% endif %}}/test_observability.py.jinja": (
        Rewrite(
            "ruff (SIM117) wants the two `with` statements an `async with` and a `with` become as one",
            """    async with client_for(traced) as client:
        with logged_events() as events:
            await client.get("/health/live")""",
            """    with client_for(traced) as client, logged_events() as events:
        client.get("/health/live")""",
        ),
    ),
    f"tests/{SYNC}integration{{% endif %}}/test_transaction.py.jinja": (
        Rewrite(
            "ruff (SIM117) wants the two `with` statements an `async with` in a `with` becomes as one",
            """    with pytest.raises(ServiceUnavailableError):
        async with SqlAlchemyTransaction(unreachable.engine):
            pass""",
            """    with pytest.raises(ServiceUnavailableError), SqlAlchemyTransaction(unreachable.engine):
        pass""",
        ),
        Rewrite(
            "aiosqlite's worker threads must be waited for; pysqlite has none",
            """{%- if database == 'sqlite' %}

import asyncio
import threading
{%- endif %}
""",
            "",
        ),
        Rewrite(
            "aiosqlite's worker threads must be waited for; pysqlite has none",
            """{%- if database == 'sqlite' %}
    await _let_driver_threads_stop()


async def _let_driver_threads_stop() -> None:
    \"\"\"aiosqlite stops the worker thread of a failed connection in the background; it must reach
    this test's event loop before the loop closes.\"\"\"
    for _ in range(100):
        if not any("_connection_worker_thread" in thread.name for thread in threading.enumerate()):
            return
        await asyncio.sleep(0.01)
{%- endif %}
""",
            "",
        ),
    ),
}

HAND_WRITTEN: Final[dict[str, str]] = {
    f"{PACKAGE}/{SYNC}application{{% endif %}}/check_readiness.py": (
        "the checks run concurrently with a timeout: threads instead of asyncio.gather/wait_for"
    ),
    f"tests/{SYNC}api{{% endif %}}/{SERVERLESS}test_lambda_handler.py{{% endif %}}.jinja": (
        "the ASGI handler's tests give Mangum an event loop of their own; apig-wsgi needs none"
    ),
}
"""Derived paths written by hand instead; the transform leaves them alone."""

FLASK_ONLY: Final[dict[str, str]] = {
    f"tests/{SYNC}api{{% endif %}}/conftest.py.jinja": "the Flask adapter's test clients (WSGI)",
    f"tests/{SYNC}api{{% endif %}}/probe.py.jinja": "the Flask adapter's error-path probe routes",
}
"""Files with no asynchronous source in the derived folders: written for Flask alone."""
