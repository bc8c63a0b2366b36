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
            "a synchronous psycopg connection learns that the server closed it only when it next reads,"
            " so the pool keeps SQLAlchemy's pre-ping",
            "{%- set pings_on_checkout = database == 'postgresql' and architecture != 'serverless' -%}",
            "{%- set pings_on_checkout = false -%}",
        ),
        Rewrite(
            "psycopg takes a whole-second connect timeout and a server-side statement timeout",
            "from dataclasses import dataclass\n",
            "{% if database == 'postgresql' %}import math\n{% endif %}from dataclasses import dataclass\n",
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
