"""WSGI middleware around Flask's app: each wraps it once and does per request only what it must."""
