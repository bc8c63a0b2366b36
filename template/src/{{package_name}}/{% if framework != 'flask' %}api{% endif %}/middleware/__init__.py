"""Pure ASGI middleware: each wraps the app once and adds no per-request work it can do up front."""
