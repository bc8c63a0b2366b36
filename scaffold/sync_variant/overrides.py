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
            "psycopg takes a whole-second connect timeout and a server-side statement timeout",
            """            "timeout": pool.connect_timeout_seconds,
            "command_timeout": pool.statement_timeout_seconds,""",
            """            "connect_timeout": math.ceil(pool.connect_timeout_seconds),
            "options": f"-c statement_timeout={round(pool.statement_timeout_seconds * 1000)}",""",
        ),
        Rewrite(
            "psycopg takes a whole-second connect timeout and a server-side statement timeout;"
            " the closed-connection check polls the socket",
            "from dataclasses import dataclass\n",
            "{% if database == 'postgresql' %}import math\n{% endif %}"
            "{% if pings_on_checkout %}import select\n{% endif %}"
            "from dataclasses import dataclass\n",
        ),
        Rewrite(
            "the synchronous engine comes from sqlalchemy itself, which `event` is imported from too",
            """{% if pings_on_checkout -%}
from sqlalchemy import event
from sqlalchemy.exc import InvalidatePoolError
{% endif -%}
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
""",
            """from sqlalchemy import Engine, create_engine{{ ', event' if pings_on_checkout else '' }}
{%- if pings_on_checkout %}
from sqlalchemy.exc import InvalidatePoolError
{%- endif %}
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
