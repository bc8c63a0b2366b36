"""The Allow header of an answer to OPTIONS names every method of the path."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope


async def list_every_allowed_method(message: Message, scope: Scope) -> None:
    """Litestar before_send hook. Litestar 2 answers OPTIONS with the methods of the first handler
    registered on a path only (litestar#4169, fixed in Litestar 3); this lists all of them.

    It is asynchronous because Litestar runs a synchronous hook in a worker thread, for every
    message of every response.
    """
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    template = scope.get("path_template")
    routes = [route for route in scope["litestar_app"].routes if route.path_format == template]
    allowed = {method for route in routes for method in route.methods}
    headers = MutableScopeHeaders.from_message(message)
    if allowed and "allow" in headers:
        headers["allow"] = ", ".join(sorted(allowed))
