"""The rules that turn the asynchronous source into the synchronous variant, line by line.

Like unasync (which keeps httpcore's sync code), the rules work on words, not on a syntax tree:
the sources are Jinja templates of Python, which no Python parser accepts. Keywords go
(`async def` becomes `def`, `await x` becomes `x`), asynchronous names become their synchronous
twins (`AsyncEngine` becomes `Engine`, `redis.asyncio` becomes `redis`), and the asynchronous
database drivers in URLs become the synchronous ones. Words are replaced in strings and
docstrings too, so "`async with` block" reads "`with` block".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

NAMES: Final = {
    "AbstractAsyncContextManager": "AbstractContextManager",
    "ASGITransport": "WSGITransport",
    "AsyncClient": "Client",
    "AsyncConnection": "Connection",
    "AsyncEngine": "Engine",
    "AsyncIterable": "Iterable",
    "AsyncIterator": "Iterator",
    "AsyncTransaction": "Transaction",
    "StopAsyncIteration": "StopIteration",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "aclose": "close",
    "asynccontextmanager": "contextmanager",
    "create_async_engine": "create_engine",
}
"""Asynchronous names and their synchronous twins."""

MODULES: Final = {
    "limits.aio.storage": "limits.storage",
    "limits.aio.strategies": "limits.strategies",
    "redis.asyncio": "redis",
    "sqlalchemy.ext.asyncio": "sqlalchemy",
}
"""Asynchronous modules and the modules that export the same names synchronously."""

DRIVERS: Final = {"aiosqlite": "pysqlite", "asyncpg": "psycopg", "asyncmy": "pymysql"}
"""Asynchronous database drivers (in URLs and prose) and the synchronous ones Flask uses."""


def _words(mapping: dict[str, str], *, after: str) -> tuple[re.Pattern[str], Callable[[re.Match[str]], str]]:
    """A pattern of the mapping's whole words (not preceded by `after`) and its replacement."""
    alternatives = "|".join(re.escape(word) for word in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"(?<![{after}])(?:{alternatives})\b")
    return pattern, lambda found: mapping[found.group(0)]


_NAME_PATTERN, _NAME = _words(NAMES | DRIVERS, after=r"\w")
_MODULE_PATTERN, _MODULE = _words(MODULES, after=r"\w.")

LINE_RULES: Final[tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...]] = (
    # SQLAlchemy's bridge from async to sync code: `await c.run_sync(f)` is `f(c)`.
    (re.compile(r"await ([\w.]+)\.run_sync\((\w+)\)"), r"\2(\1)"),
    # An event loop for one call: `asyncio.run(main())` is `main()`.
    (re.compile(r"\basyncio\.run\((.*)\)$"), r"\1"),
    (re.compile(r"\basyncio\.sleep\("), "time.sleep("),
    # A blocking call moved to a thread is just the call: `asyncio.to_thread(f, x)` is `f(x)`.
    (re.compile(r"\basyncio\.to_thread\(([\w.]+)(?:, |(?=\)))"), r"\1("),
    (re.compile(r"^import asyncio$"), "import time"),
    (re.compile(r"\basync (?=(?:def|with|for)\b)"), ""),
    (re.compile(r"\bawait "), ""),
    # The synchronous engine is the engine: `engine.sync_engine` is `engine`.
    (re.compile(r"\.sync_engine\b"), ""),
    (_MODULE_PATTERN, _MODULE),
    (_NAME_PATTERN, _NAME),
)

DROPPED_LINES: Final = re.compile(r"^\s*@pytest\.mark\.asyncio\s*$")
"""pytest-asyncio markers: a synchronous test needs none."""

LEFTOVER: Final = re.compile(r"\b(async|await|asyncio)\b")
"""What no rule maps: a file that still has it needs an entry in overrides.py."""


_AWAITED: Final = re.compile(r"(?<![\w)\]])\(await ([A-Za-z_][\w.]*)\(")
"""A parenthesised await: the bracket opens no call (`f(await g())` keeps its own)."""


def _closing(text: str, opening: int) -> int:
    """The index of the bracket that closes the one at `opening` (strings are skipped)."""
    depth, quote = 0, ""
    for index in range(opening, len(text)):
        character = text[index]
        if quote:
            quote = "" if character == quote and text[index - 1] != "\\" else quote
        elif character in "'\"":
            quote = character
        elif character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def unwrap_awaited_calls(line: str) -> str:
    """`(await f(x)).y` was parenthesised for the await only: it becomes `f(x).y`."""
    while found := _AWAITED.search(line):
        call_end = _closing(line, found.end() - 1)
        end = _closing(line, found.start())
        if call_end < 0 or end != call_end + 1:
            break
        line = line[: found.start()] + line[found.start() + len("(await ") : call_end + 1] + line[end + 1 :]
    return line


def rewrite_line(line: str) -> str:
    line = unwrap_awaited_calls(line)
    for pattern, replacement in LINE_RULES:
        line = pattern.sub(replacement, line)
    return line
