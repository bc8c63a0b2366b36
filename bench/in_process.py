"""Drive an ASGI or WSGI app in process, with callgrind counting only the measured requests.

Run by bench/instructions.py under `valgrind --tool=callgrind --instr-atstart=no`, with the
interpreter of the app's own virtualenv, so it imports nothing but the standard library and the
app. Arguments: the app (`module:factory` for ASGI, `module:factory()` for WSGI, as the production
servers name them), the path, "read" or "create" (a POST of a uniquely named item), the number of
requests and the path of the shared library that switches callgrind's instrumentation. It warms
the app up, counts the requests between the two switches, and prints their statuses as JSON.

ASGI apps serve CONCURRENCY requests at a time on one event loop (uvloop when installed), as
uvicorn serves a loaded worker; WSGI apps one after the other, as one of gunicorn's threads does.
"""

from __future__ import annotations

import asyncio
import ctypes
import importlib
import io
import json
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any

CONCURRENCY = 32
WARM_UP = 64
_running: list[asyncio.Task[None]] = []
"""The apps' lifespan tasks, kept referenced while they run."""


class Request:
    def __init__(self, path: str, mode: str) -> None:
        self.path, _, self.query = path.partition("?")
        self.mode = mode
        self.prefix = f"bench-{uuid.uuid4().hex[:8]}"
        self.count = 0

    def next(self) -> tuple[str, bytes]:
        """The method and body of the next request."""
        if self.mode == "read":
            return "GET", b""
        self.count += 1
        return "POST", json.dumps({"name": f"{self.prefix}-{self.count}"}).encode()


def _load(spec: str) -> Any:
    """The app its factory makes (uvicorn's `--factory` and gunicorn's `factory()` alike)."""
    module, _, factory = spec.partition(":")
    return getattr(importlib.import_module(module), factory.removesuffix("()"))()


def _asgi_scope(request: Request, method: str, body: bytes) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1:8000"), (b"content-length", str(len(body)).encode())]
    if body:
        headers.append((b"content-type", b"application/json"))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": request.path,
        "raw_path": request.path.encode(),
        "query_string": request.query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _asgi_call(app: Any, request: Request) -> int:
    method, body = request.next()
    statuses: list[int] = []
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    disconnected = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop()
        await disconnected.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(_asgi_scope(request, method, body), receive, send)
    disconnected.set()
    return statuses[0]


async def _asgi_lifespan_startup(app: Any) -> None:
    """Start the app as a server would; an app without lifespan support is served as it is."""
    messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    answers: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await messages.put({"type": "lifespan.startup"})

    async def lifespan() -> None:
        try:
            await app(
                {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, messages.get, answers.put
            )
        except Exception:
            await answers.put({"type": "lifespan.unsupported"})

    _running.append(asyncio.get_running_loop().create_task(lifespan()))
    answer = await answers.get()
    if answer["type"] == "lifespan.startup.failed":
        raise RuntimeError(answer.get("message", "lifespan start-up failed"))


async def _asgi_run(
    app: Any, request: Request, count: int, measured: AbstractContextManager[None]
) -> Counter[int]:
    await _asgi_lifespan_startup(app)
    statuses: Counter[int] = Counter()

    async def worker(requests: int) -> None:
        for _ in range(requests):
            statuses[await _asgi_call(app, request)] += 1

    await asyncio.gather(*(worker(WARM_UP // CONCURRENCY) for _ in range(CONCURRENCY)))
    statuses.clear()
    with measured:
        await asyncio.gather(*(worker(count // CONCURRENCY) for _ in range(CONCURRENCY)))
    return statuses


def _wsgi_call(app: Any, request: Request) -> int:
    method, body = request.next()
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": request.path,
        "QUERY_STRING": request.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
    statuses: list[int] = []

    def start_response(status: str, _headers: list[tuple[str, str]], _exc_info: object = None) -> Any:
        statuses.append(int(status.split(" ", 1)[0]))
        return lambda _data: None

    body_parts: Iterable[bytes] = app(environ, start_response)
    try:
        for _ in body_parts:
            pass
    finally:
        close = getattr(body_parts, "close", None)
        if close is not None:
            close()
    return statuses[0]


def _wsgi_run(app: Any, request: Request, count: int, measured: AbstractContextManager[None]) -> Counter[int]:
    for _ in range(WARM_UP):
        _wsgi_call(app, request)
    statuses: Counter[int] = Counter()
    with measured:
        for _ in range(count):
            statuses[_wsgi_call(app, request)] += 1
    return statuses


class _Instrumented(AbstractContextManager[None]):
    """callgrind counts instructions only inside this block (zeroed on entry, dumped on exit)."""

    def __init__(self, library: str) -> None:
        self.library = ctypes.CDLL(library)

    def __enter__(self) -> None:
        self.library.bench_instructions_start()

    def __exit__(self, *_: object) -> None:
        self.library.bench_instructions_stop()


def main() -> None:
    spec, path, mode, count, library = sys.argv[1:6]
    request = Request(path, mode)
    measured = _Instrumented(library)
    if spec.endswith("()"):
        statuses = _wsgi_run(_load(spec), request, int(count), measured)
    else:
        try:
            import uvloop

            runner: Callable[[Any], Any] = uvloop.run
        except ImportError:
            runner = asyncio.run
        statuses = runner(_asgi_run(_load(spec), request, int(count), measured))
    print(json.dumps({"requests": sum(statuses.values()), "statuses": dict(statuses)}))


if __name__ == "__main__":
    main()
